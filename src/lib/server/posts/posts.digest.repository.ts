import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * Posts that became public in [since, until): published, due, not hidden. Oldest first, at most
 * `limit`. Read only by the weekly digest (the blog's own queries live in its own files).
 */
export async function selectPostsPublishedBetween(
	db: Db,
	since: string,
	until: string,
	limit: number
) {
	return db
		.selectFrom('post')
		.select(['id', 'slug', 'title', 'body', 'published_at'])
		.where('status', '=', 'published')
		.where('hidden_at', 'is', null)
		.where('published_at', '>=', since)
		.where('published_at', '<', until)
		.orderBy('published_at')
		.orderBy('id')
		.limit(limit)
		.execute();
}

/** The themes of these posts, one row per (post, theme). */
export async function selectThemesOfPosts(db: Db, postIds: readonly string[]) {
	if (!postIds.length) return [];
	return db
		.selectFrom('post_theme as pt')
		.innerJoin('theme as t', 't.id', 'pt.theme_id')
		.select(['pt.post_id', 't.id', 't.slug', 't.name'])
		.where('pt.post_id', 'in', [...postIds])
		.execute();
}

/** Themes people can follow: the active ones, by name. */
export async function selectActiveThemes(db: Db) {
	return db
		.selectFrom('theme')
		.select(['id', 'slug', 'name'])
		.where('status', '=', 'active')
		.orderBy('name')
		.orderBy('id')
		.execute();
}
