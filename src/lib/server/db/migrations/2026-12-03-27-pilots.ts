import type { Kysely } from 'kysely';
import { types } from './helpers';

// Pilot learning logs (issue 14): a team tries something and writes down, entry by entry, what
// they tried, what happened, what they learned and what they will change next.
//
// - `pilot`: one log. `owner_id` manages the team and who may read it (`visibility`: public,
//   members or team). `case_study_id` is the case study the finished pilot became; it is text
//   with no foreign key because case studies are another part of the library, built alongside.
// - `pilot_service_area`: the service areas it belongs to, from the library's shared words.
// - `pilot_member`: the team besides the owner; members add and edit entries.
// - `pilot_entry`: a dated entry; its four parts may each be empty, but not all four.
// - `pilot_follower`: people told of each new entry.
export async function up(db: Kysely<any>): Promise<void> {
	const t = types(db);

	await db.schema
		.createTable('pilot')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('slug', 'text', (c) => c.notNull().unique())
		.addColumn('title', 'text', (c) => c.notNull())
		/** "What we are trying": Markdown, sanitised when rendered. */
		.addColumn('summary', 'text', (c) => c.notNull())
		/** running | finished */
		.addColumn('status', 'text', (c) => c.notNull())
		/** public | members | team */
		.addColumn('visibility', 'text', (c) => c.notNull())
		/** Null once the owner left and nobody else was on the team (kept as a former member's). */
		.addColumn('owner_id', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('organisation_id', 'text', (c) =>
			c.references('organisation.id').onDelete('set null')
		)
		/** The case study it became (no foreign key: another part of the library owns that table). */
		.addColumn('case_study_id', 'text')
		/** Its address on /library, kept with the id so the log links to it without a look-up. */
		.addColumn('case_study_slug', 'text')
		.addColumn('finished_at', t.timestamp)
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		/** The last change to the pilot or a new entry: lists show the liveliest first. */
		.addColumn('updated_at', t.timestamp, (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('pilot_list_idx')
		.on('pilot')
		.columns(['visibility', 'updated_at', 'id'])
		.execute();
	await db.schema.createIndex('pilot_owner_idx').on('pilot').column('owner_id').execute();
	await db.schema
		.createIndex('pilot_organisation_idx')
		.on('pilot')
		.column('organisation_id')
		.execute();
	await db.schema.createIndex('pilot_case_study_idx').on('pilot').column('case_study_id').execute();

	await db.schema
		.createTable('pilot_service_area')
		.addColumn('pilot_id', 'text', (c) => c.notNull().references('pilot.id').onDelete('cascade'))
		.addColumn('tag_id', 'text', (c) => c.notNull().references('library_tag.id'))
		.addPrimaryKeyConstraint('pilot_service_area_pk', ['pilot_id', 'tag_id'])
		.execute();
	await db.schema
		.createIndex('pilot_service_area_tag_idx')
		.on('pilot_service_area')
		.columns(['tag_id', 'pilot_id'])
		.execute();

	await db.schema
		.createTable('pilot_member')
		.addColumn('pilot_id', 'text', (c) => c.notNull().references('pilot.id').onDelete('cascade'))
		.addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
		.addColumn('added_by', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('added_at', t.timestamp, (c) => c.notNull())
		.addPrimaryKeyConstraint('pilot_member_pk', ['pilot_id', 'user_id'])
		.execute();
	await db.schema
		.createIndex('pilot_member_user_idx')
		.on('pilot_member')
		.column('user_id')
		.execute();
	await db.schema
		.createIndex('pilot_member_added_by_idx')
		.on('pilot_member')
		.column('added_by')
		.execute();

	await db.schema
		.createTable('pilot_entry')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('pilot_id', 'text', (c) => c.notNull().references('pilot.id').onDelete('cascade'))
		/** The day it is about, 'YYYY-MM-DD' (not when it was written). */
		.addColumn('entry_date', 'text', (c) => c.notNull())
		.addColumn('tried', 'text', (c) => c.notNull())
		.addColumn('happened', 'text', (c) => c.notNull())
		.addColumn('learned', 'text', (c) => c.notNull())
		.addColumn('next_change', 'text', (c) => c.notNull())
		.addColumn('author_id', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('edited_by', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.addColumn('edited_at', t.timestamp)
		.execute();
	// A log, newest first, a page at a time.
	await db.schema
		.createIndex('pilot_entry_log_idx')
		.on('pilot_entry')
		.columns(['pilot_id', 'entry_date', 'created_at', 'id'])
		.execute();
	await db.schema
		.createIndex('pilot_entry_author_idx')
		.on('pilot_entry')
		.column('author_id')
		.execute();
	await db.schema
		.createIndex('pilot_entry_edited_by_idx')
		.on('pilot_entry')
		.column('edited_by')
		.execute();

	await db.schema
		.createTable('pilot_follower')
		.addColumn('pilot_id', 'text', (c) => c.notNull().references('pilot.id').onDelete('cascade'))
		.addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.addPrimaryKeyConstraint('pilot_follower_pk', ['pilot_id', 'user_id'])
		.execute();
	await db.schema
		.createIndex('pilot_follower_user_idx')
		.on('pilot_follower')
		.column('user_id')
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('pilot_follower').execute();
	await db.schema.dropTable('pilot_entry').execute();
	await db.schema.dropTable('pilot_member').execute();
	await db.schema.dropTable('pilot_service_area').execute();
	await db.schema.dropTable('pilot').execute();
}
