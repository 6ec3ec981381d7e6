import type { Handle } from '@sveltejs/kit';
import { pageCache } from './page-cache';

/**
 * Stores anonymous pages after SvelteKit renders them, so the server entry can serve the next
 * visitor from memory. Pages for signed-in people are never stored: `locals.user` is checked as
 * well as the cookie, and any response that sets a cookie is refused by the cache itself.
 */
export const pageCacheHandle: Handle = async ({ event, resolve }) => {
	const cache = pageCache();
	const cacheable =
		event.request.method === 'GET' &&
		cache.isCacheableRequest('GET', event.request.headers.get('cookie')) &&
		!event.url.pathname.startsWith('/healthz');
	const generation = cache.generation;
	const response = await resolve(event);
	if (!cacheable || event.locals.user || response.status !== 200) return response;
	const body = Buffer.from(await response.arrayBuffer());
	const headers = [...response.headers].filter(([name]) => name !== 'x-request-id');
	cache.store(event.url.pathname + event.url.search, generation, {
		status: response.status,
		headers,
		body
	});
	return new Response(body, { status: response.status, headers: response.headers });
};
