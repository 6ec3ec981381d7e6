import { defineConfig } from '@playwright/test';

/**
 * Journeys run in Debian's Chromium (never a downloaded browser). Each worker starts its own
 * CoLab server and in-process SMTP server (see e2e/fixtures.ts), so journeys can read the
 * emails the app sends.
 */
export default defineConfig({
	testDir: 'e2e',
	testMatch: '**/*.e2e.ts',
	globalSetup: './e2e/global-setup.ts',
	fullyParallel: false,
	workers: process.env.E2E_WORKERS ? Number(process.env.E2E_WORKERS) : 2,
	retries: 0,
	// A guard against hangs, not a speed target (speed lives in `npm run bench`): journeys that
	// create several accounts take 40–50 s on a quiet two-core machine, and over two minutes when
	// both workers are busy (a journey failed at 2 min under CI's load).
	timeout: 300_000,
	expect: { timeout: 10_000 },
	reporter: process.env.CI ? [['list']] : [['list']],
	use: {
		browserName: 'chromium',
		launchOptions: {
			executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync'
			]
		},
		trace: 'off',
		screenshot: 'only-on-failure'
	}
});
