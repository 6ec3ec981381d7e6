import { expect, it } from 'vitest';
import { newId, nowIso } from '../ids';
import { createTestUser } from '../testing/factories';
import { describeEachDatabase } from '../testing/databases';
import { seedVideos } from './videos.demo';
import { videoForPost } from './videos.service';

describeEachDatabase('the demo video', (ctx) => {
	it('waits for a published post, then goes on the first one once, with captions and a transcript', async () => {
		await seedVideos(ctx.db);
		expect(await ctx.db.selectFrom('post_video').selectAll().execute()).toEqual([]);

		const author = await createTestUser(ctx.db);
		const ids: string[] = [];
		for (const [i, status] of (['draft', 'published', 'published'] as const).entries()) {
			const id = newId();
			ids.push(id);
			await ctx.db
				.insertInto('post')
				.values({
					id,
					slug: `demo-${i}-${id.slice(0, 6).toLowerCase()}`,
					author_id: author.id,
					organisation_id: null,
					event_id: null,
					title: `Demo post ${i}`,
					body: 'Text.',
					word_count: 1,
					first_image_id: null,
					status,
					published_at: status === 'published' ? `2026-11-0${i}T10:00:00.000Z` : null,
					featured_at: null,
					comments_closed: 0,
					hidden_at: null,
					version: 1,
					created_at: nowIso(),
					updated_at: nowIso()
				})
				.execute();
		}
		await seedVideos(ctx.db);
		await seedVideos(ctx.db);
		const rows = await ctx.db.selectFrom('post_video').select('post_id').execute();
		expect(rows).toEqual([{ post_id: ids[1] }]);
		const video = await videoForPost(ctx.db, ids[1]!);
		expect(video).toMatchObject({ kind: 'youtube', site: 'YouTube' });
		expect(video?.captionsUrl).not.toBeNull();
		expect(video?.transcriptHtml).toContain('Big Buck Bunny');
	});
});
