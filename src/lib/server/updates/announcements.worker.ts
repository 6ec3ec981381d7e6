import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { startPeriodicWork, type PeriodicWork } from '../periodic';
import type { UpdatesSite } from './updates.mails';
import { sendDueAnnouncements } from './announcements.service';

/** Sends announcements whose time has come (and finishes ones a stopped instance left). */
export function startAnnouncementsWorker(
	db: Kysely<DB>,
	site: UpdatesSite,
	intervalMs = 60_000
): PeriodicWork {
	return startPeriodicWork(
		'announcements worker',
		() => sendDueAnnouncements(db, site),
		intervalMs,
		10_000
	);
}
