import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
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
/** Counting stops here: beyond it the list says "more than 50 pages" rather than count them all. */
const COUNT_CAP = 1_000;

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
	host_name: string | null;
	organisation_name: string | null;
	access_step_free: number;
	access_hearing_loop: number;
	access_accessible_toilet: number;
	access_quiet_room: number;
	access_parking: number;
	access_public_transport: number;
	record_summary: string | null;
}

function listed(db: Kysely<DB>) {
	return (
		db
			.selectFrom('event as e')
			.innerJoin('event_format as f', 'f.id', 'e.format_id')
			// Matches the partial index event_listed_idx.
			.where('e.visibility', '=', 'public')
			.where('e.approval', '=', 'approved')
	);
}

type Listed = ReturnType<typeof listed>;

function applyFilters(query: Listed, filters: EventFilters, timeZone: string): Listed {
	let q = query;
	if (filters.format) q = q.where('e.format_id', '=', filters.format);
	if (filters.band.length) q = q.where('e.time_band', 'in', filters.band);
	if (filters.mode.length) q = q.where('e.mode', 'in', filters.mode);
	for (const feature of filters.access) q = q.where(`e.access_${feature}`, '=', 1);
	if (filters.from) q = q.where('e.starts_at', '>=', localDayStartUtc(filters.from, timeZone));
	if (filters.to) {
		q = q.where('e.starts_at', '<', localDayStartUtc(addDaysToDate(filters.to, 1), timeZone));
	}
	if (filters.q) {
		const pattern = `%${filters.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
		q = q.where((eb) =>
			eb.or([
				eb(sql`lower(e.title)`, 'like', sql`${pattern} escape '\\'`),
				eb(sql`lower(e.description)`, 'like', sql`${pattern} escape '\\'`)
			])
		);
	}
	return q;
}

function summaryColumns(query: Listed) {
	return query
		.leftJoin('app_user as h', 'h.id', 'e.host_id')
		.leftJoin('organisation as o', 'o.id', 'e.organisation_id')
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
			'h.name as host_name',
			'o.name as organisation_name',
			'e.access_step_free',
			'e.access_hearing_loop',
			'e.access_accessible_toilet',
			'e.access_quiet_room',
			'e.access_parking',
			'e.access_public_transport',
			'e.record_summary'
		]);
}

export interface EventsPage {
	items: EventSummary[];
	page: number;
	totalPages: number;
	/** Events matching, up to 1,000; `more` says there are more than that. */
	total: number;
	more: boolean;
}

/**
 * One page of public events: upcoming (soonest first, including ones happening now) or past
 * (latest first, without cancelled ones). Undefined past the last page.
 */
export async function listEvents(
	db: Kysely<DB>,
	options: {
		when: 'upcoming' | 'past';
		filters: EventFilters;
		page?: number;
		perPage?: number;
		timeZone: string;
		now?: string;
	}
): Promise<EventsPage | undefined> {
	const now = options.now ?? nowIso();
	const perPage = options.perPage ?? EVENTS_PER_PAGE;
	const page = options.page ?? 1;
	let base = applyFilters(listed(db), options.filters, options.timeZone);
	// Bounds on starts_at let the index be read from where the answer begins: an event still
	// running started at most MAX_EVENT_MS ago, and one that has ended has started.
	base =
		options.when === 'upcoming'
			? base
					.where('e.status', '=', 'scheduled')
					.where('e.starts_at', '>', runningSince(now))
					.where('e.ends_at', '>', now)
			: base
					.where('e.status', '!=', 'cancelled')
					.where('e.starts_at', '<', now)
					.where('e.ends_at', '<=', now);
	const counted = await db
		.selectFrom(
			base
				.select('e.id')
				.limit(COUNT_CAP + 1)
				.as('matching')
		)
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.executeTakeFirstOrThrow();
	const n = Number(counted.n);
	const more = n > COUNT_CAP;
	const total = Math.min(n, COUNT_CAP);
	const totalPages = Math.max(1, Math.ceil(total / perPage));
	if (!Number.isInteger(page) || page < 1 || page > totalPages) return undefined;
	const direction = options.when === 'upcoming' ? 'asc' : 'desc';
	const items = await summaryColumns(base)
		.orderBy('e.starts_at', direction)
		.orderBy('e.id', direction)
		.limit(perPage)
		.offset((page - 1) * perPage)
		.execute();
	return { items, page, totalPages, total, more };
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
	format: { id: string; name: string; tools: string; description: string };
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
			.select(['id', 'name', 'tools', 'description'])
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
