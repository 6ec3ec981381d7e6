import { sql, type ExpressionBuilder, type Kysely, type Transaction } from 'kysely';
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

/** Notes an image uploaded while writing a post, so it can go if no post ends up showing it. */
export async function insertPostUpload(db: Db, imageId: string, createdAt: string): Promise<void> {
	await db.insertInto('post_upload').values({ image_id: imageId, created_at: createdAt }).execute();
}

/**
 * The conditions under which an uploaded image is no longer wanted: uploaded before `before`,
 * and shown by no post as it is now (post_image) nor by any earlier version's text. A version's
 * body is searched with LIKE, where `_` in an id matches any character: that can only keep an
 * image, never remove one wrongly.
 */
function unusedUpload(before: string) {
	return (eb: ExpressionBuilder<DB, 'post_upload'>) =>
		eb.and([
			eb('post_upload.created_at', '<', before),
			eb.not(
				eb.exists(
					eb
						.selectFrom('post_image')
						.select('post_image.image_id')
						.whereRef('post_image.image_id', '=', 'post_upload.image_id')
				)
			),
			eb.not(
				eb.exists(
					eb
						.selectFrom('post_version')
						.select('post_version.post_id')
						.where(
							'post_version.body',
							'like',
							sql<string>`'%/media/' || ${sql.ref('post_upload.image_id')} || '/%'`
						)
				)
			)
		]);
}

/** Up to `limit` uploaded images no post shows, oldest first. */
export async function listUnusedPostUploads(
	db: Db,
	before: string,
	limit: number
): Promise<string[]> {
	const rows = await db
		.selectFrom('post_upload')
		.select('post_upload.image_id')
		.where(unusedUpload(before))
		.orderBy('post_upload.created_at')
		.limit(limit)
		.execute();
	return rows.map((r) => r.image_id);
}

/**
 * Deletes the image (its variants and upload note go with it) if it is still unused, checked in
 * the same statement. Returns whether this call deleted it: when two instances try, one does.
 */
export async function deletePostUploadIfUnused(
	db: Db,
	imageId: string,
	before: string
): Promise<boolean> {
	const result = await db
		.deleteFrom('image')
		.where('image.id', '=', imageId)
		.where((eb) =>
			eb.exists(
				eb
					.selectFrom('post_upload')
					.select('post_upload.image_id')
					.whereRef('post_upload.image_id', '=', 'image.id')
					.where(unusedUpload(before))
			)
		)
		.executeTakeFirst();
	return Number(result.numDeletedRows) > 0;
}

export async function insertPostVersion(db: Db, version: PostVersion): Promise<void> {
	await db.insertInto('post_version').values(version).execute();
}

/** A post's earlier versions, newest first, with the name of who saved each. */
export async function listPostVersions(
	db: Db,
	postId: string
): Promise<(PostVersion & { editor_name: string | null })[]> {
	return db
		.selectFrom('post_version as v')
		.leftJoin('app_user as u', 'u.id', 'v.edited_by')
		.selectAll('v')
		.select('u.name as editor_name')
		.where('v.post_id', '=', postId)
		.orderBy('v.version', 'desc')
		.execute();
}

/** A person's name, or null when there is no such person (or no id). */
export async function findPersonName(db: Db, id: string | null): Promise<string | null> {
	if (!id) return null;
	const row = await db
		.selectFrom('app_user')
		.select('name')
		.where('id', '=', id)
		.executeTakeFirst();
	return row?.name ?? null;
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
