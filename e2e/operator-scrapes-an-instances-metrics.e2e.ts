import { test, expect } from './fixtures';
import { throwawayPostgres } from './support/direct-database';
import { startColab, type RunningServer } from './support/server';

// An operator points Prometheus at each instance's /metrics (README, "Metrics"). These journeys
// run the built server with metrics on and a token, read real traffic back from the scrape,
// and check that nobody without the token, and no instance with metrics off, gives any away.

const TOKEN = 'e2e-scrape-token-0123456789abcdef';

/** One plain request with exactly these headers (no cookie jar, no redirects). */
async function get(url: string, headers: Record<string, string> = {}) {
	const response = await fetch(url, { headers, redirect: 'manual' });
	return { status: response.status, headers: response.headers, body: await response.text() };
}

/** The value of the series `name{labels}` in a scrape, or undefined when it is not there. */
function sample(scrape: string, name: string, labels: Record<string, string> = {}) {
	for (const line of scrape.split('\n')) {
		const match = /^([a-z_:][a-z0-9_:]*)(?:\{(.*)\})? (\S+)$/i.exec(line);
		if (!match || match[1] !== name) continue;
		const own = new Map(
			[...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]])
		);
		if (Object.entries(labels).every(([k, v]) => own.get(k) === v)) return Number(match[3]);
	}
	return undefined;
}

for (const engine of ['sqlite', 'postgres'] as const)
	test.describe(`An operator scraping metrics [${engine}]`, () => {
		let server: RunningServer;
		let dropDatabase: (() => Promise<void>) | undefined;
		test.beforeAll(async () => {
			const postgres = engine === 'postgres' ? await throwawayPostgres() : undefined;
			test.skip(engine === 'postgres' && !postgres, 'PostgreSQL is not reachable');
			dropDatabase = postgres?.drop;
			// Its own instance, so the counts below are this journey's requests and nobody else's.
			server = await startColab({
				METRICS: 'on',
				METRICS_TOKEN: TOKEN,
				...(postgres ? { DATABASE_URL: postgres.url } : {})
			});
		});
		test.afterAll(async () => {
			await server?.stop();
			await dropDatabase?.();
		});

		const scrape = () => get(`${server.url}/metrics`, { authorization: `Bearer ${TOKEN}` });

		test('is refused without the token, and the refusal holds no metrics', async () => {
			const refusals: Record<string, string>[] = [
				{},
				{ authorization: 'Bearer not-the-token-0123456789abcdef' },
				{ authorization: `Basic ${Buffer.from(`prometheus:${TOKEN}`).toString('base64')}` }
			];
			for (const headers of refusals) {
				const refused = await get(`${server.url}/metrics`, headers);
				expect(refused.status).toBe(403);
				expect(refused.body).not.toContain('colab_');
			}
		});

		test('reads requests by route, page cache hits, the outbox, workers and the pool', async () => {
			const page = `${server.url}/privacy?probe=metrics-journey`;
			expect((await get(page)).headers.get('x-colab-cache')).toBeNull();
			expect((await get(page)).headers.get('x-colab-cache')).toBe('hit');
			const missing = await get(`${server.url}/no-such-page/private-looking-code-42`);
			expect(missing.status).toBe(404);

			const scraped = await scrape();
			expect(scraped.status).toBe(200);
			expect(scraped.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
			expect(scraped.headers.get('cache-control')).toBe('no-store');
			const body = scraped.body;

			// The first visit was rendered by the app (one request for its route); the second was
			// answered from memory and counted by the cache instead.
			const privacy = { route: '/privacy', method: 'GET', status: '2xx' };
			expect(sample(body, 'colab_http_requests_total', privacy)).toBe(1);
			expect(sample(body, 'colab_http_request_duration_seconds_count', privacy)).toBe(1);
			expect(sample(body, 'colab_page_cache_lookups_total', { result: 'hit' })).toBe(1);
			expect(sample(body, 'colab_page_cache_lookups_total', { result: 'miss' })).toBeGreaterThan(0);
			expect(sample(body, 'colab_page_cache_pages')).toBeGreaterThanOrEqual(1);
			// A page that does not exist is counted under one label, its address never shown.
			expect(
				sample(body, 'colab_http_requests_total', {
					route: 'unmatched',
					method: 'GET',
					status: '4xx'
				})
			).toBe(1);
			expect(body).not.toContain('private-looking-code');
			expect(body).not.toContain('metrics-journey');

			for (const status of ['pending', 'sending', 'sent', 'failed']) {
				expect(sample(body, 'colab_mail_outbox_mails', { status }), status).toBeGreaterThanOrEqual(
					0
				);
			}
			expect(sample(body, 'colab_mail_outbox_overdue_seconds')).toBe(0);
			// SQLite: one connection; PostgreSQL: the app's pool of 10 and better-auth's of 5.
			expect(sample(body, 'colab_db_pool_max_connections', { pool: 'app' })).toBe(
				engine === 'sqlite' ? 1 : 10
			);
			expect(sample(body, 'colab_db_pool_max_connections', { pool: 'auth' })).toBe(
				engine === 'sqlite' ? undefined : 5
			);
			expect(sample(body, 'colab_db_pool_waiting_queries', { pool: 'app' })).toBe(0);
			expect(sample(body, 'colab_process_resident_memory_bytes')).toBeGreaterThan(0);
			expect(sample(body, 'colab_nodejs_heap_size_used_bytes')).toBeGreaterThan(0);

			// The mail worker polls every second, the events worker's first run is a second in.
			await expect
				.poll(async () => {
					const later = (await scrape()).body;
					return [
						sample(later, 'colab_worker_runs_total', { worker: 'mail worker', outcome: 'ok' }) ?? 0,
						sample(later, 'colab_worker_runs_total', { worker: 'events worker', outcome: 'ok' }) ??
							0
					].every((runs) => runs >= 1);
				})
				.toBe(true);
		});

		test('scrapes are not counted as requests, nor looked up in the page cache', async () => {
			const firstScrape = await scrape();
			const secondScrape = await scrape();
			expect([firstScrape.status, secondScrape.status]).toEqual([200, 200]);
			const [first, second] = [firstScrape.body, secondScrape.body];
			expect(sample(first, 'colab_page_cache_lookups_total', { result: 'miss' })).toBeDefined();
			expect(second).not.toMatch(/route="\/metrics"/);
			expect(sample(second, 'colab_page_cache_lookups_total', { result: 'miss' })).toBe(
				sample(first, 'colab_page_cache_lookups_total', { result: 'miss' })
			);
		});
	});

test('An instance with metrics off (the default) has no /metrics at all', async ({ colab }) => {
	const response = await get(`${colab.url}/metrics`);
	expect(response.status).toBe(404);
	expect(response.body).not.toContain('colab_');
	const withToken = await get(`${colab.url}/metrics`, { authorization: `Bearer ${TOKEN}` });
	expect(withToken.status).toBe(404);
});
