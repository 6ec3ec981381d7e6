import type { Handle } from '@sveltejs/kit';

/**
 * Headers every response carries. The Content-Security-Policy itself comes from `kit.csp` in
 * svelte.config.js (hash mode), which SvelteKit adds to each page it renders.
 */
export function securityHeaders(secure: boolean): Record<string, string> {
	const headers: Record<string, string> = {
		'x-content-type-options': 'nosniff',
		'referrer-policy': 'strict-origin-when-cross-origin',
		'x-frame-options': 'DENY',
		'cross-origin-opener-policy': 'same-origin',
		'permissions-policy':
			'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()'
	};
	if (secure) headers['strict-transport-security'] = 'max-age=31536000; includeSubDomains';
	return headers;
}

export function securityHeadersHandle(secure: boolean): Handle {
	const headers = securityHeaders(secure);
	return async ({ event, resolve }) => {
		const response = await resolve(event);
		for (const [name, value] of Object.entries(headers)) {
			if (!response.headers.has(name)) response.headers.set(name, value);
		}
		return response;
	};
}
