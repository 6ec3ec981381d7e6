import type { Kysely } from 'kysely';
import { changeContent } from '../cache/content-version';
import type { DB } from '../db/schema';
import { newId, nowIso } from '../ids';

/** The Blender Foundation's open film (CC BY 3.0) stands in for a member's video. */
const DEMO_YOUTUBE_ID = 'aqz-KE-bpKQ';

/** The film has no speech: its captions say what is heard. */
const DEMO_CAPTIONS = `WEBVTT

00:00:00.000 --> 00:00:20.000
[Gentle music. Birdsong.]

00:00:45.000 --> 00:00:55.000
[Squeaks and chatter from three small animals.]
`;

const DEMO_TRANSCRIPT = `This demo video stands in for one a member would share: *Big Buck Bunny*, an open film by the Blender Foundation (CC BY 3.0).

**0:00** A quiet meadow at dawn. A large rabbit wakes and steps out of his burrow.

**0:45** Three small animals tease him and spoil his morning.

**2:30** He plans, builds and waits. (There is no speech in the film: only music and sounds.)`;

/**
 * A YouTube video with captions and a transcript on the first published demo post, when the
 * demo has posts (idempotent: a post that has a video is left alone). Nothing is fetched from
 * YouTube until a reader presses "Load video".
 */
export async function seedVideos(db: Kysely<DB>): Promise<void> {
	const post = await db
		.selectFrom('post')
		.select(['id', 'author_id'])
		.where('status', '=', 'published')
		.orderBy('published_at')
		.orderBy('id')
		.executeTakeFirst();
	if (!post) return;
	const existing = await db
		.selectFrom('post_video')
		.select('id')
		.where('post_id', '=', post.id)
		.executeTakeFirst();
	if (existing) return;
	const now = nowIso();
	await changeContent(db, async (trx) => {
		await trx
			.insertInto('post_video')
			.values({
				id: newId(),
				post_id: post.id,
				kind: 'youtube',
				provider_id: DEMO_YOUTUBE_ID,
				provider_host: null,
				source_url: `https://www.youtube.com/watch?v=${DEMO_YOUTUBE_ID}`,
				file_id: null,
				content_type: null,
				byte_length: null,
				captions: DEMO_CAPTIONS,
				captions_id: newId(),
				transcript: DEMO_TRANSCRIPT,
				added_by: post.author_id,
				created_at: now,
				updated_at: now
			})
			.execute();
	});
}
