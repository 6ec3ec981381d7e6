import { sql, type Kysely, type Transaction } from 'kysely';
import { isPostgres } from '../db/database';
import type { DB } from '../db/schema';
import type { MailEvent, Registrant } from './events.mails';
import type {
	Event,
	EventFormat,
	EventRegistration,
	NewEvent,
	NewEventRegistration,
	RegistrationStatus
} from './events.tables';

type Db = Kysely<DB> | Transaction<DB>;

export async function listFormatRows(db: Db): Promise<EventFormat[]> {
	return db.selectFrom('event_format').selectAll().orderBy('position').orderBy('name').execute();
}

export async function findFormat(db: Db, id: string): Promise<EventFormat | undefined> {
	return db.selectFrom('event_format').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findEventRow(db: Db, id: string): Promise<Event | undefined> {
	return db.selectFrom('event').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Reads the event and locks its row until the transaction ends, so places are counted and
 * given out one transaction at a time. (SQLite runs one write transaction at a time already.)
 */
export async function lockEventRow(trx: Transaction<DB>, id: string): Promise<Event | undefined> {
	let query = trx.selectFrom('event').selectAll().where('id', '=', id);
	if (isPostgres(trx)) query = query.forUpdate();
	return query.executeTakeFirst();
}

export async function insertEventRow(trx: Transaction<DB>, row: NewEvent): Promise<void> {
	await trx.insertInto('event').values(row).execute();
}

/** What calendars (.ics, feeds, JSON-LD) show of an event, with the names they need. */
export const CALENDAR_COLUMNS = [
	'e.id',
	'e.title',
	'e.description',
	'e.starts_at',
	'e.ends_at',
	'e.created_at',
	'e.updated_at',
	'e.status',
	'e.mode',
	'e.venue_name',
	'e.venue_address',
	'f.name as format_name',
	'h.name as host_name',
	'o.name as organisation_name',
	'o.slug as organisation_slug'
] as const;

/** The event with the names mails, calendars and pages show (and its private online link). */
export async function findMailEvent(db: Db, id: string): Promise<MailEvent | undefined> {
	return db
		.selectFrom('event as e')
		.innerJoin('event_format as f', 'f.id', 'e.format_id')
		.leftJoin('app_user as h', 'h.id', 'e.host_id')
		.leftJoin('organisation as o', 'o.id', 'e.organisation_id')
		.select([...CALENDAR_COLUMNS, 'e.online_url'])
		.where('e.id', '=', id)
		.executeTakeFirst();
}

/** Places held now: all of them, and those held by people who did not say "lived experience". */
export async function placeUsage(
	db: Db,
	eventId: string
): Promise<{ taken: number; general: number }> {
	const row = await db
		.selectFrom('event_registration')
		.select([
			sql<number>`coalesce(sum(places), 0)`.as('taken'),
			sql<number>`coalesce(sum(case when lived_experience = 0 then places else 0 end), 0)`.as(
				'general'
			)
		])
		.where('event_id', '=', eventId)
		.where('status', 'in', ['confirmed', 'offered'])
		.executeTakeFirstOrThrow();
	return { taken: Number(row.taken), general: Number(row.general) };
}

export async function insertRegistrationRow(
	trx: Transaction<DB>,
	row: NewEventRegistration
): Promise<void> {
	await trx.insertInto('event_registration').values(row).execute();
}

export async function findRegistrationRow(
	db: Db,
	id: string
): Promise<EventRegistration | undefined> {
	return db.selectFrom('event_registration').selectAll().where('id', '=', id).executeTakeFirst();
}

const ACTIVE: RegistrationStatus[] = ['unconfirmed', 'confirmed', 'waitlisted', 'offered'];

/** A member's (or an address's) registration for the event that is still in play. */
export async function findActiveRegistration(
	db: Db,
	eventId: string,
	who: { userId: string } | { email: string }
): Promise<EventRegistration | undefined> {
	let query = db
		.selectFrom('event_registration')
		.selectAll()
		.where('event_id', '=', eventId)
		.where('status', 'in', ACTIVE);
	query =
		'userId' in who
			? query.where('user_id', '=', who.userId)
			: query.where('email', '=', who.email);
	return query.executeTakeFirst();
}

/** People waiting for a place, first come first served. */
export async function listWaitlist(db: Db, eventId: string): Promise<EventRegistration[]> {
	return db
		.selectFrom('event_registration')
		.selectAll()
		.where('event_id', '=', eventId)
		.where('status', '=', 'waitlisted')
		.orderBy('queue_number')
		.execute();
}

/** The next turn in the event's waitlist. Call with the event locked. */
export async function nextQueueNumber(db: Db, eventId: string): Promise<number> {
	const row = await db
		.selectFrom('event_registration')
		.select((eb) => eb.fn.max('queue_number').as('last'))
		.where('event_id', '=', eventId)
		.executeTakeFirst();
	return Number(row?.last ?? 0) + 1;
}

/** Where a waiting registration stands: 1 is next. */
export async function waitlistPosition(db: Db, registration: EventRegistration): Promise<number> {
	const row = await db
		.selectFrom('event_registration')
		.select((eb) => eb.fn.countAll<number>().as('ahead'))
		.where('event_id', '=', registration.event_id)
		.where('status', '=', 'waitlisted')
		.where('queue_number', '<', registration.queue_number ?? 0)
		.executeTakeFirstOrThrow();
	return Number(row.ahead) + 1;
}

/** Who to write to about registrations in these states, with their names and addresses. */
export async function listRegistrants(
	db: Db,
	eventId: string,
	statuses: RegistrationStatus[]
): Promise<Registrant[]> {
	const rows = await db
		.selectFrom('event_registration as r')
		.leftJoin('app_user as u', 'u.id', 'r.user_id')
		.select([
			'r.id',
			'r.user_id',
			'r.name',
			'r.email',
			'u.name as user_name',
			'u.email as user_email'
		])
		.where('r.event_id', '=', eventId)
		.where('r.status', 'in', statuses)
		.orderBy('r.queue_number')
		.orderBy('r.queued_at')
		.orderBy('r.id')
		.execute();
	return rows.flatMap((r) => {
		const email = r.user_email ?? r.email;
		if (!email) return [];
		return [
			{
				registrationId: r.id,
				name: r.user_name ?? r.name ?? 'there',
				email,
				userId: r.user_id
			}
		];
	});
}

export async function registrantOf(
	db: Db,
	registration: EventRegistration
): Promise<Registrant | undefined> {
	if (!registration.user_id) {
		if (!registration.email) return undefined;
		return {
			registrationId: registration.id,
			name: registration.name ?? 'there',
			email: registration.email,
			userId: null
		};
	}
	const user = await db
		.selectFrom('app_user')
		.select(['name', 'email'])
		.where('id', '=', registration.user_id)
		.executeTakeFirst();
	if (!user) return undefined;
	return {
		registrationId: registration.id,
		name: user.name,
		email: user.email,
		userId: registration.user_id
	};
}

/** Whether this member already has an approved event (their first one waits for a curator). */
export async function hasApprovedEvent(db: Db, userId: string): Promise<boolean> {
	const row = await db
		.selectFrom('event')
		.select('id')
		.where('host_id', '=', userId)
		.where('approval', '=', 'approved')
		.limit(1)
		.executeTakeFirst();
	return !!row;
}

/** Curators and administrators, to tell about an event waiting for approval. */
export async function listCurators(
	db: Db
): Promise<Array<{ id: string; name: string; email: string }>> {
	return db
		.selectFrom('app_user')
		.select(['id', 'name', 'email'])
		.where('role', 'in', ['curator', 'administrator'])
		.orderBy('created_at')
		.limit(50)
		.execute();
}

/** A page of events' descriptions and stored summaries, by id (for refreshing summaries). */
export async function listEventSummariesAfter(
	db: Db,
	afterId: string,
	limit: number
): Promise<Array<{ id: string; description: string; summary: string }>> {
	return db
		.selectFrom('event')
		.select(['id', 'description', 'summary'])
		.where('id', '>', afterId)
		.orderBy('id')
		.limit(limit)
		.execute();
}

export async function setEventSummary(db: Db, id: string, summary: string): Promise<void> {
	await db.updateTable('event').set({ summary }).where('id', '=', id).execute();
}

/** Public, approved, not cancelled events a person hosts, latest first (uses event_host_idx). */
export async function listPublicEventsHostedBy(db: Db, hostId: string, limit: number) {
	return db
		.selectFrom('event')
		.select(['id', 'title', 'starts_at'])
		.where('host_id', '=', hostId)
		.where('visibility', '=', 'public')
		.where('approval', '=', 'approved')
		.where('status', '!=', 'cancelled')
		.orderBy('starts_at', 'desc')
		.orderBy('id')
		.limit(limit)
		.execute();
}
