import type { Counter, Histogram } from 'prom-client';

/**
 * What the rest of the server records into while metrics are on. Features and shared pieces
 * call the small functions below; with metrics off (the default) each returns at its first line,
 * and prom-client is never even loaded (metrics.ts is imported only when METRICS=on).
 */
export interface Instruments {
	workerRuns: Counter<'worker' | 'outcome'>;
	workerSeconds: Histogram<'worker'>;
	mailDeliveries: Counter<'outcome'>;
}

/** Upper bounds (seconds) of the request duration histogram's buckets. */
export const REQUEST_SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * One series of requests: kept as plain numbers here and turned into Prometheus's format only
 * when scraped (metrics.ts), because prom-client's own counters hash and check their labels on
 * every call, several microseconds per request.
 */
export interface RequestSeries {
	labels: { route: string; method: string; status: string };
	count: number;
	sum: number;
	/** Requests per bucket (not cumulative); the last one is above every bound. */
	inBucket: number[];
}

let instruments: Instruments | undefined;
/** One entry per (method, status class, route): bounded, since route ids are the app's own. */
let requestSeries: Map<string, RequestSeries> | undefined;

/** Starts (or, with undefined, stops) recording into these instruments. */
export function useInstruments(next: Instruments | undefined): void {
	instruments = next;
	requestSeries = next ? new Map() : undefined;
}

/** Every request series recorded so far, for the scrape. */
export function readRequestSeries(): Iterable<RequestSeries> {
	return requestSeries?.values() ?? [];
}

/** Requests SvelteKit matched to no route share this label, so 404 probes add no series. */
export const UNMATCHED_ROUTE = 'unmatched';

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** A method label from a fixed set: anyone can send any method name. */
export function methodLabel(method: string): string {
	return KNOWN_METHODS.has(method) ? method : 'other';
}

/** 200 → "2xx": per-code labels would multiply the series for little use. */
export function statusClass(status: number): string {
	return status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : 'other';
}

/**
 * Counts one request SvelteKit answered and how long it took, labelled by route id (such as
 * `/events/[id]`), never by the path, which may carry a private code or a person's id.
 */
export function recordRequest(
	routeId: string | null,
	method: string,
	status: number,
	seconds: number
): void {
	const table = requestSeries;
	if (!table) return;
	const route = routeId ?? UNMATCHED_ROUTE;
	const methodName = methodLabel(method);
	const statusName = statusClass(status);
	const key = `${methodName} ${statusName} ${route}`;
	let series = table.get(key);
	if (!series) {
		series = {
			labels: { route, method: methodName, status: statusName },
			count: 0,
			sum: 0,
			inBucket: new Array<number>(REQUEST_SECONDS_BUCKETS.length + 1).fill(0)
		};
		table.set(key, series);
	}
	series.count++;
	series.sum += seconds;
	let bucket = 0;
	while (bucket < REQUEST_SECONDS_BUCKETS.length && seconds > REQUEST_SECONDS_BUCKETS[bucket]!)
		bucket++;
	series.inBucket[bucket]!++;
}

/**
 * Runs one pass of a background worker, counting it (ok or failed) and timing it under the
 * worker's fixed name. Whatever the pass returns or throws is passed on unchanged.
 */
export async function measureWorkerRun<T>(worker: string, run: () => Promise<T>): Promise<T> {
	const to = instruments;
	if (!to) return run();
	const started = performance.now();
	let outcome = 'failed';
	try {
		const result = await run();
		outcome = 'ok';
		return result;
	} finally {
		to.workerRuns.inc({ worker, outcome });
		to.workerSeconds.observe({ worker }, (performance.now() - started) / 1000);
	}
}

/** Counts one attempt to send a mail: sent, to be retried later, or failed for good. */
export function recordMailDelivery(outcome: 'sent' | 'retry' | 'failed'): void {
	instruments?.mailDeliveries.inc({ outcome });
}
