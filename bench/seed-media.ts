// Seeds what BENCH_ONLY=media needs: a published post by the bench member (who must exist,
// made by `user:create`), with an uploaded MP4 of BENCH_VIDEO_MB megabytes (50 unless set)
// stored as the videos feature stores one. Run by bench/run.js through tsx with the server's
// settings; prints one JSON line: the post's slug, the video's address and its size.
import { readConfig } from '../src/lib/server/config';
import { openConfiguredDatabase } from '../src/lib/server/app';
import { migrateToLatest } from '../src/lib/server/db/migrate';
import { newId, nowIso } from '../src/lib/server/ids';
import { videoStoreFor } from '../src/lib/server/videos/videos.service';
import { sampleMp4 } from '../src/lib/server/videos/videos.testing';

const email = process.argv[2];
if (!email) throw new Error('usage: seed-media.ts <member email>');
const megabytes = Number(process.env.BENCH_VIDEO_MB || 50);
const config = readConfig();
const database = openConfiguredDatabase(config);
try {
	await migrateToLatest(database.db);
	const member = await database.db
		.selectFrom('app_user')
		.select('id')
		.where('email', '=', email.toLowerCase())
		.executeTakeFirstOrThrow();
	const store = videoStoreFor(config);
	const staged = await store.stage(
		new Blob([sampleMp4(megabytes * 1024 * 1024)]).stream(),
		Infinity
	);
	if (!staged.ok) throw new Error(staged.message);
	const postId = newId();
	const slug = `bench-video-${postId.slice(0, 8).toLowerCase()}`;
	const now = nowIso();
	await database.db.transaction().execute(async (trx) => {
		await trx
			.insertInto('post')
			.values({
				id: postId,
				slug,
				author_id: member.id,
				organisation_id: null,
				event_id: null,
				title: 'A bench post with a video',
				body: 'Measured by the bench.',
				word_count: 4,
				first_image_id: null,
				status: 'published',
				published_at: now,
				featured_at: null,
				comments_closed: 0,
				hidden_at: null,
				version: 1,
				created_at: now,
				updated_at: now
			})
			.execute();
		await trx
			.insertInto('post_video')
			.values({
				id: newId(),
				post_id: postId,
				kind: 'upload',
				provider_id: null,
				provider_host: null,
				source_url: null,
				file_id: staged.video.fileId,
				content_type: staged.video.contentType,
				byte_length: staged.video.byteLength,
				captions: null,
				captions_id: null,
				transcript: null,
				added_by: member.id,
				created_at: now,
				updated_at: now
			})
			.execute();
	});
	console.log(
		JSON.stringify({
			slug,
			src: `/media/video/${staged.video.fileId}.mp4`,
			bytes: staged.video.byteLength
		})
	);
} finally {
	await database.close();
}
