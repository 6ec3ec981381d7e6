import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBody as decode, requestRaw } from '../testing/raw-http';
import { PageCache, type CachedPage } from './page-cache';

function page(body = '<p>hello</p>', headers: Array<[string, string]> = []): CachedPage {
	return {
		status: 200,
		headers: [['content-type', 'text/html'], ...headers],
		body: Buffer.from(body)
	};
}

describe('PageCache.store', () => {
	it('keeps a shareable page and returns it', () => {
		const cache = new PageCache();
		expect(cache.store('/', cache.generation, page('home'))).toBe(true);
		expect(cache.get('/')?.body.toString()).toBe('home');
		expect(cache.size).toBe(1);
	});

	it('keeps at most maxEntries pages, dropping the least recently used', () => {
		const cache = new PageCache({ maxEntries: 2 });
		cache.store('/a', 0, page('a'));
		cache.store('/b', 0, page('b'));
		cache.get('/a'); // /a is now more recent than /b
		cache.store('/c', 0, page('c'));
		expect(cache.size).toBe(2);
		expect(cache.get('/b')).toBeUndefined();
		expect(cache.get('/a')?.body.toString()).toBe('a');
		expect(cache.get('/c')?.body.toString()).toBe('c');
	});

	it('keeps the LRU order through runs of hits on one page', () => {
		const cache = new PageCache({ maxEntries: 2 });
		cache.store('/a', 0, page('a'));
		cache.store('/b', 0, page('b'));
		cache.get('/b');
		cache.get('/a');
		cache.get('/a');
		cache.get('/b'); // order now: /a, /b
		cache.store('/c', 0, page('c'));
		expect(cache.get('/a')).toBeUndefined();
		expect(cache.get('/b')).toBeDefined();
		cache.get('/c');
		cache.get('/c');
		cache.store('/d', 0, page('d')); // order was /b, /c
		expect(cache.get('/b')).toBeUndefined();
		expect(cache.get('/c')).toBeDefined();
	});

	it('refuses a page larger than maxBytes', () => {
		const cache = new PageCache({ maxBytes: 10 });
		expect(cache.store('/big', 0, page('x'.repeat(11)))).toBe(false);
		expect(cache.store('/small', 0, page('x'.repeat(10)))).toBe(true);
		expect(cache.get('/big')).toBeUndefined();
	});

	it('keeps at most maxTotalBytes across pages, dropping the least recently used', () => {
		const cache = new PageCache({ maxTotalBytes: 25 });
		cache.store('/a', 0, page('x'.repeat(10)));
		cache.store('/b', 0, page('x'.repeat(10)));
		cache.store('/c', 0, page('x'.repeat(10)));
		expect(cache.get('/a')).toBeUndefined();
		expect(cache.size).toBe(2);
		expect(cache.bytes).toBe(20);
		// Replacing a page counts its new size only.
		cache.store('/c', 0, page('x'.repeat(5)));
		expect(cache.bytes).toBe(15);
	});

	it.each<[string, CachedPage]>([
		['a Set-Cookie header', page('p', [['set-cookie', 'colab.session_token=abc; HttpOnly']])],
		['a Set-Cookie header in any case', page('p', [['Set-Cookie', 'theme=dark']])],
		['Cache-Control: private', page('p', [['cache-control', 'private, max-age=0']])],
		['Cache-Control: no-store', page('p', [['Cache-Control', 'no-store']])],
		['Cache-Control: no-cache', page('p', [['cache-control', 'no-cache']])],
		['a Vary header', page('p', [['vary', 'Accept']])],
		['status 404', { ...page('p'), status: 404 }],
		['status 302', { ...page(''), status: 302 }],
		['status 500', { ...page('p'), status: 500 }]
	])('refuses a response with %s', (_, refused) => {
		const cache = new PageCache();
		expect(cache.store('/x', cache.generation, refused)).toBe(false);
		expect(cache.get('/x')).toBeUndefined();
	});

	it('accepts a public Cache-Control', () => {
		const cache = new PageCache();
		expect(cache.store('/x', 0, page('p', [['cache-control', 'public, max-age=60']]))).toBe(true);
	});

	it('refuses a render that started before an invalidation', () => {
		const cache = new PageCache();
		const before = cache.generation;
		cache.invalidate();
		expect(cache.store('/', before, page('stale'))).toBe(false);
		expect(cache.get('/')).toBeUndefined();
		expect(cache.store('/', cache.generation, page('fresh'))).toBe(true);
	});

	it('invalidate drops every page', () => {
		const cache = new PageCache();
		cache.store('/a', 0, page('a'));
		cache.store('/b', 0, page('b'));
		cache.invalidate();
		expect(cache.size).toBe(0);
		expect(cache.bytes).toBe(0);
		expect(cache.get('/a')).toBeUndefined();
	});

	it('expires a page after maxAgeMs', () => {
		let now = 1000;
		const cache = new PageCache({ maxAgeMs: 100, now: () => now });
		cache.store('/', 0, page('home'));
		now += 99;
		expect(cache.get('/')).toBeDefined();
		now += 1;
		expect(cache.get('/')).toBeUndefined();
		expect(cache.size).toBe(0);
	});

	it('stores nothing and serves nothing while turned off', () => {
		const cache = new PageCache();
		cache.store('/', 0, page('home'));
		cache.setEnabled(false);
		expect(cache.get('/')).toBeUndefined();
		expect(cache.store('/', cache.generation, page('home'))).toBe(false);
		expect(cache.isCacheableRequest('GET', undefined)).toBe(false);
	});
});

describe('PageCache session detection', () => {
	const cache = new PageCache();

	it.each([
		'colab.session_token=abc',
		'theme=dark; colab.session_token=abc',
		'theme=dark;colab.session_data=xyz',
		'  colab.dont_remember=true',
		'__Secure-colab.session_token=abc',
		'a=1; __Secure-colab.session_token=abc; b=2',
		'__Host-colab.session_token=abc',
		'colab.session_token' // a name with no value still counts
	])('sees a session in "%s"', (header) => {
		expect(cache.hasSession(header)).toBe(true);
		expect(cache.isCacheableRequest('GET', header)).toBe(false);
	});

	it.each([
		'',
		'theme=dark',
		'colab_session_token=abc',
		'colabsession=abc',
		'xcolab.session_token=abc',
		'my.colab.session=abc',
		'__Secure-colab_session=abc',
		'Colab.session_token=abc', // cookie names are case-sensitive; the app never reads this one
		'theme=colab.dark', // the prefix in a value, not a name
		'ref=x; note=__Secure-colab.session_token'
	])('sees no session in "%s"', (header) => {
		expect(cache.hasSession(header)).toBe(false);
		expect(cache.isCacheableRequest('GET', header)).toBe(true);
	});

	it('renders fresh for an Authorization header, and for methods other than GET and HEAD', () => {
		expect(cache.isCacheableRequest('GET', undefined, 'Bearer abc')).toBe(false);
		expect(cache.isCacheableRequest('HEAD', undefined)).toBe(true);
		for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])
			expect(cache.isCacheableRequest(method, undefined)).toBe(false);
	});
});

describe('PageCache.serve (through a real node:http server)', () => {
	const cache = new PageCache();
	let rendered = 0;
	let base = '';
	const server = http.createServer((req, res) => {
		if (cache.serve(req, res)) return;
		rendered++;
		res.writeHead(200, { 'content-type': 'text/plain' });
		res.end('rendered');
	});

	beforeAll(async () => {
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		cache.store('/page?x=1', cache.generation, {
			status: 200,
			headers: [
				['content-type', 'text/html; charset=utf-8'],
				['etag', '"abc"'],
				['content-security-policy', "script-src 'self' 'sha256-xyz'"],
				['x-request-id', 'from-the-first-render'],
				['content-length', '999']
			],
			body: Buffer.from('<p>cached</p>')
		});
	});
	afterAll(async () => {
		await new Promise((resolve) => server.close(resolve));
	});

	it('answers an anonymous GET from memory with the stored headers', async () => {
		const response = await fetch(`${base}/page?x=1`);
		expect(response.status).toBe(200);
		expect(await response.text()).toBe('<p>cached</p>');
		expect(response.headers.get('x-colab-cache')).toBe('hit');
		expect(response.headers.get('content-security-policy')).toContain('sha256-xyz');
		expect(response.headers.get('content-length')).toBe(String('<p>cached</p>'.length));
		// The first reader's request id is not handed to the next one.
		expect(response.headers.get('x-request-id')).toBeNull();
	});

	it('answers HEAD with the headers and no body', async () => {
		const response = await fetch(`${base}/page?x=1`, { method: 'HEAD' });
		expect(response.status).toBe(200);
		expect(response.headers.get('x-colab-cache')).toBe('hit');
		expect(response.headers.get('content-length')).toBe('13');
		expect(await response.text()).toBe('');
	});

	it('answers 304 to a matching If-None-Match', async () => {
		for (const tag of ['"abc"', 'W/"abc"', '"other", "abc"']) {
			const response = await fetch(`${base}/page?x=1`, { headers: { 'if-none-match': tag } });
			expect(response.status).toBe(304);
			expect(response.headers.get('etag')).toBe('"abc"');
		}
		const changed = await fetch(`${base}/page?x=1`, { headers: { 'if-none-match': '"old"' } });
		expect(changed.status).toBe(200);
	});

	it('passes requests with a session cookie, other methods and other URLs to the app', async () => {
		const before = rendered;
		const passes: Array<[string, RequestInit]> = [
			['/page?x=1', { headers: { cookie: 'colab.session_token=abc' } }],
			['/page?x=1', { headers: { cookie: 'a=b; __Secure-colab.session_token=abc' } }],
			['/page?x=1', { headers: { authorization: 'Bearer abc' } }],
			['/page?x=1', { method: 'POST', body: 'a=1' }],
			['/page?x=2', {}],
			['/page', {}]
		];
		for (const [path, init] of passes) {
			const response = await fetch(`${base}${path}`, init);
			expect(await response.text()).toBe('rendered');
			expect(response.headers.get('x-colab-cache')).toBeNull();
		}
		expect(rendered - before).toBe(passes.length);
	});

	it('serves a visitor whose only cookies are not session cookies', async () => {
		const response = await fetch(`${base}/page?x=1`, { headers: { cookie: 'theme=dark' } });
		expect(response.headers.get('x-colab-cache')).toBe('hit');
	});
});

describe('PageCache keyed by Host (no fixed ORIGIN)', () => {
	const cache = new PageCache();
	cache.setKeyByHost(true);
	const server = http.createServer((req, res) => {
		if (cache.serve(req, res)) return;
		res.writeHead(200, { 'content-type': 'text/plain' });
		res.end('rendered');
	});
	let port = 0;

	function get(host: string, path: string): Promise<{ body: string; hit: boolean }> {
		return new Promise((resolve, reject) => {
			http
				.get({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
					let body = '';
					res.on('data', (chunk: Buffer) => (body += chunk.toString()));
					res.on('end', () => resolve({ body, hit: res.headers['x-colab-cache'] === 'hit' }));
				})
				.on('error', reject);
		});
	}

	beforeAll(async () => {
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		port = (server.address() as AddressInfo).port;
		cache.store(cache.keyFor('LocalHost:3000', '/'), cache.generation, {
			status: 200,
			headers: [['content-type', 'text/html']],
			body: Buffer.from('<a href="http://localhost:3000/">home</a>')
		});
	});
	afterAll(async () => {
		await new Promise((resolve) => server.close(resolve));
	});

	it('serves a page only to requests for the Host it was rendered for', async () => {
		expect(await get('localhost:3000', '/')).toEqual({
			body: '<a href="http://localhost:3000/">home</a>',
			hit: true
		});
		// A forged Host never receives (or replaces) another Host's page.
		expect(await get('evil.example', '/')).toEqual({ body: 'rendered', hit: false });
		expect(await get('127.0.0.1:3000', '/')).toEqual({ body: 'rendered', hit: false });
	});
});

describe('PageCache compressed copies (through a real node:http server)', () => {
	const cache = new PageCache();
	const body = '<!doctype html><title>Events</title>' + '<li>A walk by the river</li>'.repeat(300);
	let base = '';
	const server = http.createServer((req, res) => {
		if (cache.serve(req, res)) return;
		res.writeHead(404);
		res.end();
	});

	const getRaw = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
		requestRaw(`${base}${path}`, headers, method);

	beforeAll(async () => {
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		cache.store('/events', cache.generation, {
			status: 200,
			headers: [
				['content-type', 'text/html; charset=utf-8'],
				['etag', '"ev1"']
			],
			body: Buffer.from(body)
		});
		cache.store('/tiny', cache.generation, page('<p>tiny</p>'));
		cache.store('/image', cache.generation, {
			status: 200,
			headers: [['content-type', 'image/png']],
			body: Buffer.alloc(4096, 1)
		});
		await cache.settled();
	});
	afterAll(async () => {
		await new Promise((resolve) => server.close(resolve));
	});

	it('sends the copy each reader asks for, with its own length, and the same page decoded', async () => {
		for (const [accept, expected] of [
			['br, gzip', 'br'],
			['gzip, deflate, br', 'br'],
			['gzip', 'gzip'],
			['br;q=0.5, gzip', 'gzip'],
			['', undefined],
			['identity', undefined],
			['br;q=0, gzip;q=0', undefined]
		] as const) {
			const response = await getRaw('/events', accept ? { 'accept-encoding': accept } : {});
			expect(response.headers['x-colab-cache'], accept).toBe('hit');
			expect(response.headers['content-encoding'], accept).toBe(expected);
			expect(response.headers.vary, accept).toBe('Accept-Encoding');
			expect(response.headers['content-length'], accept).toBe(String(response.body.length));
			expect(decode(expected, response.body), accept).toBe(body);
			if (expected) expect(response.body.length).toBeLessThan(body.length / 10);
		}
	});

	it('answers HEAD with the chosen copy’s headers and length, and no body', async () => {
		const get = await getRaw('/events', { 'accept-encoding': 'br' });
		const head = await getRaw('/events', { 'accept-encoding': 'br' }, 'HEAD');
		expect(head.headers['content-encoding']).toBe('br');
		expect(head.headers['content-length']).toBe(String(get.body.length));
		expect(head.body.length).toBe(0);
	});

	it('answers 304 for any copy, with Vary and the copy’s ETag', async () => {
		const br = await getRaw('/events', { 'accept-encoding': 'br' });
		expect(br.headers.etag).toBe('W/"ev1"');
		const again = await getRaw('/events', { 'accept-encoding': 'br', 'if-none-match': 'W/"ev1"' });
		expect(again.status).toBe(304);
		expect(again.headers.vary).toBe('Accept-Encoding');
		const plain = await getRaw('/events', { 'if-none-match': 'W/"ev1"' });
		expect(plain.status).toBe(304);
		expect(plain.headers.etag).toBe('"ev1"');
	});

	it('sends a page compressed from the moment it is stored, before the smaller copies are made', async () => {
		cache.store('/fresh', cache.generation, {
			status: 200,
			headers: [['content-type', 'text/html; charset=utf-8']],
			body: Buffer.from(body)
		});
		const response = await getRaw('/fresh', { 'accept-encoding': 'br' });
		expect(response.headers['content-encoding']).toBe('br');
		expect(decode('br', response.body)).toBe(body);
		await cache.settled();
		const later = await getRaw('/fresh', { 'accept-encoding': 'br' });
		expect(later.body.length).toBeLessThanOrEqual(response.body.length);
		expect(decode('br', later.body)).toBe(body);
	});

	it('keeps no copies of small pages or images, and they do not vary', async () => {
		for (const path of ['/tiny', '/image']) {
			const response = await getRaw(path, { 'accept-encoding': 'br, gzip' });
			expect(response.headers['x-colab-cache'], path).toBe('hit');
			expect(response.headers['content-encoding'], path).toBeUndefined();
			expect(response.headers.vary, path).toBeUndefined();
		}
	});

	it('counts the copies in the bytes kept', () => {
		expect(cache.bytes).toBeGreaterThan(body.length + 4096 + '<p>tiny</p>'.length);
	});

	it('drops copies made for a page that changed meanwhile', async () => {
		const other = new PageCache();
		other.store('/p', other.generation, page(body));
		other.invalidate();
		other.store('/p', other.generation, page('<p>new</p>'.repeat(200)));
		await other.settled();
		expect(other.bytes).toBeGreaterThan('<p>new</p>'.length * 200);
		// Only the new page and its own copies are counted: the old copies arrived too late.
		const newCopies = other.bytes - '<p>new</p>'.length * 200;
		expect(newCopies).toBeLessThan(200);
	});
});
