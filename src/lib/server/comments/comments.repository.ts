import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import type { NewComment } from './comments.tables';

type Db = Kysely<DB> | Transaction<DB>;

/** What comments need to know about a post. */
export async function findPostForComments(db: Db, where: { slug: string } | { id: string }) {
	let query = db
		.selectFrom('post')
		.select([
			'id',
			'slug',
			'title',
			'author_id',
			'status',
			'published_at',
			'hidden_at',
			'comments_closed'
		]);
	query = 'slug' in where ? query.where('slug', '=', where.slug) : query.where('id', '=', where.id);
	return query.executeTakeFirst();
}
export type PostForComments = NonNullable<Awaited<ReturnType<typeof findPostForComments>>>;

export async function findComment(db: Db, id: string) {
	return db.selectFrom('comment').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertComment(trx: Db, comment: NewComment): Promise<void> {
	await trx.insertInto('comment').values(comment).execute();
}

export async function countTopLevelComments(db: Db, postId: string): Promise<number> {
	const row = await db
		.selectFrom('comment')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('post_id', '=', postId)
		.where('parent_id', 'is', null)
		.executeTakeFirst();
	return Number(row?.n ?? 0);
}

/**
 * One page of a post's thread in one query: the page's top-level comments (oldest first) and
 * every reply to them, with the authors' names.
 */
export async function listThreadPage(
	db: Db,
	postId: string,
	page: { limit: number; offset: number }
) {
	const topLevel = db
		.selectFrom('comment')
		.select('id')
		.where('post_id', '=', postId)
		.where('parent_id', 'is', null)
		.orderBy('created_at')
		.orderBy('id')
		.limit(page.limit)
		.offset(page.offset);
	return db
		.selectFrom('comment as c')
		.leftJoin('app_user as u', 'u.id', 'c.author_id')
		.select([
			'c.id',
			'c.parent_id',
			'c.author_id',
			'c.body',
			'c.created_at',
			'c.edited_at',
			'c.deleted_at',
			'c.hidden_at',
			'u.name as author_name'
		])
		.where('c.post_id', '=', postId)
		.where((eb) => eb.or([eb('c.id', 'in', topLevel), eb('c.parent_id', 'in', topLevel)]))
		.orderBy('c.created_at')
		.orderBy('c.id')
		.execute();
}

export async function updateCommentBody(
	trx: Db,
	id: string,
	body: string,
	editedAt: string
): Promise<void> {
	await trx
		.updateTable('comment')
		.set({ body, edited_at: editedAt })
		.where('id', '=', id)
		.execute();
}

export async function countReplies(db: Db, id: string): Promise<number> {
	const row = await db
		.selectFrom('comment')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('parent_id', '=', id)
		.executeTakeFirst();
	return Number(row?.n ?? 0);
}

/** Keeps the row so its replies still read, as "comment deleted". */
export async function markCommentDeleted(trx: Db, id: string, now: string): Promise<void> {
	await trx
		.updateTable('comment')
		.set({ body: '', deleted_at: now })
		.where('id', '=', id)
		.execute();
}

export async function deleteCommentRow(trx: Db, id: string): Promise<void> {
	await trx.deleteFrom('comment').where('id', '=', id).execute();
}

export async function setCommentsClosed(trx: Db, postId: string, closed: boolean): Promise<void> {
	await trx
		.updateTable('post')
		.set({ comments_closed: closed ? 1 : 0 })
		.where('id', '=', postId)
		.execute();
}
