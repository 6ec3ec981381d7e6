import { json, text, type Handle } from '@sveltejs/kit';

/** The bodies a browser's form can send across sites (and SvelteKit's own binary form). */
const FORM_TYPES = [
	'application/x-www-form-urlencoded',
	'multipart/form-data',
	'text/plain',
	'application/x-sveltekit-formdata'
];

const WRITES = ['POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * SvelteKit's check of a form post's Origin (its `csrf` option), done here instead so that one
 * kind of address can be let through: RFC 8058's one-click unsubscribe, which a mail program
 * POSTs from its own servers, with another Origin or none. Every other address gets exactly
 * SvelteKit's answer. `crossSiteAllowed` lists the paths that may be posted from anywhere; each
 * must carry its own secret and do nothing worse than what its secret already allows.
 *
 * svelte.config.js turns SvelteKit's own check off (`trustedOrigins: ['*']`); this handle must
 * then be in the chain, and `origin-check.spec.ts` checks both.
 */
export function originCheckHandle(crossSiteAllowed: readonly RegExp[]): Handle {
	return ({ event, resolve }) => {
		const { request, url } = event;
		const type = (request.headers.get('content-type') ?? '').split(';', 1)[0]!.trim().toLowerCase();
		const forbidden =
			FORM_TYPES.includes(type) &&
			WRITES.includes(request.method) &&
			request.headers.get('origin') !== url.origin &&
			!(request.method === 'POST' && crossSiteAllowed.some((path) => path.test(url.pathname)));
		if (!forbidden) return resolve(event);
		const message = `Cross-site ${request.method} form submissions are forbidden`;
		if (request.headers.get('accept') === 'application/json')
			return json({ message }, { status: 403 });
		return text(message, { status: 403 });
	};
}
