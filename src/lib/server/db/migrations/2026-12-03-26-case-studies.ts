import type { CreateTableBuilder, Kysely } from 'kysely';
import { types } from './helpers';

// Case studies (issue 14): structured accounts of co-production that members write and
// curators review before anyone else sees them.
//
// - `case_study` holds the author's working copy and where it is in review: draft | waiting (for
//   a curator) | returned (sent back with a message) | published (nothing waiting). Visitors
//   never read the working copy: they read the version `published_version` names.
// - `case_study_version` keeps every published version whole, so the public page reads one row
//   and the history shows what changed from one to the next. An update to a published case
//   study waits for a curator while the published version stays on show.
// - Lists of words (service areas, benefits, barriers, the check's dimensions, organisations)
//   are JSON arrays of ids in the working copy and in each version.
// - `case_study_facet` is what /library filters on: one row per filter value of the published
//   version (e.g. 'tag:benefit:shared-power', 'stage:co-designing'), with its publication time,
//   so any filter reads a page from one index in date order, whatever the number of rows.
// - `case_study_person`: people named as involved. Nobody is shown until they consent; they can
//   withdraw at any time. Consent is not versioned: a withdrawal takes effect at once.
// - `pilot_id` names the pilot a case study came from: text, no foreign key (the pilots
//   feature's table is not part of this migration).
export async function up(db: Kysely<any>): Promise<void> {
	const t = types(db);

	const contentColumns = (table: CreateTableBuilder<any, any>): CreateTableBuilder<any, any> =>
		table
			.addColumn('title', 'text', (c) => c.notNull())
			.addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
			/** informing | consulting | engaging | co-designing | co-producing; null until chosen */
			.addColumn('continuum_stage', 'text')
			/** idea | pilot | running | finished; null until chosen */
			.addColumn('work_status', 'text')
			.addColumn('what_was_done', 'text', (c) => c.notNull().defaultTo(''))
			.addColumn('who_was_involved', 'text', (c) => c.notNull().defaultTo(''))
			.addColumn('barriers_handled', 'text', (c) => c.notNull().defaultTo(''))
			.addColumn('do_differently', 'text', (c) => c.notNull().defaultTo(''))
			/** JSON arrays of library_tag ids, dimension keys and organisation ids */
			.addColumn('service_area_ids', 'text', (c) => c.notNull().defaultTo('[]'))
			.addColumn('benefit_ids', 'text', (c) => c.notNull().defaultTo('[]'))
			.addColumn('barrier_ids', 'text', (c) => c.notNull().defaultTo('[]'))
			.addColumn('dimension_keys', 'text', (c) => c.notNull().defaultTo('[]'))
			.addColumn('organisation_ids', 'text', (c) => c.notNull().defaultTo('[]'))
			/** JSON array of { label, url }: events, posts, videos, anything else */
			.addColumn('links', 'text', (c) => c.notNull().defaultTo('[]'))
			/** A co-production check round cited, with its owners' consent (see the service). */
			.addColumn('assessment_round_id', 'text', (c) =>
				c.references('assessment_round.id').onDelete('set null')
			);

	await contentColumns(
		db.schema
			.createTable('case_study')
			.addColumn('id', 'text', (c) => c.primaryKey())
			.addColumn('slug', 'text', (c) => c.notNull().unique())
			/** Null once the author deleted their account and chose to keep what they wrote. */
			.addColumn('author_id', 'text', (c) => c.references('app_user.id').onDelete('set null'))
			/** The pilot this came from (pilots feature): text, no foreign key. */
			.addColumn('pilot_id', 'text')
			/** draft | waiting | returned | published */
			.addColumn('review_state', 'text', (c) => c.notNull())
			/** The curator's last message when they sent it back. */
			.addColumn('review_message', 'text')
			.addColumn('reviewed_by', 'text', (c) => c.references('app_user.id').onDelete('set null'))
			/** The version visitors read; null until first published. */
			.addColumn('published_version', 'integer')
			/** When it was first published: /library's order. */
			.addColumn('published_at', t.timestamp)
			.addColumn('submitted_at', t.timestamp)
			.addColumn('created_at', t.timestamp, (c) => c.notNull())
			.addColumn('updated_at', t.timestamp, (c) => c.notNull())
	).execute();
	await db.schema
		.createIndex('case_study_published_idx')
		.on('case_study')
		.columns(['published_at', 'id'])
		.execute();
	await db.schema
		.createIndex('case_study_review_idx')
		.on('case_study')
		.columns(['review_state', 'submitted_at'])
		.execute();
	await db.schema
		.createIndex('case_study_author_idx')
		.on('case_study')
		.columns(['author_id', 'updated_at'])
		.execute();
	await db.schema.createIndex('case_study_pilot_idx').on('case_study').column('pilot_id').execute();
	await db.schema
		.createIndex('case_study_round_idx')
		.on('case_study')
		.column('assessment_round_id')
		.execute();

	await contentColumns(
		db.schema
			.createTable('case_study_version')
			.addColumn('case_study_id', 'text', (c) =>
				c.notNull().references('case_study.id').onDelete('cascade')
			)
			.addColumn('version', 'integer', (c) => c.notNull())
			/** Who wrote this version (the author at the time). */
			.addColumn('edited_by', 'text', (c) => c.references('app_user.id').onDelete('set null'))
			.addColumn('published_by', 'text', (c) => c.references('app_user.id').onDelete('set null'))
			.addColumn('published_at', t.timestamp, (c) => c.notNull())
			.addPrimaryKeyConstraint('case_study_version_pk', ['case_study_id', 'version'])
	).execute();
	await db.schema
		.createIndex('case_study_version_round_idx')
		.on('case_study_version')
		.column('assessment_round_id')
		.execute();

	await db.schema
		.createTable('case_study_facet')
		.addColumn('case_study_id', 'text', (c) =>
			c.notNull().references('case_study.id').onDelete('cascade')
		)
		.addColumn('facet', 'text', (c) => c.notNull())
		.addColumn('published_at', t.timestamp, (c) => c.notNull())
		.addPrimaryKeyConstraint('case_study_facet_pk', ['case_study_id', 'facet'])
		.execute();
	await db.schema
		.createIndex('case_study_facet_list_idx')
		.on('case_study_facet')
		.columns(['facet', 'published_at', 'case_study_id'])
		.execute();

	await db.schema
		.createTable('case_study_person')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('case_study_id', 'text', (c) =>
			c.notNull().references('case_study.id').onDelete('cascade')
		)
		.addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
		/** How they were involved, in the author's words (shown only with consent). */
		.addColumn('role', 'text', (c) => c.notNull())
		/** asked | consented | declined | withdrawn */
		.addColumn('state', 'text', (c) => c.notNull())
		.addColumn('asked_by', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('asked_at', t.timestamp, (c) => c.notNull())
		.addColumn('answered_at', t.timestamp)
		.addUniqueConstraint('case_study_person_unique', ['case_study_id', 'user_id'])
		.execute();
	await db.schema
		.createIndex('case_study_person_user_idx')
		.on('case_study_person')
		.columns(['user_id', 'state'])
		.execute();
	await db.schema
		.createIndex('case_study_person_asked_by_idx')
		.on('case_study_person')
		.column('asked_by')
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('case_study_person').execute();
	await db.schema.dropTable('case_study_facet').execute();
	await db.schema.dropTable('case_study_version').execute();
	await db.schema.dropTable('case_study').execute();
}
