import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import type {
	NewPilot,
	NewPilotEntry,
	Pilot,
	PilotStatus,
	PilotTable,
	PilotVisibility
} from './pilots.tables';

type Db = Kysely<DB> | Transaction<DB>;

/** A pilot with where the viewer stands: on its team, following it. */
export type PilotWithViewer = Pilot & { is_member: number; is_following: number };

/** One pilot, by slug or id, with whether the viewer (if any) is on its team or follows it. */
export async function findPilot(
	db: Db,
	by: { slug: string } | { id: string },
	viewerId: string | null
): Promise<PilotWithViewer | undefined> {
	const viewer = viewerId ?? '';
	return db
		.selectFrom('pilot as p')
		.selectAll('p')
		.select((eb) => [
			eb
				.case()
				.when(
					eb.exists(
						eb
							.selectFrom('pilot_member as m')
							.select('m.user_id')
							.whereRef('m.pilot_id', '=', 'p.id')
							.where('m.user_id', '=', viewer)
					)
				)
				.then(1)
				.else(0)
				.end()
				.as('is_member'),
			eb
				.case()
				.when(
					eb.exists(
						eb
							.selectFrom('pilot_follower as f')
							.select('f.user_id')
							.whereRef('f.pilot_id', '=', 'p.id')
							.where('f.user_id', '=', viewer)
					)
				)
				.then(1)
				.else(0)
				.end()
				.as('is_following')
		])
		.where('slug' in by ? 'p.slug' : 'p.id', '=', 'slug' in by ? by.slug : by.id)
		.executeTakeFirst();
}

/** Slugs already taken that start like this one (for picking a free one). */
export async function findPilotSlugsLike(db: Db, base: string): Promise<string[]> {
	const rows = await db
		.selectFrom('pilot')
		.select('slug')
		.where((eb) => eb.or([eb('slug', '=', base), eb('slug', 'like', `${base}-%`)]))
		.execute();
	return rows.map((r) => r.slug);
}

export async function insertPilot(db: Db, pilot: NewPilot): Promise<void> {
	await db.insertInto('pilot').values(pilot).execute();
}

export async function updatePilotRow(
	db: Db,
	id: string,
	changes: Partial<Omit<PilotTable, 'id' | 'created_at'>>
): Promise<void> {
	await db.updateTable('pilot').set(changes).where('id', '=', id).execute();
}

/** Replaces a pilot's service areas. */
export async function setPilotServiceAreas(db: Db, pilotId: string, tagIds: string[]) {
	await db.deleteFrom('pilot_service_area').where('pilot_id', '=', pilotId).execute();
	if (tagIds.length)
		await db
			.insertInto('pilot_service_area')
			.values(tagIds.map((tag_id) => ({ pilot_id: pilotId, tag_id })))
			.execute();
}

/** The service areas of several pilots at once (one query for a whole page). */
export async function serviceAreasOf(
	db: Db,
	pilotIds: string[]
): Promise<Array<{ pilot_id: string; tag_id: string }>> {
	if (!pilotIds.length) return [];
	return db
		.selectFrom('pilot_service_area')
		.select(['pilot_id', 'tag_id'])
		.where('pilot_id', 'in', pilotIds)
		.execute();
}

export interface PilotListFilters {
	viewerId: string | null;
	areaId?: string;
	status?: PilotStatus;
}

/** The pilots a viewer may read, with the filters, as one query to page or count. */
function visiblePilots(db: Db, filters: PilotListFilters) {
	const { viewerId } = filters;
	let query = db.selectFrom('pilot as p').where((eb) => {
		const open = [eb('p.visibility', '=', 'public' as PilotVisibility)];
		if (viewerId) {
			open.push(eb('p.visibility', '=', 'members' as PilotVisibility));
			open.push(eb('p.owner_id', '=', viewerId));
			open.push(
				eb.exists(
					eb
						.selectFrom('pilot_member as m')
						.select('m.user_id')
						.whereRef('m.pilot_id', '=', 'p.id')
						.where('m.user_id', '=', viewerId)
				)
			);
		}
		return eb.or(open);
	});
	if (filters.status) query = query.where('p.status', '=', filters.status);
	if (filters.areaId) {
		const areaId = filters.areaId;
		query = query.where(({ exists, selectFrom }) =>
			exists(
				selectFrom('pilot_service_area as a')
					.select('a.pilot_id')
					.whereRef('a.pilot_id', '=', 'p.id')
					.where('a.tag_id', '=', areaId)
			)
		);
	}
	return query;
}

export interface PilotListRow {
	id: string;
	slug: string;
	title: string;
	summary: string;
	status: PilotStatus;
	visibility: PilotVisibility;
	updated_at: string;
	owner_name: string | null;
	organisation_name: string | null;
	entries: number;
}

/** A page of the pilots a viewer may read, the most recently active first. */
export async function listPilotsPage(
	db: Db,
	filters: PilotListFilters,
	page: { limit: number; offset: number }
): Promise<PilotListRow[]> {
	const rows = await visiblePilots(db, filters)
		.leftJoin('app_user as u', 'u.id', 'p.owner_id')
		.leftJoin('organisation as o', 'o.id', 'p.organisation_id')
		.select((eb) => [
			'p.id',
			'p.slug',
			'p.title',
			'p.summary',
			'p.status',
			'p.visibility',
			'p.updated_at',
			'u.name as owner_name',
			'o.name as organisation_name',
			eb
				.selectFrom('pilot_entry as e')
				.select((e) => e.fn.countAll<number>().as('n'))
				.whereRef('e.pilot_id', '=', 'p.id')
				.as('entries')
		])
		.orderBy('p.updated_at', 'desc')
		.orderBy('p.id', 'desc')
		.limit(page.limit)
		.offset(page.offset)
		.execute();
	return rows.map((r) => ({ ...r, entries: Number(r.entries ?? 0) }));
}

export async function countPilots(db: Db, filters: PilotListFilters): Promise<number> {
	const row = await visiblePilots(db, filters)
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

export interface EntryRow {
	id: string;
	entry_date: string;
	tried: string;
	happened: string;
	learned: string;
	next_change: string;
	author_id: string | null;
	author_name: string | null;
	created_at: string;
	edited_at: string | null;
}

/** A page of a pilot's entries, newest day first (and, within a day, the last written first). */
export async function listEntriesPage(
	db: Db,
	pilotId: string,
	page: { limit: number; offset: number }
): Promise<EntryRow[]> {
	return db
		.selectFrom('pilot_entry as e')
		.leftJoin('app_user as u', 'u.id', 'e.author_id')
		.select([
			'e.id',
			'e.entry_date',
			'e.tried',
			'e.happened',
			'e.learned',
			'e.next_change',
			'e.author_id',
			'u.name as author_name',
			'e.created_at',
			'e.edited_at'
		])
		.where('e.pilot_id', '=', pilotId)
		.orderBy('e.entry_date', 'desc')
		.orderBy('e.created_at', 'desc')
		.orderBy('e.id', 'desc')
		.limit(page.limit)
		.offset(page.offset)
		.execute();
}

/** Every entry of a pilot, oldest first (to start a case study from the whole log). */
export async function listAllEntries(db: Db, pilotId: string) {
	return db
		.selectFrom('pilot_entry')
		.select(['entry_date', 'tried', 'happened', 'learned', 'next_change'])
		.where('pilot_id', '=', pilotId)
		.orderBy('entry_date')
		.orderBy('created_at')
		.execute();
}

export async function countEntries(db: Db, pilotId: string): Promise<number> {
	const row = await db
		.selectFrom('pilot_entry')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('pilot_id', '=', pilotId)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

export async function findEntry(db: Db, id: string) {
	return db.selectFrom('pilot_entry').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertEntry(db: Db, entry: NewPilotEntry): Promise<void> {
	await db.insertInto('pilot_entry').values(entry).execute();
}

export async function updateEntryRow(
	db: Db,
	id: string,
	changes: Pick<
		NewPilotEntry,
		'entry_date' | 'tried' | 'happened' | 'learned' | 'next_change' | 'edited_by' | 'edited_at'
	>
): Promise<void> {
	await db.updateTable('pilot_entry').set(changes).where('id', '=', id).execute();
}

/** The owner and the members, the owner first, then in the order they joined. */
export async function listTeam(db: Db, pilot: Pick<Pilot, 'id' | 'owner_id'>) {
	const members = await db
		.selectFrom('pilot_member as m')
		.innerJoin('app_user as u', 'u.id', 'm.user_id')
		.select(['m.user_id', 'u.name', 'm.added_at'])
		.where('m.pilot_id', '=', pilot.id)
		.orderBy('m.added_at')
		.orderBy('m.user_id')
		.execute();
	const owner = pilot.owner_id
		? await db
				.selectFrom('app_user')
				.select(['id', 'name'])
				.where('id', '=', pilot.owner_id)
				.executeTakeFirst()
		: undefined;
	return { owner, members };
}

/** A person with an account, by the address they sign in with. */
export async function findPersonByEmail(db: Db, email: string) {
	return db
		.selectFrom('app_user')
		.select(['id', 'name'])
		.where('email', '=', email.trim().toLowerCase())
		.executeTakeFirst();
}

export async function insertMember(
	db: Db,
	row: { pilot_id: string; user_id: string; added_by: string; added_at: string }
): Promise<boolean> {
	const result = await db
		.insertInto('pilot_member')
		.values(row)
		.onConflict((oc) => oc.columns(['pilot_id', 'user_id']).doNothing())
		.executeTakeFirst();
	return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function deleteMember(db: Db, pilotId: string, userId: string): Promise<boolean> {
	const result = await db
		.deleteFrom('pilot_member')
		.where('pilot_id', '=', pilotId)
		.where('user_id', '=', userId)
		.executeTakeFirst();
	return Number(result.numDeletedRows) > 0;
}

export async function insertFollower(db: Db, pilotId: string, userId: string, now: string) {
	await db
		.insertInto('pilot_follower')
		.values({ pilot_id: pilotId, user_id: userId, created_at: now })
		.onConflict((oc) => oc.columns(['pilot_id', 'user_id']).doNothing())
		.execute();
}

export async function deleteFollower(db: Db, pilotId: string, userId: string) {
	await db
		.deleteFrom('pilot_follower')
		.where('pilot_id', '=', pilotId)
		.where('user_id', '=', userId)
		.execute();
}

export async function countFollowers(db: Db, pilotId: string): Promise<number> {
	const row = await db
		.selectFrom('pilot_follower')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('pilot_id', '=', pilotId)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

/**
 * Followers of a pilot who may still read it, in one query: for a team-only pilot, only
 * followers who are its owner or on its team.
 */
export async function followersWhoMaySee(
	db: Db,
	pilot: Pick<Pilot, 'id' | 'owner_id' | 'visibility'>
): Promise<string[]> {
	let query = db
		.selectFrom('pilot_follower as f')
		.select('f.user_id')
		.where('f.pilot_id', '=', pilot.id);
	if (pilot.visibility === 'team') {
		const ownerId = pilot.owner_id ?? '';
		query = query.where((eb) =>
			eb.or([
				eb('f.user_id', '=', ownerId),
				eb.exists(
					eb
						.selectFrom('pilot_member as m')
						.select('m.user_id')
						.whereRef('m.pilot_id', '=', 'f.pilot_id')
						.whereRef('m.user_id', '=', 'f.user_id')
				)
			])
		);
	}
	const rows = await query.orderBy('f.user_id').execute();
	return rows.map((r) => r.user_id);
}

/** Drops the follows of people who may no longer read the pilot (its team only now). */
export async function dropFollowersOutsideTeam(
	db: Db,
	pilot: Pick<Pilot, 'id' | 'owner_id'>
): Promise<number> {
	const result = await db
		.deleteFrom('pilot_follower')
		.where('pilot_id', '=', pilot.id)
		.where('user_id', '!=', pilot.owner_id ?? '')
		.where(({ not, exists, selectFrom }) =>
			not(
				exists(
					selectFrom('pilot_member as m')
						.select('m.user_id')
						.whereRef('m.pilot_id', '=', 'pilot_follower.pilot_id')
						.whereRef('m.user_id', '=', 'pilot_follower.user_id')
				)
			)
		)
		.executeTakeFirst();
	return Number(result.numDeletedRows);
}

export async function findPilotByCaseStudy(db: Db, caseStudyId: string) {
	return db
		.selectFrom('pilot')
		.select(['slug', 'title', 'visibility'])
		.where('case_study_id', '=', caseStudyId)
		.executeTakeFirst();
}

/** The name and address of the organisation a pilot runs on behalf of. */
export async function findOrganisationOf(db: Db, organisationId: string) {
	return db
		.selectFrom('organisation')
		.select(['name', 'slug'])
		.where('id', '=', organisationId)
		.executeTakeFirst();
}
