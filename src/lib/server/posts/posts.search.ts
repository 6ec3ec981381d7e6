import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import { markdownToPlainText } from '../markdown';
import type { SearchRegistration } from '../search/search.registry';
import { refreshSearchDocument } from '../search/search.repository';
import type { Post } from './posts.tables';

type Db = Kysely<DB> | Transaction<DB>;

/** What a post's search document is made of: the post and its themes' keys. */
export type PostSearchRow = Pick<
	Post,
	| 'id'
	| 'slug'
	| 'title'
	| 'body'
	| 'status'
	| 'published_at'
	| 'hidden_at'
	| 'organisation_id'
	| 'updated_at'
> & { themes: string[] };

/**
 * Posts a reader could open once due: published and not hidden by moderation. A scheduled post
 * is among them, held back from search by `visibleFrom` until its time. Drafts, waiting,
 * declined and unpublished posts have no document.
 */
async function findablePosts(
	db: Db,
	where: { id: string } | { after: string | null; limit: number }
): Promise<PostSearchRow[]> {
	let query = db
		.selectFrom('post')
		.select([
			'id',
			'slug',
			'title',
			'body',
			'status',
			'published_at',
			'hidden_at',
			'organisation_id',
			'updated_at'
		])
		.where('status', '=', 'published')
		.where('published_at', 'is not', null)
		.where('hidden_at', 'is', null);
	if ('id' in where) query = query.where('id', '=', where.id);
	else {
		if (where.after !== null) query = query.where('id', '>', where.after);
		query = query.orderBy('id').limit(where.limit);
	}
	const posts = await query.execute();
	if (!posts.length) return [];
	// A theme keeps its slug when renamed, so a rename changes no post's document.
	const themes = await db
		.selectFrom('post_theme as pt')
		.innerJoin('theme as t', 't.id', 'pt.theme_id')
		.select(['pt.post_id', 't.slug'])
		.where(
			'pt.post_id',
			'in',
			posts.map((p) => p.id)
		)
		.orderBy('t.slug')
		.execute();
	return posts.map((p) => ({
		...p,
		themes: themes.filter((t) => t.post_id === p.id).map((t) => t.slug)
	}));
}

/** Blog posts in search: their title and text, filed under their themes. */
export const POST_SEARCH: SearchRegistration<PostSearchRow> = {
	kind: 'post',
	label: 'Blog post',
	toDocument(row) {
		if (row.status !== 'published' || row.published_at === null || row.hidden_at !== null)
			return null;
		return {
			kind: 'post',
			docId: row.id,
			title: row.title,
			body: markdownToPlainText(row.body),
			path: `/blog/${row.slug}`,
			themes: row.themes,
			startsAt: row.published_at,
			organisationId: row.organisation_id,
			visibility: 'public',
			// A scheduled post stays out of search until it goes out.
			visibleFrom: row.published_at,
			updatedAt: row.updated_at
		};
	},
	async loadRow(db, docId) {
		return (await findablePosts(db, { id: docId }))[0];
	},
	async listForReindex(db, batch) {
		const rows = await findablePosts(db, batch);
		return { rows, lastId: rows.at(-1)?.id ?? null };
	}
};

/**
 * Makes search say what the post now says, inside the caller's transaction. For other features
 * that change a post's visibility (moderation hides and restores posts).
 */
export async function refreshPostSearch(trx: Db, postId: string): Promise<void> {
	await refreshSearchDocument(trx, POST_SEARCH, postId);
}
