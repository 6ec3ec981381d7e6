import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { insertTestPost } from '../posts/blog.testing';
import type { PostTable } from '../posts/posts.tables';

/**
 * A post straight in the database, published a minute ago unless told otherwise, for specs of
 * what happens around a post: the posts feature's `insertTestPost` with a café's words.
 */
export async function createTestPost(
	db: Kysely<DB>,
	authorId: string | null,
	overrides: Partial<
		Pick<PostTable, 'status' | 'published_at' | 'hidden_at' | 'comments_closed' | 'title'>
	> = {}
): Promise<{ id: string; slug: string }> {
	const { id, slug } = await insertTestPost(db, {
		authorId,
		title: overrides.title ?? 'Notes from the café',
		body: 'We met and talked.',
		wordCount: 4,
		status: overrides.status,
		publishedAt:
			overrides.published_at === undefined
				? new Date(Date.now() - 60_000).toISOString()
				: overrides.published_at,
		hiddenAt: overrides.hidden_at,
		commentsClosed: overrides.comments_closed
	});
	return { id, slug };
}
