import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { DB } from '../db/schema';

/**
 * The blog as readers see it: Kysely queries only. A post is public when it is published, its
 * time has come (a scheduled post waits), and moderation has not hidden it. Every list is read
 * newest first by (published_at, id), the order of the index post_status_published_idx.
 */

/** Where a page of posts starts: after (older than) or before (newer than) a post. */
export interface PostCursor {
	publishedAt: string;
	id: string;
}

export interface PostFilters {
	themeId?: string;
	authorId?: string;
	organisationId?: string;
}

/** Public posts: published, due, not hidden. */
export function publicPosts(db: Kysely<DB>, now: string) {
	return db
		.selectFrom('post as p')
		.where('p.status', '=', 'published')
		.where('p.published_at', '<=', now)
		.where('p.hidden_at', 'is', null);
}

type PostQuery<O> = SelectQueryBuilder<DB & { p: DB['post'] }, 'p', O>;

function filtered<O>(query: PostQuery<O>, filters: PostFilters): PostQuery<O> {
	let q = query;
	if (filters.authorId) q = q.where('p.author_id', '=', filters.authorId);
	if (filters.organisationId) q = q.where('p.organisation_id', '=', filters.organisationId);
	if (filters.themeId) {
		const themeId = filters.themeId;
		q = q.where((eb) =>
			eb(
				'p.id',
				'in',
				eb.selectFrom('post_theme as pt').select('pt.post_id').where('pt.theme_id', '=', themeId)
			)
		);
	}
	return q;
}

/** What a card shows, with its author, organisation and first picture in the same row. */
function withCardColumns(db: Kysely<DB>, now: string) {
	return publicPosts(db, now)
		.leftJoin('app_user as u', 'u.id', 'p.author_id')
		.leftJoin('organisation as o', 'o.id', 'p.organisation_id')
		.leftJoin('image as i', 'i.id', 'p.first_image_id')
		.select([
			'p.id',
			'p.slug',
			'p.title',
			'p.author_id',
			'p.published_at',
			'p.featured_at',
			'p.word_count',
			'u.name as author_name',
			'o.name as organisation_name',
			'o.slug as organisation_slug',
			'i.id as image_id',
			'i.widths as image_widths',
			'i.width as image_width',
			'i.height as image_height'
		]);
}

export type PostCardRow = Awaited<
	ReturnType<ReturnType<typeof withCardColumns>['executeTakeFirstOrThrow']>
>;

/**
 * One page of public posts, newest first, after or before a post (keyset paging, so a deep page
 * costs what the first does). Reads `limit + 1` rows so the caller knows whether more follow;
 * rows come back newest first either way.
 */
export async function listPublicPostCards(
	db: Kysely<DB>,
	options: {
		filters: PostFilters;
		now: string;
		limit: number;
		after?: PostCursor;
		before?: PostCursor;
	}
): Promise<PostCardRow[]> {
	const { after, before } = options;
	let q = filtered(withCardColumns(db, options.now), options.filters);
	if (after) {
		q = q.where((eb) =>
			eb.and([
				eb('p.published_at', '<=', after.publishedAt),
				eb.or([eb('p.published_at', '<', after.publishedAt), eb('p.id', '<', after.id)])
			])
		);
	}
	if (before) {
		q = q.where((eb) =>
			eb.and([
				eb('p.published_at', '>=', before.publishedAt),
				eb.or([eb('p.published_at', '>', before.publishedAt), eb('p.id', '>', before.id)])
			])
		);
	}
	const direction = before ? 'asc' : 'desc';
	const rows = await q
		.orderBy('p.published_at', direction)
		.orderBy('p.id', direction)
		.limit(options.limit + 1)
		.execute();
	if (!before) return rows;
	// Read oldest first to find the page just before; hand back the page newest first, keeping
	// the extra (newest) row at the end as the sign that more come before it.
	const extra = rows.length > options.limit ? rows.pop() : undefined;
	rows.reverse();
	if (extra) rows.push(extra);
	return rows;
}

/** The themes of a set of posts, in one query. */
export async function listThemesOfPosts(db: Kysely<DB>, postIds: readonly string[]) {
	if (postIds.length === 0) return [];
	return db
		.selectFrom('post_theme as pt')
		.innerJoin('theme as t', 't.id', 'pt.theme_id')
		.where('pt.post_id', 'in', postIds)
		.select(['pt.post_id', 't.id', 't.slug', 't.name'])
		.orderBy('t.name')
		.execute();
}

/** A post by its address, whatever its status (the caller decides who may read it). */
export async function findPostBySlug(db: Kysely<DB>, slug: string) {
	return db
		.selectFrom('post as p')
		.leftJoin('app_user as u', 'u.id', 'p.author_id')
		.leftJoin('organisation as o', 'o.id', 'p.organisation_id')
		.leftJoin('image as i', 'i.id', 'p.first_image_id')
		.leftJoin('event as e', 'e.id', 'p.event_id')
		.where('p.slug', '=', slug)
		.select([
			'p.id',
			'p.slug',
			'p.title',
			'p.body',
			'p.status',
			'p.author_id',
			'p.organisation_id',
			'p.event_id',
			'p.published_at',
			'p.hidden_at',
			'p.word_count',
			'p.updated_at',
			'u.name as author_name',
			'o.name as organisation_name',
			'o.slug as organisation_slug',
			'e.title as event_title',
			'e.visibility as event_visibility',
			'e.approval as event_approval',
			'i.id as image_id',
			'i.widths as image_widths',
			'i.width as image_width',
			'i.height as image_height'
		])
		.executeTakeFirst();
}

/**
 * Up to `limit` public posts sharing a theme with a post: most themes in common first, then the
 * newest.
 */
export async function listRelatedPosts(
	db: Kysely<DB>,
	postId: string,
	themeIds: readonly string[],
	now: string,
	limit: number
) {
	if (themeIds.length === 0) return [];
	return publicPosts(db, now)
		.innerJoin('post_theme as pt', 'pt.post_id', 'p.id')
		.where('pt.theme_id', 'in', themeIds)
		.where('p.id', '!=', postId)
		.groupBy(['p.id', 'p.slug', 'p.title', 'p.published_at'])
		.select((eb) => ['p.id', 'p.slug', 'p.title', 'p.published_at', eb.fn.countAll().as('shared')])
		.orderBy('shared', 'desc')
		.orderBy('p.published_at', 'desc')
		.orderBy('p.id', 'desc')
		.limit(limit)
		.execute();
}

/** Public featured posts, the most recently featured first. */
export async function listFeaturedPostCards(db: Kysely<DB>, now: string, limit: number) {
	return withCardColumns(db, now)
		.where('p.featured_at', 'is not', null)
		.orderBy('p.featured_at', 'desc')
		.orderBy('p.id', 'desc')
		.limit(limit)
		.execute();
}

/** The newest public posts with their bodies, for a feed. */
export async function listPostsForFeed(
	db: Kysely<DB>,
	filters: PostFilters,
	now: string,
	limit: number
) {
	return filtered(
		publicPosts(db, now)
			.leftJoin('app_user as u', 'u.id', 'p.author_id')
			.leftJoin('organisation as o', 'o.id', 'p.organisation_id')
			.select([
				'p.id',
				'p.slug',
				'p.title',
				'p.body',
				'p.published_at',
				'p.updated_at',
				'u.name as author_name',
				'o.name as organisation_name'
			]),
		filters
	)
		.orderBy('p.published_at', 'desc')
		.orderBy('p.id', 'desc')
		.limit(limit)
		.execute();
}

/** Themes people can filter by: the active ones, by name. */
export async function listActiveThemes(db: Kysely<DB>) {
	return db
		.selectFrom('theme')
		.where('status', '=', 'active')
		.select(['id', 'slug', 'name', 'description'])
		.orderBy('name')
		.execute();
}

export async function findThemeBySlug(db: Kysely<DB>, slug: string) {
	return db
		.selectFrom('theme')
		.where('slug', '=', slug)
		.where('status', '=', 'active')
		.select(['id', 'slug', 'name'])
		.executeTakeFirst();
}

/** People with at least one public post, by name: the author filter's choices. */
export async function listPublicAuthors(db: Kysely<DB>, now: string) {
	return db
		.selectFrom('app_user as u')
		.where((eb) =>
			eb(
				'u.id',
				'in',
				publicPosts(db, now)
					.where('p.author_id', 'is not', null)
					.select('p.author_id')
					.$narrowType<{ author_id: string }>()
			)
		)
		.select(['u.id', 'u.name'])
		.orderBy('u.name')
		.orderBy('u.id')
		.execute();
}

/** Organisations with at least one public post, by name: the organisation filter's choices. */
export async function listPublicOrganisations(db: Kysely<DB>, now: string) {
	return db
		.selectFrom('organisation as o')
		.where((eb) =>
			eb(
				'o.id',
				'in',
				publicPosts(db, now)
					.where('p.organisation_id', 'is not', null)
					.select('p.organisation_id')
					.$narrowType<{ organisation_id: string }>()
			)
		)
		.select(['o.id', 'o.slug', 'o.name'])
		.orderBy('o.name')
		.execute();
}

export async function findUserName(db: Kysely<DB>, id: string) {
	return db.selectFrom('app_user').where('id', '=', id).select(['id', 'name']).executeTakeFirst();
}

export async function findOrganisationBySlug(db: Kysely<DB>, slug: string) {
	return db
		.selectFrom('organisation')
		.where('slug', '=', slug)
		.select(['id', 'slug', 'name'])
		.executeTakeFirst();
}

/** Addresses of public posts for the sitemap, a batch at a time by id. */
export async function listPublicPostLinks(
	db: Kysely<DB>,
	now: string,
	afterId: string | null,
	limit: number
) {
	let q = publicPosts(db, now).select(['p.id', 'p.slug', 'p.updated_at', 'p.published_at']);
	if (afterId !== null) q = q.where('p.id', '>', afterId);
	return q.orderBy('p.id').limit(limit).execute();
}
