import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { startPeriodicWork, type PeriodicWork } from '../periodic';
import { flagUnansweredRequests } from './requests.service';

/** Flags requests to champions unanswered for 7 days, every hour (and soon after starting). */
export function startChampionsWorker(db: Kysely<DB>, intervalMs = 60 * 60_000): PeriodicWork {
	return startPeriodicWork(
		'champions worker',
		() => flagUnansweredRequests(db),
		intervalMs,
		20_000
	);
}
