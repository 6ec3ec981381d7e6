import type { Kysely } from 'kysely';
import { types } from './helpers';

// A post's video (issue 12): one per post, either a link to YouTube, Vimeo or PeerTube, or an
// uploaded MP4 or WebM file.
//
// - An upload's bytes are a file (videos are too large for the database), named by `file_id`
//   under the uploads folder; a replaced file gets a new file_id, so its address never serves
//   other bytes and browsers may keep it for a year. The row's id stays while the post has a
//   video, so moderation (which hides by kind 'video' and id) follows a replaced video.
// - Captions (WebVTT, small) are kept in the row, with their own id for the same reason.
// - The row goes with its post (on delete cascade); the person who added it may leave and the
//   video stay (added_by set null).
export async function up(db: Kysely<any>): Promise<void> {
	const t = types(db);

	await db.schema
		.createTable('post_video')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('post_id', 'text', (c) =>
			c.notNull().unique().references('post.id').onDelete('cascade')
		)
		/** youtube | vimeo | peertube | upload */
		.addColumn('kind', 'text', (c) => c.notNull())
		/** The video's id on its site (links only). */
		.addColumn('provider_id', 'text')
		/** The PeerTube instance, e.g. video.example.org (PeerTube only). */
		.addColumn('provider_host', 'text')
		/** The link as it was given, tidied (links only). */
		.addColumn('source_url', 'text')
		/** The uploaded file's name under <uploads>/videos, without its extension (uploads only). */
		.addColumn('file_id', 'text', (c) => c.unique())
		/** video/mp4 | video/webm (uploads only) */
		.addColumn('content_type', 'text')
		.addColumn('byte_length', 'integer')
		/** The WebVTT text, when captions were added. */
		.addColumn('captions', 'text')
		/** New for every captions file, so its address can be kept for a year. */
		.addColumn('captions_id', 'text', (c) => c.unique())
		/** Plain text or Markdown, shown under the video. */
		.addColumn('transcript', 'text')
		.addColumn('added_by', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.addColumn('updated_at', t.timestamp, (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('post_video_added_by_idx')
		.on('post_video')
		.column('added_by')
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('post_video').execute();
}
