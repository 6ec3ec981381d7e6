import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { startPeriodicWork, type PeriodicWork } from '../periodic';
import { remindAndCloseDecisions } from './decisions.service';

/** Reminders a day before closing, and closing at the closing time, every 10 minutes. */
export function startDecisionsWorker(db: Kysely<DB>, intervalMs = 10 * 60_000): PeriodicWork {
	return startPeriodicWork(
		'decisions worker',
		() => remindAndCloseDecisions(db),
		intervalMs,
		25_000
	);
}
