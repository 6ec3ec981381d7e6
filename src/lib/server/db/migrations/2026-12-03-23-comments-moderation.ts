import type { Kysely } from 'kysely';
import { types } from './helpers';

// Comments on blog posts, and the moderation that keeps an open platform safe (issue 12).
//
// - `comment`: one level of replies; `parent_id` always points at a top-level comment. A comment
//   deleted while it has replies keeps its row with `deleted_at` set and an empty body, so the
//   thread still reads ("comment deleted"); one without replies goes.
// - `content_report`: one per person and thing (kind + id); a second report from the same
//   person is refused by the unique index.
// - `moderation_item`: one per reported thing (post, comment or video), the curators' queue,
//   and where a video's hidden state is kept (so moderation does not depend on the video table).
// - `posting_suspension`: a member may not post or comment until `ends_at`.
export async function up(db: Kysely<any>): Promise<void> {
	const t = types(db);

	await db.schema
		.createTable('comment')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('post_id', 'text', (c) => c.notNull().references('post.id').onDelete('cascade'))
		.addColumn('parent_id', 'text', (c) => c.references('comment.id').onDelete('cascade'))
		.addColumn('author_id', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		/** Markdown (a subset), sanitised when rendered. Empty once deleted. */
		.addColumn('body', 'text', (c) => c.notNull())
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.addColumn('edited_at', t.timestamp)
		.addColumn('deleted_at', t.timestamp)
		.addColumn('hidden_at', t.timestamp)
		.execute();
	// A post's thread, oldest first, a page at a time.
	await db.schema
		.createIndex('comment_post_created_idx')
		.on('comment')
		.columns(['post_id', 'created_at', 'id'])
		.execute();
	await db.schema.createIndex('comment_parent_idx').on('comment').column('parent_id').execute();
	await db.schema.createIndex('comment_author_idx').on('comment').column('author_id').execute();

	await db.schema
		.createTable('content_report')
		.addColumn('id', 'text', (c) => c.primaryKey())
		/** post | comment | video */
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('target_id', 'text', (c) => c.notNull())
		.addColumn('reporter_id', 'text', (c) =>
			c.notNull().references('app_user.id').onDelete('cascade')
		)
		/** spam | offensive | personal-information | other */
		.addColumn('reason', 'text', (c) => c.notNull())
		.addColumn('note', 'text')
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.addColumn('resolved_at', t.timestamp)
		.execute();
	await db.schema
		.createIndex('content_report_once_idx')
		.on('content_report')
		.columns(['kind', 'target_id', 'reporter_id'])
		.unique()
		.execute();
	await db.schema
		.createIndex('content_report_reporter_idx')
		.on('content_report')
		.column('reporter_id')
		.execute();

	await db.schema
		.createTable('moderation_item')
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('target_id', 'text', (c) => c.notNull())
		/** Who wrote the thing, when known (told of decisions). */
		.addColumn('author_id', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		/** open (waiting for a curator) | decided */
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('hidden_at', t.timestamp)
		.addColumn('open_reports', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('last_reported_at', t.timestamp, (c) => c.notNull())
		/** hidden | restored | dismissed | warned */
		.addColumn('decision', 'text')
		.addColumn('decided_by', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('decided_at', t.timestamp)
		.addPrimaryKeyConstraint('moderation_item_pk', ['kind', 'target_id'])
		.execute();
	await db.schema
		.createIndex('moderation_item_queue_idx')
		.on('moderation_item')
		.columns(['status', 'last_reported_at'])
		.execute();
	await db.schema
		.createIndex('moderation_item_author_idx')
		.on('moderation_item')
		.column('author_id')
		.execute();
	await db.schema
		.createIndex('moderation_item_decided_by_idx')
		.on('moderation_item')
		.column('decided_by')
		.execute();

	await db.schema
		.createTable('posting_suspension')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
		.addColumn('ends_at', t.timestamp, (c) => c.notNull())
		.addColumn('created_by', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('posting_suspension_user_idx')
		.on('posting_suspension')
		.columns(['user_id', 'ends_at'])
		.execute();
	await db.schema
		.createIndex('posting_suspension_created_by_idx')
		.on('posting_suspension')
		.column('created_by')
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('posting_suspension').execute();
	await db.schema.dropTable('moderation_item').execute();
	await db.schema.dropTable('content_report').execute();
	await db.schema.dropTable('comment').execute();
}
