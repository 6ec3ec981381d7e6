// The benchmark's events: `count` public-looking events spread from a year ago to two years
// ahead (about two thirds still to come), of every built-in format, mode and time band, some
// with the venue's access features, hosted by seeded members, some for an organisation, with
// capacities and places taken. A few are cancelled, unlisted or waiting for approval, as on a
// real site, so the listing's conditions have something to leave out.
//
// The same `count` always gives the same mix (a seeded pseudo-random sequence); only the ids
// and the dates (counted from `now`) differ between runs. Rows go in with multi-row inserts of
// BATCH rows, inside the caller's transaction.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../src/lib/server/db/schema';
import { timeBand } from '../src/lib/server/events/event-time';
import type { NewEvent } from '../src/lib/server/events/events.tables';
import { newId } from '../src/lib/server/ids';
import { markdownExcerpt } from '../src/lib/server/markdown';

const BATCH = 500;
const DAY_MS = 24 * 60 * 60 * 1000;
/** From a year ago to two years ahead. */
const FIRST_DAY = -365;
const DAYS = 3 * 365;

const FORMATS = [
	'exchange',
	'knowledge-cafe',
	'lightning-talks',
	'enquiry',
	'meet-up',
	'something-else'
] as const;
const TOPICS = [
	'housing and homelessness',
	'mental health services',
	'caring for a relative',
	'adult social care',
	'getting about town',
	'young carers',
	'food and money',
	'loneliness in later life'
];
/** Local start hours, so every time band gets events (breakfast, daytime, lunch, evening). */
const START_HOURS = [8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19];

/** The opening of an event's description (its plain text is longer than a summary). */
function descriptionOpening(topic: string): string {
	return (
		`A session on **${topic}** for people who use local services, their carers and ` +
		`the people who run them. Come and share what works, what does not, and what ` +
		`could change.\n\n- Tea and biscuits\n- Travel costs paid`
	);
}

/** A small fast pseudo-random generator (mulberry32), so every run seeds the same mix. */
function random(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export interface SeededEvents {
	events: number;
	/** Events the upcoming list shows: public, approved, scheduled and not over yet. */
	listedUpcoming: number;
}

/**
 * Inserts `count` events. Start times are whole or half hours UTC between 08:00 and 19:30 (an
 * hour later in British summer time): the bench needs no exact local times, only a realistic
 * spread over the time bands, which come from `timeBand` in `timeZone` as the app makes them.
 */
export async function insertBenchEvents(
	trx: Kysely<DB> | Transaction<DB>,
	options: {
		count: number;
		hostIds: readonly string[];
		organisationIds: readonly string[];
		timeZone: string;
		now: string;
		/** The event table's columns: `summary` is filled in when there is one. */
		columns: ReadonlySet<string>;
	}
): Promise<SeededEvents> {
	const { count, hostIds, organisationIds, timeZone, now } = options;
	// Lists show `summary`, the plain-text start of the description that CoLab makes when an
	// event is saved (markdownExcerpt, 200 characters). Descriptions differ only after that
	// point, so one summary per topic is the same as one per event, and much faster.
	const summaries = new Map<string, string>();
	const summaryOf = (topic: string) => {
		let summary = summaries.get(topic);
		if (summary === undefined) {
			summary = markdownExcerpt(descriptionOpening(topic), 200);
			summaries.set(topic, summary);
		}
		return summary;
	};
	if (!hostIds.length) throw new Error('seeding events needs at least one member to host them');
	const nowMs = Date.parse(now);
	// Midnight UTC of today: start times are offsets from it.
	const today = Math.floor(nowMs / DAY_MS) * DAY_MS;
	const next = random(20261126);
	let listedUpcoming = 0;
	let batch: NewEvent[] = [];
	const flush = async () => {
		if (batch.length) await trx.insertInto('event').values(batch).execute();
		batch = [];
	};
	for (let i = 0; i < count; i++) {
		const day = FIRST_DAY + Math.floor(next() * DAYS);
		const hour = START_HOURS[Math.floor(next() * START_HOURS.length)] ?? 18;
		const minute = next() < 0.3 ? 30 : 0;
		const startMs = today + day * DAY_MS + (hour * 60 + minute) * 60_000;
		const hours = 1 + Math.floor(next() * 3);
		const startsAt = new Date(startMs).toISOString();
		const endsAt = new Date(startMs + hours * 60 * 60_000).toISOString();
		const past = startMs + hours * 60 * 60_000 <= nowMs;
		const format = FORMATS[i % FORMATS.length] ?? 'meet-up';
		const topic: string = TOPICS[Math.floor(next() * TOPICS.length)] ?? TOPICS[0]!;
		const modeDraw = next();
		const mode = modeDraw < 0.6 ? 'in_person' : modeDraw < 0.85 ? 'online' : 'hybrid';
		const atVenue = mode !== 'online';
		const flag = (share: number) => (atVenue && next() < share ? 1 : 0);
		const capacityDraw = next();
		const capacity = capacityDraw < 0.3 ? null : 10 + Math.floor(next() * 91);
		const placesTaken =
			capacity === null
				? Math.floor(next() * 40)
				: next() < 0.15
					? capacity
					: Math.floor(next() * capacity);
		const statusDraw = next();
		const status =
			statusDraw < 0.05 ? 'cancelled' : past && statusDraw < 0.2 ? 'completed' : 'scheduled';
		const visibility = next() < 0.04 ? 'unlisted' : 'public';
		const approval = !past && next() < 0.03 ? 'pending' : 'approved';
		if (!past && status === 'scheduled' && visibility === 'public' && approval === 'approved')
			listedUpcoming++;
		const n = String(i + 1).padStart(6, '0');
		const row: NewEvent = {
			id: newId(),
			title: `Bench Event ${n}: ${topic}`,
			format_id: format,
			description: `${descriptionOpening(topic)}\n\nEvent ${n}.`,
			starts_at: startsAt,
			ends_at: endsAt,
			time_band: timeBand(startsAt, timeZone),
			mode,
			venue_name: atVenue ? `Community Hall ${(i % 50) + 1}` : null,
			venue_address: atVenue ? `${(i % 200) + 1} High Street, Bench Town` : null,
			access_notes: atVenue && i % 7 === 0 ? 'The lift is at the back of the building.' : null,
			access_step_free: flag(0.6),
			access_hearing_loop: flag(0.3),
			access_accessible_toilet: flag(0.5),
			access_quiet_room: flag(0.2),
			access_parking: flag(0.4),
			access_public_transport: flag(0.7),
			online_url: atVenue && mode === 'in_person' ? null : `https://meet.example/${n}`,
			host_id: hostIds[(i * 7) % hostIds.length] ?? null,
			organisation_id:
				organisationIds.length && next() < 0.4
					? (organisationIds[i % organisationIds.length] ?? null)
					: null,
			capacity,
			reserved_places: capacity !== null && next() < 0.2 ? 2 : 0,
			places_taken: placesTaken,
			status,
			visibility,
			approval,
			cancelled_at: status === 'cancelled' ? now : null,
			cancel_reason: status === 'cancelled' ? 'The venue is closed that day.' : null,
			record_summary:
				status === 'completed' ? `Twelve people came and talked about ${topic}.` : null,
			record_attendance: status === 'completed' ? 12 : null,
			recorded_at: status === 'completed' ? now : null,
			created_at: now,
			updated_at: now
		};
		// Cast: `summary` is not in every version of the table's type.
		if (options.columns.has('summary')) (row as Record<string, unknown>).summary = summaryOf(topic);
		batch.push(row);
		if (batch.length === BATCH) await flush();
	}
	await flush();
	return { events: count, listedUpcoming };
}
