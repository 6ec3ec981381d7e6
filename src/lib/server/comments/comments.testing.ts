import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { newId, nowIso } from '../ids';
import type { PostTable } from '../posts/posts.tables';

/**
 * A post straight in the database, published a minute ago unless told otherwise, for specs
 * (the posts feature's own use cases are written side by side with this one).
 */
export async function createTestPost(
	db: Kysely<DB>,
	authorId: string | null,
	overrides: Partial<
		Pick<PostTable, 'status' | 'published_at' | 'hidden_at' | 'comments_closed' | 'title'>
	> = {}
): Promise<{ id: string; slug: string }> {
	const id = newId();
	const slug = `post-${id.toLowerCase().replace(/[^a-z0-9]/g, '')}`;
	const now = nowIso();
	await db
		.insertInto('post')
		.values({
			id,
			slug,
			author_id: authorId,
			organisation_id: null,
			event_id: null,
			title: overrides.title ?? 'Notes from the café',
			body: 'We met and talked.',
			word_count: 4,
			first_image_id: null,
			status: overrides.status ?? 'published',
			published_at:
				overrides.published_at === undefined
					? new Date(Date.now() - 60_000).toISOString()
					: overrides.published_at,
			featured_at: null,
			comments_closed: overrides.comments_closed ?? 0,
			hidden_at: overrides.hidden_at ?? null,
			version: 1,
			created_at: now,
			updated_at: now
		})
		.execute();
	return { id, slug };
}
