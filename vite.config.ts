import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	server: { port: 5173, strictPort: false },
	test: {
		include: ['src/**/*.spec.ts'],
		environment: 'node',
		globalSetup: ['src/lib/server/testing/global-setup.ts'],
		expect: { requireAssertions: true },
		testTimeout: 30_000,
		hookTimeout: 60_000,
		pool: 'forks'
	}
});
