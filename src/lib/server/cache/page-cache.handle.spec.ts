import type { RequestEvent } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { PageCache } from './page-cache';
import { createPageCacheHandle } from './page-cache.handle';

const ORIGIN = 'http://colab.test';

interface FakeRender {
	/** What the request carries. */
	path?: string;
	method?: string;
	headers?: Record<string, string>;
	isSubRequest?: boolean;
	/** The URL SvelteKit gives the app (it differs from the request's for __data.json). */
	eventPath?: string;
	/** What the render does. */
	user?: boolean;
	sessionId?: boolean;
	response?: () => Response;
	duringRender?: () => void;
}

/** Runs the handle once, as SvelteKit would, and returns what the visitor received. */
async function render(cache: PageCache, options: FakeRender = {}): Promise<Response> {
	const request = new Request(`${ORIGIN}${options.path ?? '/'}`, {
		method: options.method ?? 'GET',
		headers: options.headers
	});
	const event = {
		request,
		url: new URL(`${ORIGIN}${options.eventPath ?? options.path ?? '/'}`),
		isSubRequest: options.isSubRequest ?? false,
		locals: { user: null, sessionId: null }
	} as unknown as RequestEvent;
	const handle = createPageCacheHandle(() => cache);
	return handle({
		event,
		resolve: async (e) => {
			options.duringRender?.();
			if (options.user) e.locals.user = { id: 'u1' } as App.Locals['user'];
			if (options.sessionId) e.locals.sessionId = 's1';
			return (
				options.response?.() ??
				new Response(`<p>page ${options.path ?? '/'}</p>`, {
					headers: { 'content-type': 'text/html' }
				})
			);
		}
	});
}

describe('pageCacheHandle', () => {
	it('stores an anonymous 200 page under the path and query, and still returns it whole', async () => {
		const cache = new PageCache();
		const response = await render(cache, { path: '/people?page=2' });
		expect(await response.text()).toBe('<p>page /people?page=2</p>');
		expect(cache.get('/people?page=2')?.body.toString()).toBe('<p>page /people?page=2</p>');
	});

	it('never stores the response to a request carrying a session cookie', async () => {
		const cache = new PageCache();
		for (const cookie of [
			'colab.session_token=abc',
			'theme=dark; __Secure-colab.session_token=abc',
			'colab.session_data=xyz'
		]) {
			const response = await render(cache, { headers: { cookie } });
			expect(response.status).toBe(200);
		}
		expect(cache.size).toBe(0);
	});

	it('never stores a page rendered for a signed-in person, whatever the cookies said', async () => {
		const cache = new PageCache();
		await render(cache, { user: true, headers: { cookie: 'something-else=1' } });
		await render(cache, { sessionId: true });
		expect(cache.size).toBe(0);
		// The same render without a person is stored, so the checks above can fail.
		await render(cache, { headers: { cookie: 'something-else=1' } });
		expect(cache.size).toBe(1);
	});

	it('never stores a response that sets a cookie, varies, or is private', async () => {
		const cache = new PageCache();
		const refused: Array<Record<string, string>> = [
			{ 'set-cookie': 'colab.session_token=abc; HttpOnly' },
			{ vary: 'Accept' },
			{ 'cache-control': 'private' },
			{ 'cache-control': 'no-store' }
		];
		for (const headers of refused) {
			const response = await render(cache, {
				response: () => new Response('<p>personal</p>', { headers })
			});
			expect(await response.text()).toBe('<p>personal</p>');
		}
		expect(cache.size).toBe(0);
	});

	it('does not store errors, redirects, HEAD, POST, sub-requests or excluded paths', async () => {
		const cache = new PageCache();
		await render(cache, { response: () => new Response('gone', { status: 404 }) });
		await render(cache, {
			response: () => new Response(null, { status: 303, headers: { location: '/' } })
		});
		await render(cache, { method: 'HEAD' });
		await render(cache, { method: 'POST' });
		await render(cache, { isSubRequest: true });
		await render(cache, { path: '/healthz' });
		await render(cache, { path: '/api/auth/get-session' });
		await render(cache, { path: '/_app/remote/abc' });
		expect(cache.size).toBe(0);
	});

	it('keys a __data.json request by its own URL, not the page URL SvelteKit gives the app', async () => {
		const cache = new PageCache();
		const dataPath = '/__data.json?x-sveltekit-invalidated=01';
		await render(cache, {
			path: dataPath,
			eventPath: '/',
			response: () =>
				new Response('{"type":"data"}', { headers: { 'content-type': 'application/json' } })
		});
		expect(cache.get('/')).toBeUndefined();
		expect(cache.get(dataPath)?.body.toString()).toBe('{"type":"data"}');
	});

	it('does not store a render during which the cache was invalidated', async () => {
		const cache = new PageCache();
		const response = await render(cache, { duringRender: () => cache.invalidate() });
		expect(await response.text()).toBe('<p>page /</p>');
		expect(cache.size).toBe(0);
	});

	it('passes a body larger than maxBytes through whole without storing it', async () => {
		const cache = new PageCache({ maxBytes: 1000 });
		const chunk = new Uint8Array(400).fill(120); // "xxxx…"
		const response = await render(cache, {
			response: () =>
				new Response(
					new ReadableStream<Uint8Array>({
						start(controller) {
							for (let i = 0; i < 5; i++) controller.enqueue(chunk);
							controller.close();
						}
					}),
					{ headers: { 'content-type': 'text/plain' } }
				)
		});
		expect((await response.text()).length).toBe(2000);
		expect(cache.size).toBe(0);
	});
});
