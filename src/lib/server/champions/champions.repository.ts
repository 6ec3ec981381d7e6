import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import type { ChampionFilters } from './champions.schema';
import type {
	ChampionRequestEntryTable,
	ChampionRequestStatus,
	ChampionRequestTable,
	ChampionStatus,
	ChampionTopicKind,
	ChampionUpdate,
	NewChampion,
	NewChampionRequest
} from './champions.tables';

type Db = Kysely<DB> | Transaction<DB>;

function championsWithNames(db: Db) {
	return db
		.selectFrom('champion as c')
		.innerJoin('app_user as u', 'u.id', 'c.user_id')
		.selectAll('c')
		.select(['u.name as name']);
}

export function findChampionById(db: Db, id: string) {
	return championsWithNames(db).where('c.id', '=', id).executeTakeFirst();
}

export function findChampionOfUser(db: Db, userId: string) {
	return championsWithNames(db).where('c.user_id', '=', userId).executeTakeFirst();
}

export async function insertChampion(db: Db, row: NewChampion): Promise<void> {
	await db.insertInto('champion').values(row).execute();
}

/** Changes a champion's row; with `fromStatuses`, only while it is in one of them. */
export async function updateChampion(
	db: Db,
	id: string,
	changes: ChampionUpdate,
	fromStatuses?: ChampionStatus[]
): Promise<boolean> {
	let query = db.updateTable('champion').set(changes).where('id', '=', id);
	if (fromStatuses) query = query.where('status', 'in', fromStatuses);
	const result = await query.executeTakeFirst();
	return Number(result.numUpdatedRows) > 0;
}

export async function replaceTopics(
	db: Db,
	championId: string,
	topics: Array<{ kind: ChampionTopicKind; value: string }>
): Promise<void> {
	await db.deleteFrom('champion_topic').where('champion_id', '=', championId).execute();
	if (topics.length)
		await db
			.insertInto('champion_topic')
			.values(topics.map((t) => ({ champion_id: championId, ...t })))
			.execute();
}

/** What each of these champions knows, in one query. */
export async function listTopics(db: Db, championIds: string[]) {
	if (!championIds.length) return [];
	return db
		.selectFrom('champion_topic')
		.select(['champion_id', 'kind', 'value'])
		.where('champion_id', 'in', championIds)
		.orderBy('champion_id')
		.orderBy('kind')
		.orderBy('value')
		.execute();
}

function listed(db: Db, filters: ChampionFilters) {
	let query = db
		.selectFrom('champion as c')
		.innerJoin('app_user as u', 'u.id', 'c.user_id')
		.where('c.status', '=', 'confirmed');
	const topic = (kind: ChampionTopicKind, value: string) =>
		query.where(({ exists, selectFrom }) =>
			exists(
				selectFrom('champion_topic as t')
					.select('t.champion_id')
					.whereRef('t.champion_id', '=', 'c.id')
					.where('t.kind', '=', kind)
					.where('t.value', '=', value)
			)
		);
	if (filters.serviceArea) query = topic('service-area', filters.serviceArea);
	if (filters.dimension) query = topic('dimension', filters.dimension);
	if (filters.available) query = query.where(`c.available_${filters.available}`, '=', 1);
	return query;
}

/** A page of confirmed (not paused) champions matching the filters, newest confirmed first. */
export async function listConfirmedChampions(
	db: Db,
	filters: ChampionFilters,
	page: { limit: number; offset: number }
) {
	const [rows, count] = await Promise.all([
		listed(db, filters)
			.selectAll('c')
			.select('u.name as name')
			.orderBy('c.confirmed_at', 'desc')
			.orderBy('c.id')
			.limit(page.limit)
			.offset(page.offset)
			.execute(),
		listed(db, filters)
			.select((eb) => eb.fn.countAll<string | number>().as('n'))
			.executeTakeFirstOrThrow()
	]);
	return { rows, total: Number(count.n) };
}

/** Confirmed, active champions who know any of these dimensions, newest confirmed first. */
export function listChampionsKnowingDimensions(db: Db, keys: string[], limit: number) {
	return db
		.selectFrom('champion as c')
		.innerJoin('app_user as u', 'u.id', 'c.user_id')
		.select(['c.id', 'u.name as name'])
		.where('c.status', '=', 'confirmed')
		.where(({ exists, selectFrom }) =>
			exists(
				selectFrom('champion_topic as t')
					.select('t.champion_id')
					.whereRef('t.champion_id', '=', 'c.id')
					.where('t.kind', '=', 'dimension')
					.where('t.value', 'in', keys)
			)
		)
		.orderBy('c.confirmed_at', 'desc')
		.orderBy('c.id')
		.limit(limit)
		.execute();
}

/** Confirmed, active champions by name, for "suggest another champion" (not these people). */
export function listActiveChampionChoices(db: Db, exceptUserIds: string[], limit: number) {
	let query = db
		.selectFrom('champion as c')
		.innerJoin('app_user as u', 'u.id', 'c.user_id')
		.select(['c.id', 'u.name as name'])
		.where('c.status', '=', 'confirmed');
	if (exceptUserIds.length) query = query.where('c.user_id', 'not in', exceptUserIds);
	return query.orderBy('u.name').orderBy('c.id').limit(limit).execute();
}

/** Offers waiting for a curator, oldest first. */
export function listWaitingChampions(db: Db, limit: number) {
	return championsWithNames(db)
		.where('c.status', '=', 'waiting')
		.orderBy('c.created_at')
		.orderBy('c.id')
		.limit(limit)
		.execute();
}

export async function insertRequest(db: Db, row: NewChampionRequest): Promise<void> {
	await db.insertInto('champion_request').values(row).execute();
}

/** Adds a line to a request's history, after the ones already there. */
export async function insertEntry(
	db: Db,
	row: Omit<ChampionRequestEntryTable, 'body' | 'champion_id' | 'actor_id' | 'position'> &
		Partial<Pick<ChampionRequestEntryTable, 'body' | 'champion_id' | 'actor_id'>>
): Promise<void> {
	const last = await db
		.selectFrom('champion_request_entry')
		.select((eb) => eb.fn.max('position').as('n'))
		.where('request_id', '=', row.request_id)
		.executeTakeFirst();
	await db
		.insertInto('champion_request_entry')
		.values({
			body: null,
			champion_id: null,
			actor_id: null,
			...row,
			position: Number(last?.n ?? 0) + 1
		})
		.execute();
}

/** A request with who asked and who holds it now. */
export function findRequest(db: Db, id: string) {
	return db
		.selectFrom('champion_request as r')
		.innerJoin('app_user as a', 'a.id', 'r.asker_id')
		.leftJoin('champion as c', 'c.id', 'r.champion_id')
		.leftJoin('app_user as cu', 'cu.id', 'c.user_id')
		.selectAll('r')
		.select([
			'a.name as asker_name',
			'a.email as asker_email',
			'c.user_id as champion_user_id',
			'c.status as champion_status',
			'c.phone as champion_phone',
			'c.contact_preference as champion_contact_preference',
			'cu.name as champion_name',
			'cu.email as champion_email'
		])
		.where('r.id', '=', id)
		.executeTakeFirst();
}

export type RequestRow = NonNullable<Awaited<ReturnType<typeof findRequest>>>;

export function listEntries(db: Db, requestId: string) {
	return db
		.selectFrom('champion_request_entry as e')
		.leftJoin('app_user as u', 'u.id', 'e.actor_id')
		.leftJoin('champion as c', 'c.id', 'e.champion_id')
		.leftJoin('app_user as cu', 'cu.id', 'c.user_id')
		.select([
			'e.id',
			'e.kind',
			'e.body',
			'e.actor_id',
			'e.created_at',
			'u.name as actor_name',
			'cu.name as champion_name'
		])
		.where('e.request_id', '=', requestId)
		.orderBy('e.position')
		.execute();
}

/** Changes a request only while it is in one of `fromStatuses` (and, if given, held by `championId`). */
export async function moveRequest(
	db: Db,
	id: string,
	fromStatuses: ChampionRequestStatus[],
	changes: Partial<ChampionRequestTable>,
	championId?: string
): Promise<boolean> {
	let query = db
		.updateTable('champion_request')
		.set(changes)
		.where('id', '=', id)
		.where('status', 'in', fromStatuses);
	if (championId) query = query.where('champion_id', '=', championId);
	const result = await query.executeTakeFirst();
	return Number(result.numUpdatedRows) > 0;
}

/** Requests a person asked, or holds as a champion, most recently changed first. */
export function listRequestsOf(
	db: Db,
	side: { askerId: string } | { championId: string },
	page: { limit: number; offset: number }
) {
	let query = db
		.selectFrom('champion_request as r')
		.innerJoin('app_user as a', 'a.id', 'r.asker_id')
		.leftJoin('champion as c', 'c.id', 'r.champion_id')
		.leftJoin('app_user as cu', 'cu.id', 'c.user_id')
		.select([
			'r.id',
			'r.status',
			'r.body',
			'r.updated_at',
			'r.created_at',
			'r.flagged_at',
			'a.name as asker_name',
			'cu.name as champion_name'
		]);
	query =
		'askerId' in side
			? query.where('r.asker_id', '=', side.askerId)
			: query.where('r.champion_id', '=', side.championId);
	return query
		.orderBy('r.updated_at', 'desc')
		.orderBy('r.id')
		.limit(page.limit)
		.offset(page.offset)
		.execute();
}

/** Open requests flagged as unanswered, oldest first, for curators. */
export function listFlaggedRequests(db: Db, limit: number) {
	return db
		.selectFrom('champion_request as r')
		.innerJoin('app_user as a', 'a.id', 'r.asker_id')
		.leftJoin('champion as c', 'c.id', 'r.champion_id')
		.leftJoin('app_user as cu', 'cu.id', 'c.user_id')
		.select([
			'r.id',
			'r.waiting_since',
			'r.flagged_at',
			'r.service_area_id',
			'a.name as asker_name',
			'cu.name as champion_name',
			'c.id as champion_id'
		])
		.where('r.status', '=', 'open')
		.where('r.flagged_at', 'is not', null)
		.orderBy('r.waiting_since')
		.orderBy('r.id')
		.limit(limit)
		.execute();
}

/** Open requests waiting since before `cutoff` and not flagged yet. */
export function listUnflaggedWaitingBefore(db: Db, cutoff: string, limit: number) {
	return db
		.selectFrom('champion_request')
		.select(['id'])
		.where('status', '=', 'open')
		.where('waiting_since', '<', cutoff)
		.where('flagged_at', 'is', null)
		.orderBy('waiting_since')
		.limit(limit)
		.execute();
}

/** Requests a champion holds that are not finished (for pausing and stepping down). */
export function listUnfinishedRequestsOf(db: Db, championId: string) {
	return db
		.selectFrom('champion_request')
		.select(['id', 'asker_id', 'status'])
		.where('champion_id', '=', championId)
		.where('status', 'in', ['open', 'accepted'])
		.execute();
}

/** Curators and administrators, to be told of unanswered requests and new offers. */
export function listCuratorIds(db: Db) {
	return db
		.selectFrom('app_user')
		.select('id')
		.where('role', 'in', ['curator', 'administrator'])
		.execute();
}
