import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import type { IdeaStage, IdeaTable, NewIdea } from './ideas.tables';

type Db = Kysely<DB> | Transaction<DB>;

/** One idea, by slug or id, with its author's name. */
export async function findIdea(db: Db, by: { slug: string } | { id: string }) {
	return db
		.selectFrom('idea as i')
		.leftJoin('app_user as u', 'u.id', 'i.author_id')
		.selectAll('i')
		.select('u.name as author_name')
		.where('slug' in by ? 'i.slug' : 'i.id', '=', 'slug' in by ? by.slug : by.id)
		.executeTakeFirst();
}
export type IdeaWithAuthor = NonNullable<Awaited<ReturnType<typeof findIdea>>>;

export async function findIdeaSlugsLike(db: Db, base: string): Promise<string[]> {
	const rows = await db
		.selectFrom('idea')
		.select('slug')
		.where((eb) => eb.or([eb('slug', '=', base), eb('slug', 'like', `${base}-%`)]))
		.execute();
	return rows.map((r) => r.slug);
}

export async function insertIdea(db: Db, idea: NewIdea): Promise<void> {
	await db.insertInto('idea').values(idea).execute();
}

export async function updateIdeaRow(
	db: Db,
	id: string,
	changes: Partial<Omit<IdeaTable, 'id'>>
): Promise<void> {
	await db.updateTable('idea').set(changes).where('id', '=', id).execute();
}

/**
 * Claims the idea for a conversion: only one conversion may run, so a second press (or a
 * second curator) finds it claimed. Returns whether this call got it.
 */
export async function claimIdeaConversion(db: Db, id: string): Promise<boolean> {
	const result = await db
		.updateTable('idea')
		.set({ became_id: 'starting' })
		.where('id', '=', id)
		.where('became_id', 'is', null)
		.executeTakeFirst();
	return Number(result.numUpdatedRows) > 0;
}

export async function releaseIdeaConversion(db: Db, id: string): Promise<void> {
	await db
		.updateTable('idea')
		.set({ became_id: null })
		.where('id', '=', id)
		.where('became_id', '=', 'starting')
		.where('became_kind', 'is', null)
		.execute();
}

export interface IdeaListFilters {
	stage?: IdeaStage;
	sort: 'newest' | 'supported';
}

/** Ideas that are up (not removed), in the chosen order: each read from an index. */
export async function listIdeasPage(
	db: Db,
	filters: IdeaListFilters,
	page: { limit: number; offset: number }
) {
	let query = db
		.selectFrom('idea as i')
		.leftJoin('app_user as u', 'u.id', 'i.author_id')
		.select([
			'i.id',
			'i.slug',
			'i.title',
			'i.body',
			'i.stage',
			'i.support_count',
			'i.became_kind',
			'i.became_title',
			'i.became_path',
			'i.created_at',
			'u.name as author_name'
		])
		.select((eb) =>
			eb
				.selectFrom('idea_comment as c')
				.select(eb.fn.countAll<number>().as('n'))
				.whereRef('c.idea_id', '=', 'i.id')
				.as('comment_count')
		)
		.where('i.removed_at', 'is', null);
	if (filters.stage) query = query.where('i.stage', '=', filters.stage);
	if (filters.sort === 'supported') query = query.orderBy('i.support_count', 'desc');
	return query
		.orderBy('i.created_at', 'desc')
		.orderBy('i.id', 'desc')
		.limit(page.limit)
		.offset(page.offset)
		.execute();
}

export async function countIdeas(db: Db, filters: Pick<IdeaListFilters, 'stage'>) {
	let query = db
		.selectFrom('idea')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('removed_at', 'is', null);
	if (filters.stage) query = query.where('stage', '=', filters.stage);
	return Number((await query.executeTakeFirstOrThrow()).n);
}

/** Ideas that are up, a batch at a time in id order, for the sitemap. */
export async function listIdeaLinksAfter(db: Db, afterId: string | null, limit: number) {
	let query = db
		.selectFrom('idea')
		.select(['id', 'slug', 'updated_at'])
		.where('removed_at', 'is', null);
	if (afterId) query = query.where('id', '>', afterId);
	return query.orderBy('id').limit(limit).execute();
}

// Stages --------------------------------------------------------------------------------------

export async function insertStageChange(
	db: Db,
	row: {
		id: string;
		idea_id: string;
		from_stage: IdeaStage;
		to_stage: IdeaStage;
		note: string;
		changed_by: string | null;
		changed_at: string;
	}
): Promise<void> {
	await db.insertInto('idea_stage_change').values(row).execute();
}

/** The idea's history, oldest first, with who moved it. */
export async function listStageChanges(db: Db, ideaId: string) {
	return db
		.selectFrom('idea_stage_change as s')
		.leftJoin('app_user as u', 'u.id', 's.changed_by')
		.select(['s.id', 's.from_stage', 's.to_stage', 's.note', 's.changed_at', 'u.name as by_name'])
		.where('s.idea_id', '=', ideaId)
		.orderBy('s.changed_at')
		.orderBy('s.id')
		.execute();
}

// Supports ------------------------------------------------------------------------------------

export async function findSupport(db: Db, ideaId: string, userId: string) {
	return db
		.selectFrom('idea_support')
		.selectAll()
		.where('idea_id', '=', ideaId)
		.where('user_id', '=', userId)
		.executeTakeFirst();
}

/** Adds the person's support, or changes how they support it: one row per person per idea. */
export async function upsertSupport(
	db: Db,
	row: {
		idea_id: string;
		user_id: string;
		would_come: number;
		would_help: number;
		knows_someone: number;
		note: string;
		created_at: string;
		updated_at: string;
	}
): Promise<void> {
	await db
		.insertInto('idea_support')
		.values(row)
		.onConflict((oc) =>
			oc.columns(['idea_id', 'user_id']).doUpdateSet({
				would_come: row.would_come,
				would_help: row.would_help,
				knows_someone: row.knows_someone,
				note: row.note,
				updated_at: row.updated_at
			})
		)
		.execute();
}

export async function deleteSupport(db: Db, ideaId: string, userId: string): Promise<boolean> {
	const result = await db
		.deleteFrom('idea_support')
		.where('idea_id', '=', ideaId)
		.where('user_id', '=', userId)
		.executeTakeFirst();
	return Number(result.numDeletedRows) > 0;
}

/** Counts the idea's supports again into `support_count` (after any change to them). */
export async function recountSupport(db: Db, ideaId: string): Promise<void> {
	await db
		.updateTable('idea')
		.set((eb) => ({
			support_count: eb
				.selectFrom('idea_support')
				.select(eb.fn.countAll<number>().as('n'))
				.where('idea_id', '=', ideaId)
		}))
		.where('id', '=', ideaId)
		.execute();
}

/** Everyone supporting the idea, oldest first, with names: one query. */
export async function listSupports(db: Db, ideaId: string) {
	return db
		.selectFrom('idea_support as s')
		.innerJoin('app_user as u', 'u.id', 's.user_id')
		.select([
			's.user_id',
			's.would_come',
			's.would_help',
			's.knows_someone',
			's.note',
			's.created_at',
			'u.name'
		])
		.where('s.idea_id', '=', ideaId)
		.orderBy('s.created_at')
		.orderBy('s.user_id')
		.execute();
}

export async function listSupporterIds(db: Db, ideaId: string): Promise<string[]> {
	const rows = await db
		.selectFrom('idea_support')
		.select('user_id')
		.where('idea_id', '=', ideaId)
		.execute();
	return rows.map((r) => r.user_id);
}

// Comments ------------------------------------------------------------------------------------

export async function insertIdeaComment(
	db: Db,
	row: {
		id: string;
		idea_id: string;
		author_id: string;
		body: string;
		created_at: string;
	}
): Promise<void> {
	await db
		.insertInto('idea_comment')
		.values({ ...row, edited_at: null })
		.execute();
}

export async function findIdeaComment(db: Db, id: string) {
	return db.selectFrom('idea_comment').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateIdeaCommentBody(
	db: Db,
	id: string,
	body: string,
	now: string
): Promise<void> {
	await db.updateTable('idea_comment').set({ body, edited_at: now }).where('id', '=', id).execute();
}

export async function deleteIdeaComment(db: Db, id: string): Promise<void> {
	await db.deleteFrom('idea_comment').where('id', '=', id).execute();
}

/** The idea's comments, oldest first (a conversation), with names, at most `limit`. */
export async function listIdeaComments(db: Db, ideaId: string, limit: number) {
	return db
		.selectFrom('idea_comment as c')
		.leftJoin('app_user as u', 'u.id', 'c.author_id')
		.select([
			'c.id',
			'c.author_id',
			'c.body',
			'c.created_at',
			'c.edited_at',
			'u.name as author_name'
		])
		.where('c.idea_id', '=', ideaId)
		.orderBy('c.created_at')
		.orderBy('c.id')
		.limit(limit)
		.execute();
}
