import {
	expressionBuilder,
	sql,
	type Expression,
	type ExpressionBuilder,
	type Kysely,
	type SqlBool
} from 'kysely';
import { z } from 'zod';
import type { FormatColour, FormatIcon } from '$lib/events/format-looks';
import { assertCan, type Actor } from '../auth/auth.permissions';
import { canApproveEvents } from './events.permissions';
import type { SessionUser } from '../auth/auth.types';
import type { DB } from '../db/schema';
import { nowIso } from '../ids';
import {
	addDaysToDate,
	localDayStartUtc,
	monthGrid,
	TIME_BANDS,
	utcToLocal,
	type TimeBand
} from './event-time';
import type { EventsSite } from './events.links';
import {
	CALENDAR_COLUMNS,
	findActiveRegistration,
	findMailEvent,
	waitlistPosition
} from './events.repository';
import { MAX_EVENT_MS, standingOf } from './events.service';
import { registrationState } from './registrations.service';
import {
	ACCESS_FEATURES,
	EVENT_MODES,
	type AccessFeature,
	type Event,
	type EventMode,
	type EventRegistration
} from './events.tables';

export const EVENTS_PER_PAGE = 20;

/** The earliest start an event still running at `now` can have. */
function runningSince(now: string): string {
	return new Date(Date.parse(now) - MAX_EVENT_MS).toISOString();
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A date a person could mean: the right shape, and a day that exists (not 30 February). */
function isRealDate(value: string | undefined): value is string {
	if (!value || !DATE.test(value)) return false;
	try {
		addDaysToDate(value, 0);
		return true;
	} catch {
		return false;
	}
}
const list = <T extends string>(values: readonly [T, ...T[]]) =>
	z
		.array(z.string())
		.transform((items) => items.filter((v): v is T => (values as readonly string[]).includes(v)));

const filterSchema = z.object({
	format: z
		.string()
		.optional()
		.transform((v) => (v && /^[a-z0-9-]{1,64}$/.test(v) ? v : null)),
	band: list(TIME_BANDS as unknown as readonly [TimeBand, ...TimeBand[]]),
	mode: list(EVENT_MODES as unknown as readonly [EventMode, ...EventMode[]]),
	access: list(ACCESS_FEATURES as unknown as readonly [AccessFeature, ...AccessFeature[]]),
	from: z
		.string()
		.optional()
		.transform((v) => (isRealDate(v) ? v : null)),
	to: z
		.string()
		.optional()
		.transform((v) => (isRealDate(v) ? v : null)),
	q: z
		.string()
		.optional()
		.transform((v) => (v ?? '').trim().slice(0, 100) || null)
});

/** What someone can narrow the list of events by (all from the address, so links can share it). */
export type EventFilters = z.output<typeof filterSchema>;

/** Reads filters from a query string. Anything unknown or malformed is ignored, never an error. */
export function parseEventFilters(params: URLSearchParams): EventFilters {
	const parsed = filterSchema.safeParse({
		format: params.get('format') ?? undefined,
		band: params.getAll('band'),
		mode: params.getAll('mode'),
		access: params.getAll('access'),
		from: params.get('from') ?? undefined,
		to: params.get('to') ?? undefined,
		q: params.get('q') ?? undefined
	});
	return parsed.success
		? parsed.data
		: { format: null, band: [], mode: [], access: [], from: null, to: null, q: null };
}

export function hasFilters(filters: EventFilters): boolean {
	return (
		!!filters.format ||
		filters.band.length > 0 ||
		filters.mode.length > 0 ||
		filters.access.length > 0 ||
		!!filters.from ||
		!!filters.to ||
		!!filters.q
	);
}

/** One event as lists and cards show it. */
export interface EventSummary {
	id: string;
	title: string;
	summary: string;
	starts_at: string;
	ends_at: string;
	time_band: string;
	mode: EventMode;
	venue_name: string | null;
	status: Event['status'];
	capacity: number | null;
	places_taken: number;
	format_id: string;
	format_name: string;
	format_colour: FormatColour;
	format_icon: FormatIcon;
	host_name: string | null;
	organisation_name: string | null;
	access_step_free: number;
	access_hearing_loop: number;
	access_accessible_toilet: number;
	access_quiet_room: number;
	access_parking: number;
	access_public_transport: number;
	record_summary: string | null;
	/** The cover picture's description and image (id, widths, size), when it has one. */
	cover_alt: string | null;
	cover_id: string | null;
	cover_widths: string | null;
	cover_width: number | null;
	cover_height: number | null;
}

function listed(db: Kysely<DB>) {
	return (
		db
			.selectFrom('event as e')
			.innerJoin('event_format as f', 'f.id', 'e.format_id')
			// Matches the partial index event_list_idx.
			.where('e.visibility', '=', 'public')
			.where('e.approval', '=', 'approved')
	);
}

type Listed = ReturnType<typeof listed>;

/**
 * The filters that pick among events (everything but the dates, which bound the start time),
 * as conditions. All but `q` read columns of event_list_idx, so they are checked in the index
 * without reading the event's row.
 */
function filterConditions(
	eb: ExpressionBuilder<DB & { e: DB['event'] }, 'e'>,
	filters: EventFilters
): Expression<SqlBool>[] {
	const conditions: Expression<SqlBool>[] = [];
	if (filters.format) conditions.push(eb('e.format_id', '=', filters.format));
	if (filters.band.length) conditions.push(eb('e.time_band', 'in', filters.band));
	if (filters.mode.length) conditions.push(eb('e.mode', 'in', filters.mode));
	for (const feature of filters.access) conditions.push(eb(`e.access_${feature}`, '=', 1));
	if (filters.q) {
		const pattern = `%${filters.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
		conditions.push(
			eb.or([
				eb(sql`lower(e.title)`, 'like', sql`${pattern} escape '\\'`),
				eb(sql`lower(e.description)`, 'like', sql`${pattern} escape '\\'`)
			])
		);
	}
	return conditions;
}

function applyFilters(query: Listed, filters: EventFilters, timeZone: string): Listed {
	let q = applyDates(query, filters, timeZone);
	const conditions = (eb: ExpressionBuilder<DB & { e: DB['event'] }, 'e'>) =>
		eb.and(filterConditions(eb, filters));
	if (filterConditions(expressionBuilder<DB & { e: DB['event'] }, 'e'>(), filters).length)
		q = q.where(conditions);
	return q;
}

function applyDates<Q extends Listed | Counted>(query: Q, filters: EventFilters, timeZone: string) {
	let q = query as Listed;
	if (filters.from) q = q.where('e.starts_at', '>=', localDayStartUtc(filters.from, timeZone));
	if (filters.to) {
		q = q.where('e.starts_at', '<', localDayStartUtc(addDaysToDate(filters.to, 1), timeZone));
	}
	return q as Q;
}

function summaryColumns(query: Listed) {
	return query
		.leftJoin('app_user as h', 'h.id', 'e.host_id')
		.leftJoin('organisation as o', 'o.id', 'e.organisation_id')
		.leftJoin('image as ci', 'ci.id', 'e.cover_image_id')
		.select([
			'e.id',
			'e.title',
			'e.summary',
			'e.starts_at',
			'e.ends_at',
			'e.time_band',
			'e.mode',
			'e.venue_name',
			'e.status',
			'e.capacity',
			'e.places_taken',
			'e.format_id',
			'f.name as format_name',
			'f.colour as format_colour',
			'f.icon as format_icon',
			'h.name as host_name',
			'o.name as organisation_name',
			'e.access_step_free',
			'e.access_hearing_loop',
			'e.access_accessible_toilet',
			'e.access_quiet_room',
			'e.access_parking',
			'e.access_public_transport',
			'e.record_summary',
			'e.cover_alt',
			'ci.id as cover_id',
			'ci.widths as cover_widths',
			'ci.width as cover_width',
			'ci.height as cover_height'
		]);
}

/** A place in a list of events: an event's start and id, the order the lists go in. */
export interface EventCursor {
	startsAt: string;
	id: string;
}

const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)~([A-Za-z0-9_-]{1,64})$/;

/** A cursor as it goes in an address: `2030-07-08T17:00:00.000Z~<id>`. */
export function formatEventCursor(cursor: EventCursor): string {
	return `${cursor.startsAt}~${cursor.id}`;
}

/** Reads a cursor from an address; undefined when it is not one (hand-edited or cut short). */
export function parseEventCursor(value: string): EventCursor | undefined {
	const match = CURSOR.exec(value);
	if (!match || Number.isNaN(Date.parse(match[1]!))) return undefined;
	return { startsAt: match[1]!, id: match[2]! };
}

/**
 * Where a page of events starts: the first page, the page after an event (Next) or the page
 * before one (Previous). `page` is the number the page is shown with; it changes nothing else.
 */
export type EventsPosition =
	{ page: 1 } | { page: number; after: EventCursor } | { page: number; before: EventCursor };

export interface EventsPage {
	items: EventSummary[];
	page: number;
	/** Events matching, exactly, or at least this many when `exact` is false (see EventCount). */
	total: number;
	exact: boolean;
	/** Null when the count is not exact. */
	totalPages: number | null;
	/** For the Previous link: the first event on this page; null on the first page. */
	previous: EventCursor | null;
	/** For the Next link: the last event on this page; null on the last page. */
	next: EventCursor | null;
}

/**
 * Counting reads at most this many listed events (soonest first, or latest for the past),
 * checking the filters on each in the index: beyond that the list says "at least N", so
 * counting costs the same with a hundred thousand events as with a few thousand.
 */
const COUNT_SCAN = 1_000;
/** Old `?page=N` addresses are followed this far (by an offset, which grows with N). */
export const MAX_NUMBERED_PAGE = 50;

const cursorOf = (row: EventSummary): EventCursor => ({ startsAt: row.starts_at, id: row.id });

interface ListOptions {
	when: 'upcoming' | 'past';
	filters: EventFilters;
	perPage?: number;
	timeZone: string;
	now?: string;
}

/**
 * The events a list could show, before the filters: listed, and upcoming (scheduled, not yet
 * ended) or past (ended, not cancelled). Bounds on starts_at let the index be read from where
 * the answer begins: an event still running started at most MAX_EVENT_MS ago, and one that
 * has ended has started. `cursor`: a keyset bound the caller adds on the same side; when it is
 * the tighter one, the time bound is left out so the index range starts at the cursor.
 */
function inTime<Q extends Listed | Counted>(
	query: Q,
	when: 'upcoming' | 'past',
	now: string,
	cursor?: EventCursor
): Q {
	const q = query as Listed;
	if (when === 'upcoming') {
		const since = runningSince(now);
		const scheduled = q.where('e.status', '=', 'scheduled').where('e.ends_at', '>', now);
		return (
			cursor && cursor.startsAt > since ? scheduled : scheduled.where('e.starts_at', '>', since)
		) as Q;
	}
	const ended = q.where('e.status', '!=', 'cancelled').where('e.ends_at', '<=', now);
	return (cursor && cursor.startsAt < now ? ended : ended.where('e.starts_at', '<', now)) as Q;
}

function counted(db: Kysely<DB>) {
	return db
		.selectFrom('event as e')
		.where('e.visibility', '=', 'public')
		.where('e.approval', '=', 'approved');
}
type Counted = ReturnType<typeof counted>;

/**
 * How many events match: among the first COUNT_SCAN events of the list (dates applied), how
 * many pass the filters. Exact when the list has fewer than COUNT_SCAN events.
 */
async function countEvents(db: Kysely<DB>, options: ListOptions, now: string) {
	const direction = options.when === 'upcoming' ? 'asc' : 'desc';
	const conditions = filterConditions(
		expressionBuilder<DB & { e: DB['event'] }, 'e'>(),
		options.filters
	);
	const window = applyDates(
		inTime(counted(db), options.when, now),
		options.filters,
		options.timeZone
	)
		.select(
			conditions.length
				? (eb) =>
						eb
							.case()
							.when(eb.and(filterConditions(eb, options.filters)))
							.then(1)
							.else(0)
							.end()
							.as('matches')
				: (eb) => eb.lit(1).as('matches')
		)
		.orderBy('e.starts_at', direction)
		.limit(COUNT_SCAN);
	const row = await db
		.selectFrom(window.as('w'))
		.select((eb) => [
			eb.fn.countAll<number>().as('seen'),
			eb.fn.sum<number>('w.matches').as('matching')
		])
		.executeTakeFirstOrThrow();
	return { matching: Number(row.matching ?? 0), exact: Number(row.seen) < COUNT_SCAN };
}

/**
 * One page of public events: upcoming (soonest first, including ones happening now) or past
 * (latest first, without cancelled ones), from the start or after or before an event (keyset
 * paging, so a deep page costs what the first does). Undefined after the last event.
 */
export async function listEvents(
	db: Kysely<DB>,
	options: ListOptions & { position?: EventsPosition }
): Promise<EventsPage | undefined> {
	const now = options.now ?? nowIso();
	const perPage = options.perPage ?? EVENTS_PER_PAGE;
	const position = options.position ?? { page: 1 };
	// Upcoming lists go forwards in time, past ones backwards; Previous reads the other way.
	const forwards = options.when === 'upcoming';
	const backwards = 'before' in position;
	const cursor = 'after' in position ? position.after : backwards ? position.before : null;
	const ascending = forwards !== backwards;
	// The cursor bounds the same side as the time bound only when reading in the list's order.
	let query = inTime(
		applyFilters(listed(db), options.filters, options.timeZone),
		options.when,
		now,
		cursor && !backwards ? cursor : undefined
	);
	if (cursor) {
		// (starts_at, id) beyond the cursor, written so the index range starts at the cursor.
		query = ascending
			? query
					.where('e.starts_at', '>=', cursor.startsAt)
					.where((eb) =>
						eb.or([eb('e.starts_at', '>', cursor.startsAt), eb('e.id', '>', cursor.id)])
					)
			: query
					.where('e.starts_at', '<=', cursor.startsAt)
					.where((eb) =>
						eb.or([eb('e.starts_at', '<', cursor.startsAt), eb('e.id', '<', cursor.id)])
					);
	}
	const direction = ascending ? 'asc' : 'desc';
	const [rows, count] = await Promise.all([
		summaryColumns(query)
			.orderBy('e.starts_at', direction)
			.orderBy('e.id', direction)
			// One more than a page says whether there is another beyond it.
			.limit(perPage + 1)
			.execute(),
		countEvents(db, options, now)
	]);
	const beyond = rows.length > perPage;
	const items = rows.slice(0, perPage);
	if (backwards) items.reverse();
	if (cursor && !items.length) return undefined;
	// Going back past the start lands on the first page, whatever the address said.
	const page = backwards ? (beyond ? Math.max(2, position.page) : 1) : cursor ? position.page : 1;
	const first = items[0];
	const last = items.at(-1);
	const previous = page > 1 && first ? cursorOf(first) : null;
	const next = (backwards || beyond) && last ? cursorOf(last) : null;
	// The count cannot be less than the events seen so far.
	const seen = (page - 1) * perPage + items.length + (next ? 1 : 0);
	const exact = count.exact && count.matching >= seen;
	const total = Math.max(count.matching, seen);
	return {
		items,
		page,
		total,
		exact,
		totalPages: exact ? Math.max(1, Math.ceil(total / perPage)) : null,
		previous,
		next
	};
}

/**
 * Where page `page` of a list starts, for addresses from before keyset paging (`?page=N`):
 * the last event of the page before. Undefined for the first page, and beyond the list or
 * MAX_NUMBERED_PAGE.
 */
export async function findEventsPageStart(
	db: Kysely<DB>,
	options: ListOptions & { page: number }
): Promise<EventCursor | undefined> {
	const { page } = options;
	if (!Number.isInteger(page) || page < 2 || page > MAX_NUMBERED_PAGE) return undefined;
	const perPage = options.perPage ?? EVENTS_PER_PAGE;
	const direction = options.when === 'upcoming' ? 'asc' : 'desc';
	const row = await inTime(
		applyFilters(listed(db), options.filters, options.timeZone),
		options.when,
		options.now ?? nowIso()
	)
		.select(['e.starts_at', 'e.id'])
		.orderBy('e.starts_at', direction)
		.orderBy('e.id', direction)
		.limit(1)
		.offset((page - 1) * perPage - 1)
		.executeTakeFirst();
	return row ? { startsAt: row.starts_at, id: row.id } : undefined;
}

/** The next few public events, for the home page. */
export async function nextEvents(
	db: Kysely<DB>,
	limit = 3,
	now = nowIso()
): Promise<EventSummary[]> {
	return summaryColumns(listed(db).where('e.status', '=', 'scheduled').where('e.ends_at', '>', now))
		.orderBy('e.starts_at')
		.orderBy('e.id')
		.limit(limit)
		.execute();
}

export interface CalendarMonth {
	grid: ReturnType<typeof monthGrid>;
	/** Events by local date (YYYY-MM-DD). */
	days: Record<string, EventSummary[]>;
	/** More events than the calendar shows were found (the list view has them all). */
	truncated: boolean;
}

const CALENDAR_LIMIT = 500;

/** A month of public events (scheduled and past, not cancelled), for the calendar view. */
export async function calendarMonth(
	db: Kysely<DB>,
	month: string,
	filters: EventFilters,
	timeZone: string
): Promise<CalendarMonth> {
	const grid = monthGrid(month);
	const first = grid.weeks[0]![0]!.date;
	const last = grid.weeks.at(-1)!.at(-1)!.date;
	const rows = await summaryColumns(
		applyFilters(listed(db), { ...filters, from: null, to: null }, timeZone)
			.where('e.status', '!=', 'cancelled')
			.where('e.starts_at', '>=', localDayStartUtc(first, timeZone))
			.where('e.starts_at', '<', localDayStartUtc(addDaysToDate(last, 1), timeZone))
	)
		.orderBy('e.starts_at')
		.orderBy('e.id')
		.limit(CALENDAR_LIMIT + 1)
		.execute();
	const days: Record<string, EventSummary[]> = {};
	for (const row of rows.slice(0, CALENDAR_LIMIT)) {
		const date = utcToLocal(row.starts_at, timeZone).date;
		(days[date] ??= []).push(row);
	}
	return { grid, days, truncated: rows.length > CALENDAR_LIMIT };
}

/** Upcoming public events for a calendar feed (all formats, or one). */
export async function feedEvents(
	db: Kysely<DB>,
	options: { format?: string | null; now?: string; limit?: number } = {}
) {
	const now = options.now ?? nowIso();
	// Recently finished and cancelled events stay in the feed for a while, so subscribers'
	// calendars show the cancellation instead of the event silently vanishing.
	const since = new Date(Date.parse(now) - 30 * 24 * 60 * 60 * 1000).toISOString();
	let query = listed(db)
		.where('e.starts_at', '>', new Date(Date.parse(since) - MAX_EVENT_MS).toISOString())
		.where('e.ends_at', '>', since);
	if (options.format) query = query.where('e.format_id', '=', options.format);
	return query
		.leftJoin('app_user as h', 'h.id', 'e.host_id')
		.leftJoin('organisation as o', 'o.id', 'e.organisation_id')
		.select(CALENDAR_COLUMNS)
		.orderBy('e.starts_at')
		.orderBy('e.id')
		.limit(options.limit ?? 1000)
		.execute();
}

export interface EventPage {
	event: Event;
	format: {
		id: string;
		name: string;
		tools: string;
		description: string;
		colour: FormatColour;
		icon: FormatIcon;
	};
	host: { id: string; name: string } | null;
	organisation: { slug: string; name: string } | null;
	/** Places left, or null for no limit. */
	placesLeft: number | null;
	waitlistLength: number;
	registration: ReturnType<typeof registrationState>;
	viewer: {
		signedIn: boolean;
		canManage: boolean;
		/** Their own registration, when they have one in play. */
		registration: (EventRegistration & { position: number | null }) | null;
	};
}

/**
 * An event's page for this viewer: undefined when missing, or waiting for approval and the
 * viewer may not manage it.
 */
export async function viewEvent(
	db: Kysely<DB>,
	viewer: Actor | null,
	eventId: string,
	now = nowIso()
): Promise<EventPage | undefined> {
	const event = await db
		.selectFrom('event')
		.selectAll()
		.where('id', '=', eventId)
		.executeTakeFirst();
	if (!event) return undefined;
	const standing = await standingOf(db, viewer, event);
	if (!standing.see) return undefined;
	const [format, host, organisation, waiting] = await Promise.all([
		db
			.selectFrom('event_format')
			.select(['id', 'name', 'tools', 'description', 'colour', 'icon'])
			.where('id', '=', event.format_id)
			.executeTakeFirstOrThrow(),
		event.host_id
			? db
					.selectFrom('app_user')
					.select(['id', 'name'])
					.where('id', '=', event.host_id)
					.executeTakeFirst()
			: undefined,
		event.organisation_id
			? db
					.selectFrom('organisation')
					.select(['slug', 'name'])
					.where('id', '=', event.organisation_id)
					.executeTakeFirst()
			: undefined,
		db
			.selectFrom('event_registration')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('event_id', '=', eventId)
			.where('status', '=', 'waitlisted')
			.executeTakeFirstOrThrow()
	]);
	let mine: EventPage['viewer']['registration'] = null;
	const person = viewer && 'id' in viewer ? (viewer as SessionUser) : null;
	if (person) {
		const found = await findActiveRegistration(db, eventId, { userId: person.id });
		if (found) {
			mine = {
				...found,
				position: found.status === 'waitlisted' ? await waitlistPosition(db, found) : null
			};
		}
	}
	return {
		event,
		format,
		host: host ?? null,
		organisation: organisation ?? null,
		placesLeft: event.capacity === null ? null : Math.max(0, event.capacity - event.places_taken),
		waitlistLength: Number(waiting.n),
		registration: registrationState(event, now),
		viewer: { signedIn: !!person, canManage: standing.manage, registration: mine }
	};
}

/** The event for calendars and structured data. */
export async function eventForCalendar(db: Kysely<DB>, eventId: string) {
	return findMailEvent(db, eventId);
}

export type { EventsSite };

/** Events waiting for a curator's approval, oldest first (curators only). */
export async function listPendingEvents(db: Kysely<DB>, actor: Actor | null | undefined) {
	assertCan(canApproveEvents(actor), 'Only curators can approve events.');
	return db
		.selectFrom('event as e')
		.innerJoin('event_format as f', 'f.id', 'e.format_id')
		.leftJoin('app_user as h', 'h.id', 'e.host_id')
		.select([
			'e.id',
			'e.title',
			'e.starts_at',
			'e.created_at',
			'f.name as format_name',
			'h.name as host_name'
		])
		.where('e.approval', '=', 'pending')
		.where('e.status', '=', 'scheduled')
		.orderBy('e.created_at')
		.limit(100)
		.execute();
}
