import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import type {
	Enquiry,
	EnquiryRole,
	EnquiryStage,
	EnquiryTable,
	EnquiryInvitationTable
} from './enquiries.tables';
import type { Insertable, Selectable } from 'kysely';

type Db = Kysely<DB> | Transaction<DB>;

export async function insertEnquiry(db: Db, row: Insertable<EnquiryTable>): Promise<void> {
	await db.insertInto('enquiry').values(row).execute();
}

export async function updateEnquiryRow(
	db: Db,
	id: string,
	changes: Partial<
		Pick<
			Enquiry,
			'title' | 'questions' | 'purpose' | 'method' | 'consent_text' | 'stage' | 'updated_at'
		>
	>
): Promise<void> {
	await db.updateTable('enquiry').set(changes).where('id', '=', id).execute();
}

export async function countEnquiries(db: Db, stage: EnquiryStage | null): Promise<number> {
	let q = db.selectFrom('enquiry').select((eb) => eb.fn.countAll<number>().as('n'));
	if (stage) q = q.where('stage', '=', stage);
	const row = await q.executeTakeFirst();
	return Number(row?.n ?? 0);
}

export async function listEnquiriesPage(
	db: Db,
	stage: EnquiryStage | null,
	limit: number,
	offset: number
): Promise<Array<Pick<Enquiry, 'id' | 'title' | 'questions' | 'stage' | 'created_at'>>> {
	let q = db.selectFrom('enquiry').select(['id', 'title', 'questions', 'stage', 'created_at']);
	if (stage) q = q.where('stage', '=', stage);
	return q
		.orderBy('created_at', 'desc')
		.orderBy('id', 'desc')
		.limit(limit)
		.offset(offset)
		.execute();
}

export interface TeamMemberRow {
	enquiry_id: string;
	user_id: string;
	name: string;
	role: EnquiryRole;
	added_at: string;
}

/** The teams of several enquiries in one query, leads first, then longest-serving first. */
export async function listTeams(db: Db, enquiryIds: string[]): Promise<TeamMemberRow[]> {
	if (!enquiryIds.length) return [];
	return db
		.selectFrom('enquiry_member')
		.innerJoin('app_user', 'app_user.id', 'enquiry_member.user_id')
		.select([
			'enquiry_member.enquiry_id',
			'enquiry_member.user_id',
			'app_user.name',
			'enquiry_member.role',
			'enquiry_member.added_at'
		])
		.where('enquiry_member.enquiry_id', 'in', enquiryIds)
		.orderBy('enquiry_member.role', 'asc')
		.orderBy('enquiry_member.added_at', 'asc')
		.orderBy('enquiry_member.user_id', 'asc')
		.execute();
}

export async function findMember(db: Db, enquiryId: string, userId: string) {
	return db
		.selectFrom('enquiry_member')
		.selectAll()
		.where('enquiry_id', '=', enquiryId)
		.where('user_id', '=', userId)
		.executeTakeFirst();
}

export async function insertMember(
	db: Db,
	row: {
		enquiry_id: string;
		user_id: string;
		role: EnquiryRole;
		added_by: string | null;
		added_at: string;
	}
): Promise<void> {
	await db.insertInto('enquiry_member').values(row).execute();
}

export async function updateMemberRole(
	db: Db,
	enquiryId: string,
	userId: string,
	role: EnquiryRole
): Promise<void> {
	await db
		.updateTable('enquiry_member')
		.set({ role })
		.where('enquiry_id', '=', enquiryId)
		.where('user_id', '=', userId)
		.execute();
}

export async function deleteMember(db: Db, enquiryId: string, userId: string): Promise<void> {
	await db
		.deleteFrom('enquiry_member')
		.where('enquiry_id', '=', enquiryId)
		.where('user_id', '=', userId)
		.execute();
}

export async function countLeads(db: Db, enquiryId: string): Promise<number> {
	const row = await db
		.selectFrom('enquiry_member')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('enquiry_id', '=', enquiryId)
		.where('role', '=', 'lead')
		.executeTakeFirst();
	return Number(row?.n ?? 0);
}

/** Serialises changes to one enquiry's team (PostgreSQL row lock; SQLite writes one at a time). */
export async function lockEnquiry(trx: Transaction<DB>, enquiryId: string): Promise<void> {
	await trx
		.updateTable('enquiry')
		.set((eb) => ({ updated_at: eb.ref('updated_at') }))
		.where('id', '=', enquiryId)
		.execute();
}

export type EnquiryInvitation = Selectable<EnquiryInvitationTable>;

export async function insertInvitation(db: Db, row: EnquiryInvitation): Promise<void> {
	await db.insertInto('enquiry_invitation').values(row).execute();
}

export async function findInvitationByTokenHash(db: Db, tokenHash: string) {
	return db
		.selectFrom('enquiry_invitation')
		.selectAll()
		.where('token_hash', '=', tokenHash)
		.executeTakeFirst();
}

export async function findInvitationById(db: Db, id: string) {
	return db.selectFrom('enquiry_invitation').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Invitations not yet accepted or cancelled, newest first (expired ones included, marked). */
export async function listPendingInvitations(db: Db, enquiryId: string, limit: number) {
	return db
		.selectFrom('enquiry_invitation')
		.select(['id', 'email', 'role', 'created_at', 'expires_at'])
		.where('enquiry_id', '=', enquiryId)
		.where('accepted_at', 'is', null)
		.where('cancelled_at', 'is', null)
		.orderBy('created_at', 'desc')
		.limit(limit)
		.execute();
}

/** A fresh invitation to the same address replaces any still open. */
export async function cancelOpenInvitationsTo(
	db: Db,
	enquiryId: string,
	email: string,
	now: string
): Promise<void> {
	await db
		.updateTable('enquiry_invitation')
		.set({ cancelled_at: now })
		.where('enquiry_id', '=', enquiryId)
		.where('email', '=', email)
		.where('accepted_at', 'is', null)
		.where('cancelled_at', 'is', null)
		.execute();
}

export async function markInvitationCancelled(db: Db, id: string, now: string): Promise<boolean> {
	const r = await db
		.updateTable('enquiry_invitation')
		.set({ cancelled_at: now })
		.where('id', '=', id)
		.where('accepted_at', 'is', null)
		.where('cancelled_at', 'is', null)
		.executeTakeFirst();
	return Number(r.numUpdatedRows) > 0;
}

export async function markInvitationAccepted(
	db: Db,
	id: string,
	userId: string,
	now: string
): Promise<boolean> {
	const r = await db
		.updateTable('enquiry_invitation')
		.set({ accepted_at: now, accepted_by: userId })
		.where('id', '=', id)
		.where('accepted_at', 'is', null)
		.where('cancelled_at', 'is', null)
		.executeTakeFirst();
	return Number(r.numUpdatedRows) > 0;
}

export interface SessionRow {
	id: string;
	title: string;
	starts_at: string;
	status: string;
}

/** Events linked to an enquiry; `publicOnly` keeps to approved, public ones. */
export async function listLinkedSessions(
	db: Db,
	enquiryId: string,
	publicOnly: boolean
): Promise<SessionRow[]> {
	let q = db
		.selectFrom('enquiry_session')
		.innerJoin('event', 'event.id', 'enquiry_session.event_id')
		.select(['event.id', 'event.title', 'event.starts_at', 'event.status'])
		.where('enquiry_session.enquiry_id', '=', enquiryId);
	if (publicOnly)
		q = q.where('event.visibility', '=', 'public').where('event.approval', '=', 'approved');
	return q.orderBy('event.starts_at', 'asc').limit(100).execute();
}

/** Approved events of the enquiry format from `since` on, soonest first: what a lead can link. */
export async function listLinkableEvents(
	db: Db,
	since: string,
	limit: number
): Promise<SessionRow[]> {
	return db
		.selectFrom('event')
		.select(['event.id', 'event.title', 'event.starts_at', 'event.status'])
		.where('event.format_id', '=', 'enquiry')
		.where('event.approval', '=', 'approved')
		.where('event.starts_at', '>=', since)
		.orderBy('event.starts_at', 'asc')
		.limit(limit)
		.execute();
}

export async function findEventForLinking(db: Db, eventId: string) {
	return db
		.selectFrom('event')
		.select(['id', 'format_id', 'approval'])
		.where('id', '=', eventId)
		.executeTakeFirst();
}

export async function insertSession(db: Db, enquiryId: string, eventId: string, now: string) {
	await db
		.insertInto('enquiry_session')
		.values({ enquiry_id: enquiryId, event_id: eventId, added_at: now })
		.onConflict((oc) => oc.columns(['enquiry_id', 'event_id']).doNothing())
		.execute();
}

export async function deleteSession(db: Db, enquiryId: string, eventId: string) {
	await db
		.deleteFrom('enquiry_session')
		.where('enquiry_id', '=', enquiryId)
		.where('event_id', '=', eventId)
		.execute();
}

/** The enquiries an event belongs to, for its page. */
export async function listEnquiriesOfEvent(db: Db, eventId: string) {
	return db
		.selectFrom('enquiry_session')
		.innerJoin('enquiry', 'enquiry.id', 'enquiry_session.enquiry_id')
		.select(['enquiry.id', 'enquiry.title'])
		.where('enquiry_session.event_id', '=', eventId)
		.orderBy('enquiry.title')
		.limit(10)
		.execute();
}

/** How much material the team has gathered so far, for the overview. */
export async function countMaterial(db: Db, enquiryId: string) {
	const [p, i] = await Promise.all([
		db
			.selectFrom('enquiry_participant')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('enquiry_id', '=', enquiryId)
			.where('withdrawn_at', 'is', null)
			.executeTakeFirst(),
		db
			.selectFrom('enquiry_interview')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('enquiry_id', '=', enquiryId)
			.executeTakeFirst()
	]);
	return { participants: Number(p?.n ?? 0), interviews: Number(i?.n ?? 0) };
}

/** The enquiries a person is on, newest first. */
export async function listEnquiriesOfMember(db: Db, userId: string, limit: number) {
	return db
		.selectFrom('enquiry_member')
		.innerJoin('enquiry', 'enquiry.id', 'enquiry_member.enquiry_id')
		.select(['enquiry.id', 'enquiry.title', 'enquiry.stage', 'enquiry_member.role'])
		.where('enquiry_member.user_id', '=', userId)
		.orderBy('enquiry.created_at', 'desc')
		.limit(limit)
		.execute();
}

/** Enquiries by id after `afterId`, for the sitemap. */
export async function listEnquiryLinksAfter(db: Db, afterId: string | null, limit: number) {
	let query = db.selectFrom('enquiry').select(['id', 'updated_at']);
	if (afterId) query = query.where('id', '>', afterId);
	return query.orderBy('id').limit(limit).execute();
}
