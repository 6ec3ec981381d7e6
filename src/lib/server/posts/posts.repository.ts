import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema';
import type { NewPost, Post, PostStatus, PostUpdate, PostVersion, Theme } from './posts.tables';

type Db = Kysely<DB> | Transaction<DB>;

export async function insertPost(db: Db, post: NewPost): Promise<void> {
	await db.insertInto('post').values(post).execute();
}

export async function findPostBySlug(db: Db, slug: string): Promise<Post | undefined> {
	return db.selectFrom('post').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export async function findPostById(db: Db, id: string): Promise<Post | undefined> {
	return db.selectFrom('post').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updatePostRow(db: Db, id: string, changes: PostUpdate): Promise<void> {
	await db.updateTable('post').set(changes).where('id', '=', id).execute();
}

/** Slugs already taken that start like `base`, to choose a free one. */
export async function findPostSlugsLike(db: Db, base: string): Promise<string[]> {
	const rows = await db
		.selectFrom('post')
		.select('slug')
		.where((eb) => eb.or([eb('slug', '=', base), eb('slug', 'like', `${base}-%`)]))
		.execute();
	return rows.map((r) => r.slug);
}

/** Posts of the author's that a curator once let through (published now or since unpublished). */
export async function countApprovedPosts(db: Db, authorId: string): Promise<number> {
	const row = await db
		.selectFrom('post')
		.select((eb) => eb.fn.countAll<number | string>().as('n'))
		.where('author_id', '=', authorId)
		.where('status', 'in', ['published', 'unpublished'])
		.where('published_at', 'is not', null)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

export async function setPostThemes(db: Db, postId: string, themeIds: string[]): Promise<void> {
	await db.deleteFrom('post_theme').where('post_id', '=', postId).execute();
	if (themeIds.length)
		await db
			.insertInto('post_theme')
			.values(themeIds.map((theme_id) => ({ post_id: postId, theme_id })))
			.execute();
}

export async function listPostThemeIds(db: Db, postId: string): Promise<string[]> {
	const rows = await db
		.selectFrom('post_theme')
		.select('theme_id')
		.where('post_id', '=', postId)
		.execute();
	return rows.map((r) => r.theme_id);
}

/** Records which images the body uses (only images that exist). Returns them in body order. */
export async function setPostImages(db: Db, postId: string, imageIds: string[]): Promise<string[]> {
	await db.deleteFrom('post_image').where('post_id', '=', postId).execute();
	if (!imageIds.length) return [];
	const found = await db.selectFrom('image').select('id').where('id', 'in', imageIds).execute();
	const present = new Set(found.map((r) => r.id));
	const kept = imageIds.filter((id) => present.has(id));
	if (kept.length)
		await db
			.insertInto('post_image')
			.values(kept.map((image_id) => ({ post_id: postId, image_id })))
			.execute();
	return kept;
}

export async function insertPostVersion(db: Db, version: PostVersion): Promise<void> {
	await db.insertInto('post_version').values(version).execute();
}

export async function listPostVersions(db: Db, postId: string): Promise<PostVersion[]> {
	return db
		.selectFrom('post_version')
		.selectAll()
		.where('post_id', '=', postId)
		.orderBy('version', 'desc')
		.execute();
}

export interface PostListItem {
	id: string;
	slug: string;
	title: string;
	status: PostStatus;
	published_at: string | null;
	updated_at: string;
	featured_at: string | null;
	hidden_at: string | null;
	author_id: string | null;
	author_name: string | null;
}

const LIST_COLUMNS = [
	'p.id',
	'p.slug',
	'p.title',
	'p.status',
	'p.published_at',
	'p.updated_at',
	'p.featured_at',
	'p.hidden_at',
	'p.author_id',
	'u.name as author_name'
] as const;

/** An author's posts, most recently changed first, a page at a time (uses post_author_idx). */
export async function listPostsOfAuthor(
	db: Db,
	authorId: string,
	page: { limit: number; offset: number }
): Promise<{ rows: PostListItem[]; total: number }> {
	const rows = await db
		.selectFrom('post as p')
		.leftJoin('app_user as u', 'u.id', 'p.author_id')
		.select(LIST_COLUMNS)
		.where('p.author_id', '=', authorId)
		.orderBy('p.updated_at', 'desc')
		.orderBy('p.id')
		.limit(page.limit)
		.offset(page.offset)
		.execute();
	const total = await db
		.selectFrom('post')
		.select((eb) => eb.fn.countAll<number | string>().as('n'))
		.where('author_id', '=', authorId)
		.executeTakeFirstOrThrow();
	return { rows, total: Number(total.n) };
}

/** Posts waiting for a curator, oldest first (uses post_status_published_idx). */
export async function listWaitingPosts(
	db: Db,
	page: { limit: number; offset: number }
): Promise<{ rows: PostListItem[]; total: number }> {
	const rows = await db
		.selectFrom('post as p')
		.leftJoin('app_user as u', 'u.id', 'p.author_id')
		.select(LIST_COLUMNS)
		.where('p.status', '=', 'waiting')
		.orderBy('p.updated_at')
		.orderBy('p.id')
		.limit(page.limit)
		.offset(page.offset)
		.execute();
	const total = await db
		.selectFrom('post')
		.select((eb) => eb.fn.countAll<number | string>().as('n'))
		.where('status', '=', 'waiting')
		.executeTakeFirstOrThrow();
	return { rows, total: Number(total.n) };
}

/** Published posts, newest first, for curators to feature (a page at a time). */
export async function listRecentPublished(db: Db, limit: number): Promise<PostListItem[]> {
	return db
		.selectFrom('post as p')
		.leftJoin('app_user as u', 'u.id', 'p.author_id')
		.select(LIST_COLUMNS)
		.where('p.status', '=', 'published')
		.orderBy('p.published_at', 'desc')
		.orderBy('p.id')
		.limit(limit)
		.execute();
}

export async function listThemes(db: Db, statuses: Theme['status'][]): Promise<Theme[]> {
	if (!statuses.length) return [];
	return db
		.selectFrom('theme')
		.selectAll()
		.where('status', 'in', statuses)
		.orderBy(sql`lower(name)`)
		.orderBy('id')
		.execute();
}

/** Events the person hosted or registered for, newest first: what a post may have come out of. */
export async function listEventsOfPerson(
	db: Db,
	userId: string,
	limit: number
): Promise<Array<{ id: string; title: string; starts_at: string }>> {
	return db
		.selectFrom('event as e')
		.select(['e.id', 'e.title', 'e.starts_at'])
		.where((eb) =>
			eb.or([
				eb('e.host_id', '=', userId),
				eb.exists(
					eb
						.selectFrom('event_registration as r')
						.select('r.id')
						.whereRef('r.event_id', '=', 'e.id')
						.where('r.user_id', '=', userId)
				)
			])
		)
		.where('e.status', '!=', 'cancelled')
		.orderBy('e.starts_at', 'desc')
		.orderBy('e.id')
		.limit(limit)
		.execute();
}

/** A person's published, visible posts (due now), latest first. */
export async function listPublishedPostsOfAuthor(
	db: Db,
	authorId: string,
	limit: number,
	now: string
) {
	return db
		.selectFrom('post')
		.select(['slug', 'title', 'published_at'])
		.where('author_id', '=', authorId)
		.where('status', '=', 'published')
		.where('published_at', '<=', now)
		.where('hidden_at', 'is', null)
		.orderBy('published_at', 'desc')
		.orderBy('id')
		.limit(limit)
		.execute();
}
