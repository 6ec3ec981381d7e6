import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { selectEventsAddedBetween, selectEventsStartingBetween } from './events.digest.repository';

/** An event as the weekly digest lists it. */
export interface DigestEvent {
	id: string;
	title: string;
	summary: string;
	startsAt: string;
	endsAt: string;
	mode: string;
	venueName: string | null;
	formatId: string;
	formatName: string;
}

/** The most events of each kind (new, coming up) one digest lists. */
export const DIGEST_EVENTS_LIMIT = 30;
/** "Coming up" looks this far ahead of the digest's send time. */
export const COMING_UP_DAYS = 14;

type Row = Awaited<ReturnType<typeof selectEventsAddedBetween>>[number];

function toDigestEvent(r: Row): DigestEvent {
	return {
		id: r.id,
		title: r.title,
		summary: r.summary,
		startsAt: r.starts_at,
		endsAt: r.ends_at,
		mode: r.mode,
		venueName: r.venue_name,
		formatId: r.format_id,
		formatName: r.format_name
	};
}

/**
 * The events a weekly digest tells of: `added` are public events added from `since` up to
 * `until` that are still to come; `comingUp` are the others starting in the two weeks after
 * `until` (reminders only: they never make a digest worth sending on their own).
 */
export async function eventsForDigest(
	db: Kysely<DB>,
	since: string,
	until: string,
	limit = DIGEST_EVENTS_LIMIT
): Promise<{ added: DigestEvent[]; comingUp: DigestEvent[] }> {
	const horizon = new Date(Date.parse(until) + COMING_UP_DAYS * 86_400_000).toISOString();
	const [added, soon] = await Promise.all([
		selectEventsAddedBetween(db, since, until, limit),
		selectEventsStartingBetween(db, until, horizon, limit)
	]);
	const addedIds = new Set(added.map((e) => e.id));
	return {
		added: added.map(toDigestEvent),
		comingUp: soon.filter((e) => !addedIds.has(e.id)).map(toDigestEvent)
	};
}
