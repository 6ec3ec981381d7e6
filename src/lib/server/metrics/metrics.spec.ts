import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Handle, RequestEvent } from '@sveltejs/kit';
import type { Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startApp, stopApp } from '../app';
import { readConfig } from '../config';
import { openDatabase, type Database } from '../db/database';
import { enqueueMail } from '../mail/outbox';
import { startPeriodicWork } from '../periodic';
import { describeEachDatabase } from '../testing/databases';
import type { ScrapeSettings } from './access';
import { createMetricsEndpoint, createMetricsRegistry } from './metrics';
import { measureWorkerRun, recordMailDelivery, recordRequest, useInstruments } from './record';
import { requestMetricsHandle } from './request-metrics.handle';

const TOKEN = 'scrape-token-0123456789abcdef';

/** The value of one series, or undefined when the metric has no series with these labels. */
async function valueOf(
	registry: Registry,
	name: string,
	labels: Record<string, string> = {}
): Promise<number | undefined> {
	const metric = registry.getSingleMetric(name);
	if (!metric) throw new Error(`no metric ${name}`);
	const { values } = await metric.get();
	return values.find((v) =>
		Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want)
	)?.value;
}

/** A plain request with exactly these headers (fetch would not let a spec set Host). */
function request(
	url: string,
	options: { method?: string; headers?: Record<string, string> } = {}
): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
	return new Promise((resolve, reject) => {
		const req = http.request(url, { method: options.method ?? 'GET', headers: options.headers });
		req.on('response', (res) => {
			let body = '';
			res.setEncoding('utf8');
			res.on('data', (chunk: string) => (body += chunk));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
		});
		req.on('error', reject);
		req.end();
	});
}

/** A real server on the loopback answering only what `serve` takes (418 for the rest). */
async function serveOnLoopback(
	serve: (req: http.IncomingMessage, res: http.ServerResponse) => boolean
): Promise<{ url: string; close: () => Promise<void> }> {
	const server = http.createServer((req, res) => {
		if (!serve(req, res)) res.writeHead(418).end('not mine');
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	return {
		url: `http://127.0.0.1:${port}`,
		close: () => new Promise((resolve) => server.close(() => resolve()))
	};
}

describeEachDatabase('metrics read from the database', (ctx) => {
	it('counts the outbox by status and says how long the oldest due mail has waited', async () => {
		const now = Date.parse('2026-12-02T12:00:00.000Z');
		const ids: string[] = [];
		for (let i = 0; i < 5; i++)
			ids.push(
				await enqueueMail(ctx.db, {
					to: `p${i}@example.org`,
					subject: 's',
					text: 't',
					kind: 'test'
				})
			);
		const set = (
			id: string,
			values: { status: 'sent' | 'failed' | 'pending'; next_attempt_at: string }
		) => ctx.db.updateTable('mail_outbox').set(values).where('id', '=', id).execute();
		await set(ids[0]!, { status: 'sent', next_attempt_at: '2026-12-01T00:00:00.000Z' });
		await set(ids[1]!, { status: 'failed', next_attempt_at: '2026-12-01T00:00:00.000Z' });
		// Due 90 s ago and not sent: the figure an alert watches.
		await set(ids[2]!, { status: 'pending', next_attempt_at: '2026-12-02T11:58:30.000Z' });
		// Waiting for a retry later: pending, but not overdue.
		await set(ids[3]!, { status: 'pending', next_attempt_at: '2026-12-02T12:05:00.000Z' });
		await set(ids[4]!, { status: 'pending', next_attempt_at: '2026-12-02T11:59:00.000Z' });

		const { registry } = createMetricsRegistry({
			database: ctx.database,
			processMetrics: false,
			now: () => now
		});
		const text = await registry.metrics();
		expect(text).toContain('# TYPE colab_mail_outbox_mails gauge');
		expect(await valueOf(registry, 'colab_mail_outbox_mails', { status: 'pending' })).toBe(3);
		expect(await valueOf(registry, 'colab_mail_outbox_mails', { status: 'sent' })).toBe(1);
		expect(await valueOf(registry, 'colab_mail_outbox_mails', { status: 'failed' })).toBe(1);
		expect(await valueOf(registry, 'colab_mail_outbox_mails', { status: 'sending' })).toBe(0);
		expect(await valueOf(registry, 'colab_mail_outbox_overdue_seconds')).toBe(90);

		await ctx.db.deleteFrom('mail_outbox').execute();
		expect(await valueOf(registry, 'colab_mail_outbox_mails', { status: 'pending' })).toBe(0);
		expect(await valueOf(registry, 'colab_mail_outbox_overdue_seconds')).toBe(0);
	});

	it("reads the app pool's connections and the queries waiting for one", async () => {
		// Its own small pool on PostgreSQL, so the spec can fill it; SQLite has one connection.
		const database: Database =
			ctx.dialect === 'postgres'
				? openDatabase({ databaseUrl: ctx.database.connectionString, poolSize: 2 })
				: ctx.database;
		const { registry } = createMetricsRegistry({ database, processMetrics: false });
		const pool = (name: string) => valueOf(registry, `colab_db_pool_${name}`, { pool: 'app' });
		const size = ctx.dialect === 'postgres' ? 2 : 1;
		try {
			let release!: () => void;
			const gate = new Promise<void>((resolve) => (release = resolve));
			const holding = Array.from({ length: size }, () =>
				database.db.transaction().execute(async (trx) => {
					await trx.selectFrom('mail_outbox').select('id').execute();
					await gate;
				})
			);
			await vi.waitFor(async () => expect(await pool('idle_connections')).toBe(0));
			const queued = [1, 2].map(() => database.db.selectFrom('mail_outbox').select('id').execute());
			await vi.waitFor(async () => expect(await pool('waiting_queries')).toBe(2));
			expect(await pool('open_connections')).toBe(size);
			expect(await pool('max_connections')).toBe(size);

			release();
			await Promise.all([...holding, ...queued]);
			expect(await pool('waiting_queries')).toBe(0);
			expect(await pool('idle_connections')).toBe(size);
			if (ctx.dialect === 'postgres') {
				// better-auth's own pool is reported beside the app's.
				expect(await valueOf(registry, 'colab_db_pool_max_connections', { pool: 'auth' })).toBe(5);
			}
		} finally {
			if (database !== ctx.database) await database.close();
		}
	});

	it('serves /metrics over HTTP only to a scraper with the token', async () => {
		const { registry } = createMetricsRegistry({ database: ctx.database, processMetrics: false });
		const settings: ScrapeSettings = { token: TOKEN, trustedProxies: 0 };
		const server = await serveOnLoopback(createMetricsEndpoint(registry, settings));
		try {
			const refusedHeaders: Record<string, string>[] = [
				{},
				{ authorization: 'Bearer not-the-token-at-all-0000' }
			];
			for (const headers of refusedHeaders) {
				const refused = await request(`${server.url}/metrics`, { headers });
				expect(refused.status).toBe(403);
				expect(refused.body).not.toContain('colab_');
			}
			const scraped = await request(`${server.url}/metrics`, {
				headers: { authorization: `Bearer ${TOKEN}` }
			});
			expect(scraped.status).toBe(200);
			expect(scraped.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
			expect(scraped.headers['cache-control']).toBe('no-store');
			expect(scraped.body).toContain('colab_mail_outbox_mails{status="pending"}');
			expect(scraped.body).toContain('colab_db_pool_waiting_queries{pool="app"} 0');

			const posted = await request(`${server.url}/metrics`, {
				method: 'POST',
				headers: { authorization: `Bearer ${TOKEN}` }
			});
			expect(posted.status).toBe(405);
			// Other paths, even ones starting with the same letters, are left to the app.
			expect((await request(`${server.url}/metricsx`)).status).toBe(418);
			expect((await request(`${server.url}/`)).status).toBe(418);
		} finally {
			await server.close();
		}
	});

	it('without a token, serves the loopback directly but not through a proxy', async () => {
		const { registry } = createMetricsRegistry({ database: ctx.database, processMetrics: false });
		const direct = await serveOnLoopback(
			createMetricsEndpoint(registry, { token: undefined, trustedProxies: 0 })
		);
		const proxied = await serveOnLoopback(
			createMetricsEndpoint(registry, { token: undefined, trustedProxies: 1 })
		);
		try {
			const scraped = await request(`${direct.url}/metrics`);
			expect(scraped.status).toBe(200);
			expect(scraped.body).toContain('colab_mail_outbox_mails');
			const proxiedHeaders: Record<string, string>[] = [
				{ 'x-forwarded-for': '203.0.113.9' },
				{ forwarded: 'for=203.0.113.9' },
				{ host: 'colab.example.org' }
			];
			for (const headers of proxiedHeaders) {
				const refused = await request(`${direct.url}/metrics`, { headers });
				expect(refused.status).toBe(404);
				expect(refused.body).not.toContain('colab_');
			}
			expect((await request(`${proxied.url}/metrics`)).status).toBe(404);
		} finally {
			await Promise.all([direct.close(), proxied.close()]);
		}
	});
});

describe('recording into the metrics', () => {
	const database = openDatabase({ sqlitePath: ':memory:' });
	afterEach(() => useInstruments(undefined));

	it('counts requests by route id, method and status class, never by path', async () => {
		const { registry, instruments } = createMetricsRegistry({ database, processMetrics: false });
		useInstruments(instruments);
		const handle = requestMetricsHandle(true);
		const answer = async (routeId: string | null, method: string, status: number) => {
			const event = {
				route: { id: routeId },
				request: new Request('http://localhost/events/a-private-id', { method })
			} as unknown as RequestEvent;
			await handle({
				event,
				resolve: async () => new Response(status === 304 ? null : 'x', { status })
			});
		};
		await answer('/events/[id]', 'GET', 200);
		await answer('/events/[id]', 'GET', 304);
		await answer('/events/[id]', 'GET', 404);
		await answer(null, 'GET', 404);
		await answer(null, 'PROPFIND', 405);
		const text = await registry.metrics();
		expect(text).not.toContain('a-private-id');
		const count = (labels: Record<string, string>) =>
			valueOf(registry, 'colab_http_requests_total', labels);
		expect(await count({ route: '/events/[id]', method: 'GET', status: '2xx' })).toBe(1);
		expect(await count({ route: '/events/[id]', method: 'GET', status: '3xx' })).toBe(1);
		expect(await count({ route: '/events/[id]', method: 'GET', status: '4xx' })).toBe(1);
		expect(await count({ route: 'unmatched', method: 'GET', status: '4xx' })).toBe(1);
		expect(await count({ route: 'unmatched', method: 'other', status: '4xx' })).toBe(1);
		expect(text).toMatch(
			/colab_http_request_duration_seconds_count\{route="\/events\/\[id\]",method="GET",status="2xx"\} 1/
		);
	});

	it('counts a request whose handling threw as a 5xx, and passes the error on', async () => {
		const { registry, instruments } = createMetricsRegistry({ database, processMetrics: false });
		useInstruments(instruments);
		const failing: Handle = requestMetricsHandle(true);
		const event = {
			route: { id: '/' },
			request: new Request('http://localhost/')
		} as unknown as RequestEvent;
		await expect(
			failing({
				event,
				resolve: async () => {
					throw new Error('boom');
				}
			})
		).rejects.toThrow('boom');
		expect(
			await valueOf(registry, 'colab_http_requests_total', { route: '/', status: '5xx' })
		).toBe(1);
	});

	it("counts and times each worker's runs, ok or failed, and mail deliveries", async () => {
		const { registry, instruments } = createMetricsRegistry({ database, processMetrics: false });
		useInstruments(instruments);
		expect(await measureWorkerRun('mail worker', async () => 3)).toBe(3);
		await expect(
			measureWorkerRun('mail worker', async () => {
				throw new Error('database gone');
			})
		).rejects.toThrow('database gone');
		const failing = startPeriodicWork(
			'events worker',
			async () => {
				throw new Error('boom');
			},
			5,
			1
		);
		await vi.waitFor(async () =>
			expect(
				await valueOf(registry, 'colab_worker_runs_total', {
					worker: 'events worker',
					outcome: 'failed'
				})
			).toBeGreaterThanOrEqual(2)
		);
		await failing.stop();
		recordMailDelivery('sent');
		recordMailDelivery('retry');
		recordMailDelivery('sent');
		const runs = (worker: string, outcome: string) =>
			valueOf(registry, 'colab_worker_runs_total', { worker, outcome });
		expect(await runs('mail worker', 'ok')).toBe(1);
		expect(await runs('mail worker', 'failed')).toBe(1);
		expect(await valueOf(registry, 'colab_mail_deliveries_total', { outcome: 'sent' })).toBe(2);
		expect(await valueOf(registry, 'colab_mail_deliveries_total', { outcome: 'retry' })).toBe(1);
		expect(await registry.metrics()).toMatch(
			/colab_worker_run_duration_seconds_count\{worker="mail worker"\} 2/
		);
	});

	it('records nothing while metrics are off', async () => {
		recordRequest('/', 'GET', 200, 0.001);
		recordMailDelivery('failed');
		expect(await measureWorkerRun('mail worker', async () => 'still runs')).toBe('still runs');
		const { registry, instruments } = createMetricsRegistry({ database, processMetrics: false });
		useInstruments(instruments);
		expect(await valueOf(registry, 'colab_http_requests_total')).toBeUndefined();
		expect(await valueOf(registry, 'colab_mail_deliveries_total')).toBeUndefined();
		expect(await valueOf(registry, 'colab_worker_runs_total')).toBeUndefined();
	});

	it('files request durations in cumulative buckets, with their sum and count', async () => {
		const { registry, instruments } = createMetricsRegistry({ database, processMetrics: false });
		useInstruments(instruments);
		for (const seconds of [0.003, 0.005, 0.3, 12]) recordRequest('/events', 'GET', 200, seconds);
		const text = await registry.metrics();
		const line = (suffix: string, le?: string) =>
			`colab_http_request_duration_seconds_${suffix}{route="/events",method="GET",status="2xx"${
				le ? `,le="${le}"` : ''
			}}`;
		expect(text).toContain(`${line('bucket', '0.005')} 2`);
		expect(text).toContain(`${line('bucket', '0.25')} 2`);
		expect(text).toContain(`${line('bucket', '0.5')} 3`);
		expect(text).toContain(`${line('bucket', '10')} 3`);
		expect(text).toContain(`${line('bucket', '+Inf')} 4`);
		expect(text).toContain(`${line('count')} 4`);
		expect(text).toMatch(
			new RegExp(`${line('sum').replace(/[[\]{}()?.+*^$|\\]/g, '\\$&')} 12\\.308`)
		);
		expect(text).toContain('# TYPE colab_http_request_duration_seconds histogram');
		expect(text).toContain('# TYPE colab_http_requests_total counter');
	});
});

describe('METRICS on and off', () => {
	const KEY = Symbol.for('colab.metrics');
	const endpoint = () =>
		(globalThis as { [KEY]?: { serve: Parameters<typeof serveOnLoopback>[0] } })[KEY];

	it('has no endpoint unless METRICS=on; on, it serves with Node process metrics', async () => {
		const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'colab-metrics-'));
		try {
			await startApp(readConfig({ DATA_DIR: dataDir }));
			expect(endpoint()).toBeUndefined();
			await stopApp();

			await startApp(readConfig({ DATA_DIR: dataDir, METRICS: 'on', METRICS_TOKEN: TOKEN }));
			const serve = endpoint()?.serve;
			expect(serve).toBeDefined();
			const server = await serveOnLoopback(serve!);
			try {
				expect((await request(`${server.url}/metrics`)).status).toBe(403);
				const scraped = await request(`${server.url}/metrics`, {
					headers: { authorization: `Bearer ${TOKEN}` }
				});
				expect(scraped.status).toBe(200);
				expect(scraped.body).toContain('colab_process_resident_memory_bytes');
				expect(scraped.body).toContain('colab_nodejs_eventloop_lag_seconds');
				expect(scraped.body).toContain('colab_page_cache_lookups_total{result="hit"}');
			} finally {
				await server.close();
			}
			await stopApp();
			expect(endpoint()).toBeUndefined();
		} finally {
			await stopApp();
			fs.rmSync(dataDir, { recursive: true, force: true });
		}
	});
});
