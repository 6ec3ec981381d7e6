import type http from 'node:http';
import { test, expect } from './fixtures';
import { sessionCookieFor } from './support/people';
import { startColab, type RunningServer } from './support/server';
import { decodeBody as decode, requestRaw as getRaw } from '../src/lib/server/testing/raw-http';

// CoLab compresses what it sends (src/lib/server/http/compression.ts): static files are
// precompressed at build time, cached pages keep Brotli and gzip copies, and pages rendered per
// request are compressed as they stream. This journey fetches real pages from the built server
// with each Accept-Encoding a client may send and checks that every reader gets the same page.

/** What each Accept-Encoding should bring, for a text response over 1 KB. */
const ASKED = [
	['', undefined],
	['gzip', 'gzip'],
	['br', 'br'],
	['gzip, deflate, br, zstd', 'br'],
	['br;q=0, gzip;q=0.5', 'gzip'],
	['identity', undefined]
] as const;

/**
 * Fetches `url` once per Accept-Encoding and checks each answer decodes to the same text.
 * Returns the text and the headers of the Brotli answer.
 */
async function expectSameTextEveryWay(
	url: string,
	headers: Record<string, string> = {},
	sameBytes = true
): Promise<{ text: string; brotli: http.IncomingHttpHeaders }> {
	let text: string | undefined;
	let brotli: http.IncomingHttpHeaders | undefined;
	for (const [accept, expected] of ASKED) {
		const response = await getRaw(
			url,
			accept ? { ...headers, 'accept-encoding': accept } : headers
		);
		expect(response.status, `${url} with "${accept}"`).toBe(200);
		expect(response.headers['content-encoding'], `${url} with "${accept}"`).toBe(expected);
		expect(response.headers.vary, url).toMatch(/accept-encoding/i);
		if (response.headers['content-length'] !== undefined)
			expect(Number(response.headers['content-length']), url).toBe(response.body.length);
		const decoded = decode(expected, response.body);
		if (expected === 'br') brotli = response.headers;
		if (text === undefined) text = decoded;
		else if (sameBytes) expect(decoded, `${url} with "${accept}"`).toBe(text);
		else expect(decoded.length, `${url} with "${accept}"`).toBeGreaterThan(text.length * 0.9);
		if (expected) expect(response.body.length, url).toBeLessThan(decoded.length / 2);
	}
	return { text: text ?? '', brotli: brotli ?? {} };
}

test.describe('Every reader gets the same pages, compressed when their browser can', () => {
	let server: RunningServer;
	test.beforeAll(async () => {
		// Its own instance with the demo's events, organisations and people.
		server = await startColab({}, ['--demo']);
	});
	test.afterAll(async () => {
		await server?.stop();
	});

	test('anonymous pages: rendered on the first visit, then from the cache, the same each way', async ({
		page,
		axe
	}) => {
		const listing = await getRaw(`${server.url}/events`);
		const eventPath = /href="(\/events\/demo-[^"/?]+)"/.exec(listing.body.toString())?.[1];
		expect(eventPath).toBeTruthy();
		for (const path of ['/', '/events', '/events/past', `${eventPath}`, '/organisations']) {
			// A query of its own: the first request is rendered and compressed on the fly...
			const url = `${server.url}${path}?visit=${Date.now()}`;
			const first = await expectSameTextEveryWay(url);
			// ...and once stored, the cache sends its own copies, which decode to the same page.
			await expect
				.poll(async () => (await getRaw(url, { 'accept-encoding': 'br' })).headers['x-colab-cache'])
				.toBe('hit');
			const cached = await expectSameTextEveryWay(url);
			expect(cached.text).toBe(first.text);
			expect(cached.brotli['x-colab-cache']).toBe('hit');
		}

		// A browser gets Brotli and shows the page as usual.
		const response = await page.goto(`${server.url}/events`);
		expect(response?.headers()['content-encoding']).toBe('br');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(/events/i);
		await axe(page);
	});

	test('static files come precompressed, still cached for a year', async () => {
		const home = (await getRaw(`${server.url}/`)).body.toString();
		const css = /href="\.?(\/_app\/immutable\/assets\/[^"]+\.css)"/.exec(home)?.[1];
		expect(css).toBeTruthy();
		for (const [accept, expected] of [
			['br, gzip', 'br'],
			['gzip', 'gzip'],
			['', undefined]
		] as const) {
			const response = await getRaw(
				`${server.url}${css}`,
				accept ? { 'accept-encoding': accept } : {}
			);
			expect(response.headers['content-encoding']).toBe(expected);
			expect(response.headers.vary).toBe('Accept-Encoding');
			expect(response.headers['cache-control']).toBe('public,max-age=31536000,immutable');
			expect(Number(response.headers['content-length'])).toBe(response.body.length);
			expect(decode(expected, response.body)).toContain('{');
		}
	});

	test('pages for a signed-in member and the calendar feed are compressed on the fly', async () => {
		const email = 'ottoline.brass@example.test';
		const cookie = await sessionCookieFor(server, {
			name: 'Ottoline Brass',
			email,
			password: 'a long enough password 42'
		});

		const account = await expectSameTextEveryWay(`${server.url}/account`, { cookie });
		expect(account.text).toContain(email);
		expect(account.brotli['x-colab-cache']).toBeUndefined();
		// Its ETag is weak once compressed, and SvelteKit still answers 304 to it.
		const etag = String(account.brotli.etag);
		expect(etag).toMatch(/^W\//);
		const again = await getRaw(`${server.url}/account`, {
			cookie,
			'accept-encoding': 'br',
			'if-none-match': etag
		});
		expect(again.status).toBe(304);

		const feed = await expectSameTextEveryWay(`${server.url}/events/feed.ics`);
		expect(feed.text).toContain('BEGIN:VCALENDAR');
	});
});
