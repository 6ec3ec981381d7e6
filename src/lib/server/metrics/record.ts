import type { Counter, Histogram } from 'prom-client';

/**
 * What the rest of the server records into while metrics are on. Features and shared pieces
 * call the small functions below; with metrics off (the default) each returns at its first line,
 * and prom-client is never even loaded (metrics.ts is imported only when METRICS=on).
 */
export interface Instruments {
	requests: Counter<'route' | 'method' | 'status'>;
	requestSeconds: Histogram<'route' | 'method' | 'status'>;
	workerRuns: Counter<'worker' | 'outcome'>;
	workerSeconds: Histogram<'worker'>;
	mailDeliveries: Counter<'outcome'>;
}

interface RequestSeries {
	count: { inc(): void };
	seconds: { observe(value: number): void };
}

let instruments: Instruments | undefined;
/** One entry per (method, status class, route): bounded, since route ids are the app's own. */
let requestSeries = new Map<string, RequestSeries>();

/** Starts (or, with undefined, stops) recording into these instruments. */
export function useInstruments(next: Instruments | undefined): void {
	instruments = next;
	requestSeries = new Map();
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
	const to = instruments;
	if (!to) return;
	const route = routeId ?? UNMATCHED_ROUTE;
	const methodName = methodLabel(method);
	const statusName = statusClass(status);
	const key = `${methodName} ${statusName} ${route}`;
	let series = requestSeries.get(key);
	if (!series) {
		const labels = { route, method: methodName, status: statusName };
		series = { count: to.requests.labels(labels), seconds: to.requestSeconds.labels(labels) };
		requestSeries.set(key, series);
	}
	series.count.inc();
	series.seconds.observe(seconds);
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
