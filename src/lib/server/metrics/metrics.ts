import type { IncomingMessage, ServerResponse } from 'node:http';
import {
	Counter,
	Gauge,
	Histogram,
	Registry,
	collectDefaultMetrics,
	type Metric
} from 'prom-client';
import type { Config } from '../config';
import type { Database, PoolUse } from '../db/database';
import { pageCache as processPageCache, type PageCache } from '../cache/page-cache';
import { logger } from '../logger';
import { refuseScrape, type ScrapeSettings } from './access';
import { countOutboxByStatus, type OutboxStatusCount } from './metrics.repository';
import {
	REQUEST_SECONDS_BUCKETS,
	readRequestSeries,
	useInstruments,
	type Instruments
} from './record';

/** Every metric's name starts with this, Node's own process metrics included. */
export const METRICS_PREFIX = 'colab_';

/** Where the server entry answers scrapes. */
export const METRICS_PATH = '/metrics';

/** Reported even at zero, so an alert on `failed > 0` has a series to watch. */
const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'failed'];

export interface MetricsSources {
	database: Database;
	pageCache?: () => PageCache;
	/** Node's own process metrics (CPU, memory, event loop lag, GC); on unless a spec says no. */
	processMetrics?: boolean;
	/** The clock, for specs. */
	now?: () => number;
}

/**
 * The registry of one instance's metrics: instruments that requests and workers record into,
 * and gauges read when scraped (the outbox in one grouped query, the database pools and the
 * page cache's own counters, so the cached-page path does no extra work).
 */
export function createMetricsRegistry(sources: MetricsSources): {
	registry: Registry;
	instruments: Instruments;
} {
	const registry = new Registry();
	const registers = [registry];
	const getPageCache = sources.pageCache ?? processPageCache;
	const now = sources.now ?? Date.now;
	if (sources.processMetrics ?? true)
		collectDefaultMetrics({ register: registry, prefix: METRICS_PREFIX });

	const instruments: Instruments = {
		workerRuns: new Counter({
			name: `${METRICS_PREFIX}worker_runs_total`,
			help: 'Passes of each background worker, by outcome (ok or failed).',
			labelNames: ['worker', 'outcome'],
			registers
		}),
		workerSeconds: new Histogram({
			name: `${METRICS_PREFIX}worker_run_duration_seconds`,
			help: 'How long each pass of a background worker took.',
			labelNames: ['worker'],
			buckets: [0.005, 0.025, 0.1, 0.5, 1, 5, 15, 60, 300],
			registers
		}),
		mailDeliveries: new Counter({
			name: `${METRICS_PREFIX}mail_deliveries_total`,
			help: 'Attempts to send a mail from the outbox, by outcome (sent, retry, failed).',
			labelNames: ['outcome'],
			registers
		})
	};

	registerRequestMetrics(registry);

	new Counter({
		name: `${METRICS_PREFIX}page_cache_lookups_total`,
		help: 'Anonymous GET/HEAD requests looked up in the page cache: hit (answered from memory) or miss (rendered; static files count as misses too).',
		labelNames: ['result'],
		registers,
		collect() {
			const cache = getPageCache();
			this.reset();
			this.inc({ result: 'hit' }, cache.hits);
			this.inc({ result: 'miss' }, cache.misses);
		}
	});
	new Gauge({
		name: `${METRICS_PREFIX}page_cache_pages`,
		help: 'Pages kept in the page cache.',
		registers,
		collect() {
			this.set(getPageCache().size);
		}
	});
	new Gauge({
		name: `${METRICS_PREFIX}page_cache_bytes`,
		help: 'Bytes of page bodies kept in the page cache.',
		registers,
		collect() {
			this.set(getPageCache().bytes);
		}
	});

	// Read before the outbox query below starts (prom-client collects every metric at once), so
	// a scrape never counts its own query as a waiting one.
	const poolGauge = (name: string, help: string, read: (use: PoolUse) => number) =>
		new Gauge({
			name: `${METRICS_PREFIX}${name}`,
			help,
			labelNames: ['pool'],
			registers,
			collect() {
				this.reset();
				for (const use of sources.database.poolUse()) this.set({ pool: use.pool }, read(use));
			}
		});
	poolGauge(
		'db_pool_max_connections',
		'Most connections the pool opens (SQLite: its one connection).',
		(use) => use.max
	);
	poolGauge('db_pool_open_connections', 'Connections open now, busy or idle.', (use) => use.open);
	poolGauge('db_pool_idle_connections', 'Open connections not in use.', (use) => use.idle);
	poolGauge(
		'db_pool_waiting_queries',
		'Queries waiting for a free connection (SQLite: the line for its one connection).',
		(use) => use.waiting
	);

	// Both outbox gauges come from one query; prom-client collects every metric at once, so the
	// two collect calls of one scrape share the query in flight.
	let outboxQuery: Promise<OutboxStatusCount[] | undefined> | undefined;
	const readOutbox = () =>
		(outboxQuery ??= countOutboxByStatus(sources.database.db)
			.catch((error: unknown) => {
				logger.warn({ err: error }, 'metrics: could not count the outbox');
				return undefined;
			})
			.finally(() => {
				outboxQuery = undefined;
			}));
	new Gauge({
		name: `${METRICS_PREFIX}mail_outbox_mails`,
		help: 'Mails in the outbox by status: pending, sending, sent (kept 30 days) and failed (given up, for an admin).',
		labelNames: ['status'],
		registers,
		async collect() {
			const rows = await readOutbox();
			this.reset();
			if (!rows) return;
			for (const status of OUTBOX_STATUSES) {
				this.set({ status }, rows.find((row) => row.status === status)?.mails ?? 0);
			}
		}
	});
	new Gauge({
		name: `${METRICS_PREFIX}mail_outbox_overdue_seconds`,
		help: 'How long the most overdue pending mail has been due and not sent (0 when none is due).',
		registers,
		async collect() {
			const rows = await readOutbox();
			this.reset();
			if (!rows) return;
			const soonest = rows.find((row) => row.status === 'pending')?.soonest;
			const overdueMs = soonest ? now() - Date.parse(soonest) : 0;
			this.set(Math.max(0, overdueMs) / 1000);
		}
	});

	return { registry, instruments };
}

/** One line of a scrape, as prom-client's own metrics report them. */
interface SeriesValue {
	labels: Record<string, string | number>;
	value: number;
	metricName?: string;
}

/**
 * The request counter and duration histogram, read from record.ts's plain numbers at scrape
 * time in the shape prom-client's own counter and histogram report (see RequestSeries).
 */
function registerRequestMetrics(registry: Registry): void {
	const custom = (
		name: string,
		help: string,
		type: 'counter' | 'histogram',
		values: () => SeriesValue[]
	) => {
		const metric = {
			name,
			help,
			type,
			aggregator: 'sum',
			get: async () => ({
				name,
				help,
				type,
				aggregator: 'sum',
				values: values()
			})
		};
		registry.registerMetric(metric as unknown as Metric);
	};
	const requests = `${METRICS_PREFIX}http_requests_total`;
	custom(
		requests,
		'Requests answered by the app (not from the page cache), by route id, method and status class.',
		'counter',
		() => [...readRequestSeries()].map((series) => ({ labels: series.labels, value: series.count }))
	);
	const seconds = `${METRICS_PREFIX}http_request_duration_seconds`;
	custom(
		seconds,
		'Time from a request reaching the app to its response headers, by route id, method and status class.',
		'histogram',
		() =>
			[...readRequestSeries()].flatMap((series) => {
				let below = 0;
				const buckets = REQUEST_SECONDS_BUCKETS.map((le, index) => {
					below += series.inBucket[index]!;
					return {
						labels: { ...series.labels, le },
						value: below,
						metricName: `${seconds}_bucket`
					};
				});
				return [
					...buckets,
					{
						labels: { ...series.labels, le: '+Inf' },
						value: series.count,
						metricName: `${seconds}_bucket`
					},
					{ labels: series.labels, value: series.sum, metricName: `${seconds}_sum` },
					{ labels: series.labels, value: series.count, metricName: `${seconds}_count` }
				];
			})
	);
}

const TEXT = { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' };

/**
 * Answers `/metrics` for the server entry (server/index.js), before the page cache and
 * SvelteKit: a scrape is never cached, logged as a request or counted as one, and is judged by
 * the TCP peer's own address. Returns false for every other path.
 */
export function createMetricsEndpoint(
	registry: Registry,
	settings: ScrapeSettings
): (req: IncomingMessage, res: ServerResponse) => boolean {
	return (req, res) => {
		const url = req.url;
		if (url !== METRICS_PATH && !url?.startsWith(`${METRICS_PATH}?`)) return false;
		const refusal = refuseScrape(settings, {
			socketAddress: req.socket.remoteAddress,
			headers: req.headers
		});
		if (refusal) {
			res.writeHead(refusal.status, TEXT).end(refusal.message);
			return true;
		}
		if (req.method !== 'GET' && req.method !== 'HEAD') {
			res.writeHead(405, { ...TEXT, allow: 'GET, HEAD' }).end('Use GET.\n');
			return true;
		}
		registry.metrics().then(
			(body) => {
				res
					.writeHead(200, {
						'content-type': registry.contentType,
						'cache-control': 'no-store',
						'x-content-type-options': 'nosniff'
					})
					.end(req.method === 'HEAD' ? undefined : body);
			},
			(error: unknown) => {
				logger.error({ err: error }, 'metrics: could not collect');
				res.writeHead(500, TEXT).end('Metrics could not be collected; see the log.\n');
			}
		);
		return true;
	};
}

const KEY = Symbol.for('colab.metrics');
type Holder = { [KEY]?: { serve: ReturnType<typeof createMetricsEndpoint> } };

/**
 * Turns metrics on for this process (METRICS=on): requests and workers start recording, and
 * the server entry finds the endpoint through globalThis (it is a separate module graph, as
 * with the page cache). Returns how to turn them off again.
 */
export function startMetrics(config: Config, database: Database): () => void {
	const { registry, instruments } = createMetricsRegistry({ database });
	useInstruments(instruments);
	const holder = globalThis as Holder;
	holder[KEY] = {
		serve: createMetricsEndpoint(registry, {
			token: config.metrics.token,
			trustedProxies: config.trustedProxies
		})
	};
	logger.info(
		{ protectedBy: config.metrics.token ? 'token' : 'loopback only' },
		`metrics at ${METRICS_PATH}`
	);
	return () => {
		useInstruments(undefined);
		delete holder[KEY];
		registry.clear();
	};
}
