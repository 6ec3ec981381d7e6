import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { startPeriodicWork, type PeriodicWork } from '../periodic';
import { nowIso } from '../ids';
import { enqueueMail } from '../mail/outbox';
import { changeContent } from '../cache/content-version';
import type { EventsSite } from './events.links';
import { reminderMail } from './events.mails';
import { findMailEvent, listRegistrants } from './events.repository';
import { expireOffers, offerFreedPlaces } from './registrations.service';
import { refreshEventSummaries } from './summaries';

const HOUR_MS = 60 * 60 * 1000;
/** Visitors' registrations (name, address, access needs) are deleted this long after the event. */
export const VISITOR_RETENTION_DAYS = 30;

/**
 * Sends one kind of reminder for events starting within `before`. The event row is claimed with
 * a conditional update, so with several app instances each reminder goes out once.
 */
export async function sendReminders(
	db: Kysely<DB>,
	site: EventsSite,
	which: 'day' | 'hour',
	now = nowIso()
): Promise<number> {
	const column = which === 'day' ? 'reminder_day_sent_at' : 'reminder_hour_sent_at';
	const before = which === 'day' ? 24 * HOUR_MS : HOUR_MS;
	const until = new Date(Date.parse(now) + before).toISOString();
	const due = await db
		.selectFrom('event')
		.select('id')
		.where('status', '=', 'scheduled')
		.where('approval', '=', 'approved')
		.where('starts_at', '>', now)
		.where('starts_at', '<=', until)
		.where(column, 'is', null)
		.limit(50)
		.execute();
	let sent = 0;
	for (const { id } of due) {
		sent += await db.transaction().execute(async (trx) => {
			const claimed = await trx
				.updateTable('event')
				.set({ [column]: now })
				.where('id', '=', id)
				.where(column, 'is', null)
				.executeTakeFirst();
			if (Number(claimed.numUpdatedRows) === 0) return 0;
			const event = await findMailEvent(trx, id);
			if (!event) return 0;
			// An event less than an hour away gets one reminder, not two in a row.
			if (which === 'day' && Date.parse(event.starts_at) - Date.parse(now) <= HOUR_MS) {
				await trx
					.updateTable('event')
					.set({ reminder_hour_sent_at: now })
					.where('id', '=', id)
					.execute();
			}
			const people = await listRegistrants(trx, id, ['confirmed']);
			for (const who of people) await enqueueMail(trx, reminderMail(site, who, event, now));
			return people.length;
		});
	}
	return sent;
}

/**
 * Offers free places to people waiting, wherever a place freed up without anyone there to
 * offer it (an account deleted, say). Cheap: only events with both a free place and a waitlist.
 */
export async function fillFreedPlaces(
	db: Kysely<DB>,
	site: EventsSite,
	now = nowIso()
): Promise<number> {
	const candidates = await db
		.selectFrom('event as e')
		.select('e.id')
		.where('e.status', '=', 'scheduled')
		.where('e.starts_at', '>', now)
		.where('e.capacity', 'is not', null)
		.whereRef('e.places_taken', '<', 'e.capacity')
		.where(({ exists, selectFrom }) =>
			exists(
				selectFrom('event_registration as r')
					.select('r.id')
					.whereRef('r.event_id', '=', 'e.id')
					.where('r.status', '=', 'waitlisted')
			)
		)
		.limit(50)
		.execute();
	let offered = 0;
	for (const { id } of candidates) {
		offered += await changeContent(db, (trx) => offerFreedPlaces(trx, site, id, now));
	}
	return offered;
}

/** Forgets visitors' details a while after their event, and unconfirmed requests once it starts. */
export async function forgetVisitors(db: Kysely<DB>, now = nowIso()): Promise<number> {
	const cutoff = new Date(Date.parse(now) - VISITOR_RETENTION_DAYS * 24 * HOUR_MS).toISOString();
	const old = await db
		.deleteFrom('event_registration')
		.where('user_id', 'is', null)
		.where('event_id', 'in', (eb) =>
			eb.selectFrom('event').select('id').where('ends_at', '<', cutoff)
		)
		.executeTakeFirst();
	const unconfirmed = await db
		.deleteFrom('event_registration')
		.where('status', '=', 'unconfirmed')
		.where('event_id', 'in', (eb) =>
			eb.selectFrom('event').select('id').where('starts_at', '<=', now)
		)
		.executeTakeFirst();
	return Number(old.numDeletedRows) + Number(unconfirmed.numDeletedRows);
}

/** One round of everything the events worker does. */
export async function runEventsWork(db: Kysely<DB>, site: EventsSite, now = nowIso()) {
	return {
		summaries: await refreshEventSummaries(db),
		expired: await expireOffers(db, site, now),
		filled: await fillFreedPlaces(db, site, now),
		reminded:
			(await sendReminders(db, site, 'day', now)) + (await sendReminders(db, site, 'hour', now)),
		forgotten: await forgetVisitors(db, now)
	};
}

/** Runs the events worker every minute until stopped. */
export function startEventsWorker(
	db: Kysely<DB>,
	site: () => EventsSite,
	intervalMs = 60_000
): PeriodicWork {
	return startPeriodicWork('events worker', () => runEventsWork(db, site()), intervalMs, 1_000);
}
