import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { startPeriodicWork, type PeriodicWork } from '../periodic';
import type { NotificationsSite } from './notifications.mails';
import { sendDailySummaries, setNotificationsSite } from './notifications.service';

/** Sends each member's daily summary of notifications (and sets the site mails link to). */
export function startNotificationsWorker(
	db: Kysely<DB>,
	site: NotificationsSite,
	intervalMs = 10 * 60_000
): PeriodicWork {
	setNotificationsSite(site);
	return startPeriodicWork(
		'notifications worker',
		() => sendDailySummaries(db, site),
		intervalMs,
		30_000
	);
}
