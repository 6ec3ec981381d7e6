import { markContentChanged } from '../../src/lib/server/cache/content-version';
import { newId, nowIso } from '../../src/lib/server/ids';
import { openServerDatabase } from './direct-database';
import type { RunningServer } from './server';

/**
 * A published post put straight in the server's database, as the writing side would leave it,
 * for journeys about what happens around a post (comments, reports). Returns its slug and id.
 */
export async function seedPublishedPost(
	server: RunningServer,
	post: { title: string; body?: string; authorEmail?: string }
): Promise<{ id: string; slug: string }> {
	const database = openServerDatabase(server);
	try {
		const id = newId();
		const slug = `${post.title
			.toLowerCase()
			.replace(/[^a-z0-9]+/g, '-')
			.replace(/^-|-$/g, '')}-${id
			.slice(0, 6)
			.toLowerCase()
			.replace(/[^a-z0-9]/g, 'x')}`;
		const now = nowIso();
		const author = post.authorEmail
			? await database.db
					.selectFrom('app_user')
					.select('id')
					.where('email', '=', post.authorEmail.toLowerCase())
					.executeTakeFirst()
			: undefined;
		await database.db.transaction().execute(async (trx) => {
			await trx
				.insertInto('post')
				.values({
					id,
					slug,
					author_id: author?.id ?? null,
					organisation_id: null,
					event_id: null,
					title: post.title,
					body: post.body ?? 'What we learnt at the café.',
					word_count: 5,
					first_image_id: null,
					status: 'published',
					published_at: new Date(Date.now() - 60_000).toISOString(),
					featured_at: null,
					comments_closed: 0,
					hidden_at: null,
					version: 1,
					created_at: now,
					updated_at: now
				})
				.execute();
			await markContentChanged(trx);
		});
		return { id, slug };
	} finally {
		await database.close();
	}
}
