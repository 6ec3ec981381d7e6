import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { startPeriodicWork, type PeriodicWork } from '../periodic';
import type { UpdatesSite } from './updates.mails';
import { sendDueDigest } from './digest.service';

/**
 * Sends the weekly digest once its time has come (and finishes one a stopped instance left).
 * Every instance runs it; the week's run row lets only one send at a time.
 */
export function startDigestWorker(
	db: Kysely<DB>,
	site: UpdatesSite,
	timeZone: string,
	intervalMs = 60_000
): PeriodicWork {
	return startPeriodicWork(
		'digest worker',
		() => sendDueDigest(db, site, timeZone),
		intervalMs,
		15_000
	);
}
