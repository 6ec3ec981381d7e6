import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build', precompress: true }),
		// Hash mode (never nonces) so a page rendered once can be served from the anonymous
		// page cache to many readers and its CSP still matches.
		csp: {
			mode: 'hash',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				// SvelteKit's route announcer (read to screen readers after client-side navigation)
				// has one fixed style attribute; allow exactly that one by its hash, nothing else.
				'style-src': [
					'self',
					'unsafe-hashes',
					'sha256-S8qMpvofolR8Mpjy4kQvEm7m1q8clzU4dfDH0AmvZjo='
				],
				'img-src': ['self', 'data:'],
				// Uploaded videos and their captions come from /media/video on this site.
				'media-src': ['self'],
				// A post's video from YouTube (its no-cookie address) or Vimeo, framed only after the
				// reader presses "Load video". PeerTube runs on too many sites to list, so its videos
				// are a link out instead (src/lib/server/videos/video-links.ts says the same).
				'frame-src': ['https://www.youtube-nocookie.com', 'https://player.vimeo.com'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none'],
				'base-uri': ['self'],
				'object-src': ['none']
			}
		},
		typescript: {
			// Type-check the journeys, the benchmark and the server entry with the app.
			config(tsconfig) {
				tsconfig.include.push(
					'../e2e/**/*.ts',
					'../bench/**/*.js',
					'../bench/**/*.ts',
					'../server/**/*.js',
					'../scripts/**/*.js',
					'../playwright.config.ts'
				);
				return tsconfig;
			}
		},
		// Every form action is protected from cross-site posts by our own copy of SvelteKit's
		// origin check (src/lib/server/http/origin-check.ts, first in hooks.server.ts), which lets
		// one-click unsubscribe (RFC 8058) through from mail programs. '*' turns SvelteKit's off.
		csrf: { trustedOrigins: ['*'] }
	}
};

export default config;
