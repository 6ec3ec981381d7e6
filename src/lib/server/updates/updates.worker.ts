import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { startPeriodicWork, type PeriodicWork } from '../periodic';
import { pruneUpdates } from './updates.service';

/** Forgets unconfirmed sign-ups and old links every hour until stopped. */
export function startUpdatesWorker(db: Kysely<DB>, intervalMs = 60 * 60_000): PeriodicWork {
	return startPeriodicWork('updates worker', () => pruneUpdates(db), intervalMs, 5_000);
}
