import type { Handle, RequestEvent } from '@sveltejs/kit';
import { pageCache, type PageCache } from './page-cache';

/** Paths never stored: health checks, auth endpoints, SvelteKit's remote functions. */
const NEVER_STORED = ['/healthz', '/api/auth/', '/_app/'];

/**
 * Whether this render may be shared with the next anonymous reader, decided before rendering.
 * The key is the path and query of the request as received (not `event.url`, which SvelteKit
 * rewrites for `__data.json` requests: keying by it would file a JSON response under the
 * page's own address).
 */
function cacheKey(event: RequestEvent, cache: PageCache): string | undefined {
	const request = event.request;
	if (request.method !== 'GET' || event.isSubRequest) return undefined;
	if (
		!cache.isCacheableRequest(
			'GET',
			request.headers.get('cookie'),
			request.headers.get('authorization')
		)
	)
		return undefined;
	const url = new URL(request.url);
	if (NEVER_STORED.some((prefix) => url.pathname.startsWith(prefix))) return undefined;
	return cache.keyFor(request.headers.get('host'), url.pathname + url.search);
}

/**
 * Reads a body up to `limit` bytes. Returns the bytes when the whole body fits, otherwise a
 * stream that replays what was read and passes on the rest, so the reader still gets it all.
 */
async function readUpTo(
	body: ReadableStream<Uint8Array>,
	limit: number
): Promise<{ bytes: Buffer } | { stream: ReadableStream<Uint8Array> }> {
	const reader = body.getReader();
	const chunks: Uint8Array[] = [];
	let total = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) return { bytes: Buffer.concat(chunks, total) };
		chunks.push(value);
		total += value.byteLength;
		if (total > limit) break;
	}
	return {
		stream: new ReadableStream<Uint8Array>({
			start(controller) {
				for (const chunk of chunks) controller.enqueue(chunk);
			},
			async pull(controller) {
				const { done, value } = await reader.read();
				if (done) controller.close();
				else controller.enqueue(value);
			},
			cancel(reason) {
				return reader.cancel(reason);
			}
		})
	};
}

/**
 * Stores anonymous pages after SvelteKit renders them, so the server entry can serve the next
 * visitor from memory. Pages for signed-in people are never stored: the request's cookies,
 * `locals.user` after the render, and the response's own headers (Set-Cookie, Vary, private
 * Cache-Control) are all checked. Sits outside the security headers so cached pages keep them.
 */
export function createPageCacheHandle(getCache: () => PageCache = pageCache): Handle {
	return async ({ event, resolve }) => {
		const cache = getCache();
		const key = cacheKey(event, cache);
		// Read before rendering: an invalidation during the render makes `store` refuse it.
		const generation = cache.generation;
		const response = await resolve(event);
		if (
			key === undefined ||
			event.locals.user ||
			event.locals.sessionId ||
			!response.body ||
			cache.refusal(response.status, response.headers) !== undefined
		) {
			return response;
		}
		const read = await readUpTo(response.body, cache.maxBytes);
		const init = { status: response.status, statusText: response.statusText };
		if ('stream' in read) return new Response(read.stream, { ...init, headers: response.headers });
		cache.store(key, generation, {
			status: response.status,
			headers: [...response.headers],
			body: read.bytes
		});
		// A Buffer is a Uint8Array over a plain ArrayBuffer; the cast only satisfies the DOM types.
		return new Response(read.bytes as Uint8Array<ArrayBuffer>, {
			...init,
			headers: response.headers
		});
	};
}

export const pageCacheHandle: Handle = createPageCacheHandle();
