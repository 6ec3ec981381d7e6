import type { Kysely } from 'kysely';
import { types } from './helpers';

// The ideas board (issue 15): "something else CoLab could support". Members post ideas, others
// say how they would support them, curators and the author move an idea through its stages with
// a public note each time, and an idea can become an event, a pilot or a decision.
//
// - `idea`: one idea. `stage` is new | gathering-support | happening | done | not-now.
//   `became_kind` / `became_id` name what it became (event | pilot | decision); text with no
//   foreign key, since another feature owns that table. `became_title` and `became_path` keep
//   how to show and reach it, so lists link to it without a look-up per row.
//   `support_count` is kept in the support's transaction so "most supported" reads an index.
//   `removed_at`: the author or a curator took it down; it takes no support or comments.
// - `idea_stage_change`: the history shown on the idea, each with its public note.
// - `idea_support`: one per person per idea, with how (one or more) and a short note.
// - `idea_comment`: flat comments.
export async function up(db: Kysely<any>): Promise<void> {
	const t = types(db);

	await db.schema
		.createTable('idea')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('slug', 'text', (c) => c.notNull().unique())
		.addColumn('title', 'text', (c) => c.notNull())
		/** Markdown, sanitised when rendered. */
		.addColumn('body', 'text', (c) => c.notNull())
		/** Null once the author deleted their account and chose to keep it without their name. */
		.addColumn('author_id', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('stage', 'text', (c) => c.notNull())
		.addColumn('support_count', 'integer', (c) => c.notNull().defaultTo(0))
		/** event | pilot | decision (no foreign key: another feature owns it). */
		.addColumn('became_kind', 'text')
		.addColumn('became_id', 'text')
		.addColumn('became_title', 'text')
		.addColumn('became_path', 'text')
		.addColumn('removed_at', t.timestamp)
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.addColumn('updated_at', t.timestamp, (c) => c.notNull())
		.execute();
	// The list: newest first or most supported, all stages or one.
	await db.schema
		.createIndex('idea_newest_idx')
		.on('idea')
		.columns(['removed_at', 'created_at', 'id'])
		.execute();
	await db.schema
		.createIndex('idea_stage_newest_idx')
		.on('idea')
		.columns(['stage', 'removed_at', 'created_at', 'id'])
		.execute();
	await db.schema
		.createIndex('idea_supported_idx')
		.on('idea')
		.columns(['removed_at', 'support_count', 'created_at', 'id'])
		.execute();
	await db.schema
		.createIndex('idea_stage_supported_idx')
		.on('idea')
		.columns(['stage', 'removed_at', 'support_count', 'created_at', 'id'])
		.execute();
	await db.schema.createIndex('idea_author_idx').on('idea').column('author_id').execute();
	await db.schema
		.createIndex('idea_became_idx')
		.on('idea')
		.columns(['became_kind', 'became_id'])
		.execute();

	await db.schema
		.createTable('idea_stage_change')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('idea_id', 'text', (c) => c.notNull().references('idea.id').onDelete('cascade'))
		.addColumn('from_stage', 'text', (c) => c.notNull())
		.addColumn('to_stage', 'text', (c) => c.notNull())
		/** Public: everyone reads why it moved. */
		.addColumn('note', 'text', (c) => c.notNull())
		.addColumn('changed_by', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('changed_at', t.timestamp, (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('idea_stage_change_idea_idx')
		.on('idea_stage_change')
		.columns(['idea_id', 'changed_at', 'id'])
		.execute();
	await db.schema
		.createIndex('idea_stage_change_by_idx')
		.on('idea_stage_change')
		.column('changed_by')
		.execute();

	await db.schema
		.createTable('idea_support')
		.addColumn('idea_id', 'text', (c) => c.notNull().references('idea.id').onDelete('cascade'))
		.addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
		.addColumn('would_come', 'integer', (c) => c.notNull())
		.addColumn('would_help', 'integer', (c) => c.notNull())
		.addColumn('knows_someone', 'integer', (c) => c.notNull())
		.addColumn('note', 'text', (c) => c.notNull())
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.addColumn('updated_at', t.timestamp, (c) => c.notNull())
		.addPrimaryKeyConstraint('idea_support_pk', ['idea_id', 'user_id'])
		.execute();
	await db.schema
		.createIndex('idea_support_user_idx')
		.on('idea_support')
		.column('user_id')
		.execute();
	await db.schema
		.createIndex('idea_support_idea_idx')
		.on('idea_support')
		.columns(['idea_id', 'created_at'])
		.execute();

	await db.schema
		.createTable('idea_comment')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('idea_id', 'text', (c) => c.notNull().references('idea.id').onDelete('cascade'))
		.addColumn('author_id', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('body', 'text', (c) => c.notNull())
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.addColumn('edited_at', t.timestamp)
		.execute();
	await db.schema
		.createIndex('idea_comment_idea_idx')
		.on('idea_comment')
		.columns(['idea_id', 'created_at', 'id'])
		.execute();
	await db.schema
		.createIndex('idea_comment_author_idx')
		.on('idea_comment')
		.column('author_id')
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('idea_comment').execute();
	await db.schema.dropTable('idea_support').execute();
	await db.schema.dropTable('idea_stage_change').execute();
	await db.schema.dropTable('idea').execute();
}
