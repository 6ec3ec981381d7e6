import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema';
import type { Decision, DecisionStatus, NewDecision } from './decisions.tables';

type Db = Kysely<DB> | Transaction<DB>;

export async function insertDecision(db: Db, row: NewDecision): Promise<void> {
	await db.insertInto('decision').values(row).execute();
}

export async function findDecision(
	db: Db,
	by: { id: string } | { slug: string }
): Promise<Decision | undefined> {
	let q = db.selectFrom('decision').selectAll();
	q = 'id' in by ? q.where('id', '=', by.id) : q.where('slug', '=', by.slug);
	return q.executeTakeFirst();
}

export async function findSlugsLike(db: Db, base: string): Promise<string[]> {
	const rows = await db
		.selectFrom('decision')
		.select('slug')
		.where((eb) => eb.or([eb('slug', '=', base), eb('slug', 'like', `${base}-%`)]))
		.execute();
	return rows.map((r) => r.slug);
}

export async function findNextRound(db: Db, id: string) {
	return db
		.selectFrom('decision')
		.select(['id', 'slug', 'round', 'status'])
		.where('previous_round_id', '=', id)
		.executeTakeFirst();
}

export async function listOptions(db: Db, decisionId: string) {
	return db
		.selectFrom('decision_option')
		.select(['id', 'label', 'position'])
		.where('decision_id', '=', decisionId)
		.orderBy('position')
		.execute();
}

export async function replaceOptions(
	db: Db,
	decisionId: string,
	options: { id: string; label: string }[]
) {
	await db.deleteFrom('decision_option').where('decision_id', '=', decisionId).execute();
	if (options.length)
		await db
			.insertInto('decision_option')
			.values(
				options.map((o, i) => ({
					id: o.id,
					decision_id: decisionId,
					position: i + 1,
					label: o.label
				}))
			)
			.execute();
}

export async function isFacilitatorOf(
	db: Db,
	decisionId: string,
	userId: string
): Promise<boolean> {
	const row = await db
		.selectFrom('decision_facilitator')
		.select('user_id')
		.where('decision_id', '=', decisionId)
		.where('user_id', '=', userId)
		.executeTakeFirst();
	return !!row;
}

export async function listFacilitators(db: Db, decisionId: string) {
	return db
		.selectFrom('decision_facilitator as f')
		.innerJoin('app_user as u', 'u.id', 'f.user_id')
		.select(['u.id', 'u.name'])
		.where('f.decision_id', '=', decisionId)
		.orderBy('f.added_at')
		.execute();
}

export async function addFacilitator(db: Db, decisionId: string, userId: string, now: string) {
	await db
		.insertInto('decision_facilitator')
		.values({ decision_id: decisionId, user_id: userId, added_at: now })
		.onConflict((oc) => oc.columns(['decision_id', 'user_id']).doNothing())
		.execute();
}

export async function listGroup(db: Db, decisionId: string) {
	return db
		.selectFrom('decision_group_member as g')
		.innerJoin('app_user as u', 'u.id', 'g.user_id')
		.select(['u.id', 'u.name', 'u.email'])
		.where('g.decision_id', '=', decisionId)
		.orderBy('u.name')
		.execute();
}

export async function addGroupMembers(db: Db, decisionId: string, userIds: string[], now: string) {
	if (!userIds.length) return;
	await db
		.insertInto('decision_group_member')
		.values(userIds.map((user_id) => ({ decision_id: decisionId, user_id, added_at: now })))
		.onConflict((oc) => oc.columns(['decision_id', 'user_id']).doNothing())
		.execute();
}

export async function removeGroupMember(db: Db, decisionId: string, userId: string) {
	await db
		.deleteFrom('decision_group_member')
		.where('decision_id', '=', decisionId)
		.where('user_id', '=', userId)
		.execute();
}

export async function findPeopleByEmail(db: Db, emails: string[]) {
	if (!emails.length) return [];
	return db
		.selectFrom('app_user')
		.select(['id', 'email', 'name'])
		.where((eb) => eb(eb.fn<string>('lower', ['email']), 'in', emails))
		.execute();
}

export async function findOrganisationName(db: Db, id: string) {
	return db
		.selectFrom('organisation')
		.select(['id', 'name', 'slug'])
		.where('id', '=', id)
		.executeTakeFirst();
}

export async function findEventTitle(db: Db, id: string) {
	return db.selectFrom('event').select(['id', 'title']).where('id', '=', id).executeTakeFirst();
}

/** The people a decision is put to, as a subquery of user ids. */
export function participantIds(
	db: Db,
	decision: Pick<Decision, 'id' | 'audience' | 'audience_organisation_id' | 'audience_event_id'>
) {
	switch (decision.audience) {
		case 'organisation':
			return db
				.selectFrom('organisation_member')
				.select('user_id as id')
				.where('organisation_id', '=', decision.audience_organisation_id ?? '');
		case 'event':
			return db
				.selectFrom('event_registration')
				.select('user_id as id')
				.where('event_id', '=', decision.audience_event_id ?? '')
				.where('status', '=', 'confirmed')
				.where('user_id', 'is not', null);
		case 'group':
			return db
				.selectFrom('decision_group_member')
				.select('user_id as id')
				.where('decision_id', '=', decision.id);
		default:
			return db.selectFrom('app_user').select('id');
	}
}

export async function isParticipantIn(
	db: Db,
	decision: Parameters<typeof participantIds>[1],
	userId: string
): Promise<boolean> {
	// Everyone with an account is asked: no need to look through every member.
	if (decision.audience === 'members') return true;
	const row = await db
		.selectFrom('app_user')
		.select('id')
		.where('id', '=', userId)
		.where('id', 'in', participantIds(db, decision) as never)
		.executeTakeFirst();
	return !!row;
}

export async function countParticipants(db: Db, decision: Parameters<typeof participantIds>[1]) {
	if (decision.audience === 'members') {
		const all = await db
			.selectFrom('app_user')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow();
		return Number(all.n);
	}
	const row = await db
		.selectFrom('app_user')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('id', 'in', participantIds(db, decision) as never)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

/** Participants who have not responded yet (for the reminder). */
export async function listSilentParticipants(db: Db, decision: Decision) {
	return db
		.selectFrom('app_user as u')
		.select(['u.id'])
		.where('u.id', 'in', participantIds(db, decision) as never)
		.where((eb) =>
			eb.not(
				eb.exists(
					eb
						.selectFrom('decision_response as r')
						.select('r.id')
						.where('r.decision_id', '=', decision.id)
						.whereRef('r.person_id', '=', 'u.id')
				)
			)
		)
		.execute();
}

export async function listParticipantIds(db: Db, decision: Decision): Promise<string[]> {
	const rows = await db
		.selectFrom('app_user')
		.select('id')
		.where('id', 'in', participantIds(db, decision) as never)
		.execute();
	return rows.map((r) => r.id);
}

export async function countResponses(db: Db, decisionId: string): Promise<number> {
	const row = await db
		.selectFrom('decision_response')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('decision_id', '=', decisionId)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

export async function findOwnResponse(db: Db, decisionId: string, personId: string) {
	return db
		.selectFrom('decision_response')
		.selectAll()
		.where('decision_id', '=', decisionId)
		.where('person_id', '=', personId)
		.executeTakeFirst();
}

/**
 * Responses by position, read from the (decision_id, position) index alone. Only objections
 * need to know whether they carry a reason (consent counts reasoned ones), so only they are read
 * from the table.
 */
export async function countPositions(db: Db, decisionId: string) {
	const [rows, reasoned] = await Promise.all([
		db
			.selectFrom('decision_response')
			.select(['position', sql<number>`count(*)`.as('n')])
			.where('decision_id', '=', decisionId)
			.groupBy('position')
			.execute(),
		db
			.selectFrom('decision_response')
			.select(sql<number>`count(*)`.as('n'))
			.where('decision_id', '=', decisionId)
			.where('position', '=', 'object')
			.where('reason', '!=', '')
			.executeTakeFirstOrThrow()
	]);
	return rows.map((r) => ({
		position: r.position,
		n: Number(r.n),
		withReason: r.position === 'object' ? Number(reasoned.n) : 0
	}));
}

export async function listChoices(db: Db, decisionId: string): Promise<string[]> {
	const rows = await db
		.selectFrom('decision_response')
		.select('choices')
		.where('decision_id', '=', decisionId)
		.where('choices', 'is not', null)
		.execute();
	return rows.map((r) => r.choices as string);
}

/** The latest reasons, with names (the service hides them for anonymous decisions). */
export async function listReasons(db: Db, decisionId: string, limit: number) {
	return db
		.selectFrom('decision_response as r')
		.leftJoin('app_user as u', 'u.id', 'r.person_id')
		.select(['r.id', 'r.position', 'r.reason', 'u.name'])
		.where('r.decision_id', '=', decisionId)
		.where('r.reason', '!=', '')
		.orderBy('r.updated_at', 'desc')
		.orderBy('r.id', 'desc')
		.limit(limit)
		.execute();
}

export async function countDecisions(db: Db, visibleDraftsFor: string | null, isCurator: boolean) {
	const row = await listQuery(db, visibleDraftsFor, isCurator)
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

/** Curators see every decision; others every one that is not a draft, and their own drafts. */
function listQuery(db: Db, viewerId: string | null, isCurator: boolean) {
	const all = db.selectFrom('decision as d');
	if (isCurator) return all;
	return all.where((eb) =>
		eb.or([
			eb('d.status', '!=', 'draft'),
			eb.exists(
				eb
					.selectFrom('decision_facilitator as f')
					.select('f.user_id')
					.whereRef('f.decision_id', '=', 'd.id')
					.where('f.user_id', '=', viewerId ?? '')
			)
		])
	);
}

/** Open first (closing soonest first), then drafts, then closed (latest first). */
export async function listDecisionsPage(
	db: Db,
	viewerId: string | null,
	isCurator: boolean,
	page: { limit: number; offset: number }
) {
	return listQuery(db, viewerId, isCurator)
		.select([
			'd.id',
			'd.slug',
			'd.question',
			'd.process',
			'd.status',
			'd.closes_at',
			'd.closed_at',
			'd.result',
			'd.round'
		])
		.orderBy(sql`case d.status when 'open' then 0 when 'draft' then 1 else 2 end`)
		.orderBy(sql`case when d.status = 'open' then d.closes_at end`)
		.orderBy('d.closes_at', 'desc')
		.orderBy('d.id')
		.limit(page.limit)
		.offset(page.offset)
		.execute();
}

export async function setStatus(
	db: Db,
	id: string,
	from: DecisionStatus,
	changes: Partial<Pick<Decision, 'status' | 'opened_at' | 'closed_at' | 'updated_at'>>
): Promise<boolean> {
	const result = await db
		.updateTable('decision')
		.set(changes)
		.where('id', '=', id)
		.where('status', '=', from)
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}
