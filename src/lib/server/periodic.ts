import { logger } from './logger';
import { measureWorkerRun } from './metrics/record';

/** A background job that runs every so often until stopped. */
export interface PeriodicWork {
	/** Stops the timer and waits for a run in progress to finish. */
	stop(): Promise<void>;
}

/**
 * Runs `work` every `intervalMs` (and once `firstAfterMs` after starting), never two runs at
 * once. Runs that did something (any count above zero) are logged under `name`; failures are
 * logged and the next run tries again. Every run is counted and timed under `name` when metrics
 * are on. The timers do not keep the process alive.
 */
export function startPeriodicWork(
	name: string,
	work: () => Promise<Record<string, number>>,
	intervalMs: number,
	firstAfterMs: number
): PeriodicWork {
	let running: Promise<unknown> | undefined;
	let stopped = false;
	const tick = () => {
		if (running || stopped) return;
		running = measureWorkerRun(name, work)
			.then((done) => {
				if (Object.values(done).some((n) => n > 0)) logger.info(done, name);
			})
			.catch((error) => logger.error({ err: error }, `${name} failed`))
			.finally(() => {
				running = undefined;
			});
	};
	const timer = setInterval(tick, intervalMs);
	timer.unref();
	const first = setTimeout(tick, firstAfterMs);
	first.unref();
	return {
		async stop() {
			stopped = true;
			clearInterval(timer);
			clearTimeout(first);
			await running;
		}
	};
}
