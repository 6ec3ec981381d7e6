import type { Kysely } from 'kysely';
import { types } from './helpers';

// The shared statement (issue 15): the network's shared understanding and vision, a document of
// sections and clauses that members amend and organisations endorse.
//
// How a clause keeps its identity: every version is a full snapshot. `statement_section` and
// `statement_clause` hold one row per version per section or clause, keyed by
// (version_id, section_id) and (version_id, clause_id). `section_id` and `clause_id` are stable
// ids made when a section or clause first appears and carried, unchanged, into every later
// version that still has it. So an amendment names the clause it changes by `clause_id`, a
// comparison pairs clauses of two versions by `clause_id` (a changed clause shows as changed
// words, not as one removed and one added), and old versions never change. A snapshot of 200
// clauses is 200 small rows per version, which keeps reading any version one indexed query.
//
// - `statement`: one document (the UI shows the one with slug 'statement'); `current_version`
//   is the number of its newest version.
// - `statement_version`: every version kept; `decision_id` is the decision that agreed it (text,
//   no foreign key: decisions are another feature, built alongside).
// - `statement_amendment`: a change to a clause (new words), its removal, or a new clause after a
//   given clause or at the end of a section; written against a version, with a reason.
//   `original_text` is the clause's words when it was written, so applying it can tell whether
//   the clause changed since (then it is outdated, never silently applied to other words).
// - `statement_amendment_comment`, `statement_amendment_support`: talk and support.
// - `statement_endorsement`: an organisation (signed by its admin) or a person endorses one
//   version; `endorser_key` ('org:<id>' or 'person:<id>') makes one per endorser per version.
export async function up(db: Kysely<any>): Promise<void> {
	const t = types(db);

	await db.schema
		.createTable('statement')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('slug', 'text', (c) => c.notNull().unique())
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('current_version', 'integer', (c) => c.notNull())
		.addColumn('created_by', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.addColumn('updated_at', t.timestamp, (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('statement_version')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('statement_id', 'text', (c) =>
			c.notNull().references('statement.id').onDelete('cascade')
		)
		.addColumn('number', 'integer', (c) => c.notNull())
		/** What changed, in the facilitator's words (may be empty). */
		.addColumn('note', 'text', (c) => c.notNull())
		.addColumn('made_by', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		/** The decision that agreed this version, if any (no foreign key: another feature). */
		.addColumn('decision_id', 'text')
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.addUniqueConstraint('statement_version_number_uq', ['statement_id', 'number'])
		.execute();
	await db.schema
		.createIndex('statement_version_made_by_idx')
		.on('statement_version')
		.column('made_by')
		.execute();

	await db.schema
		.createTable('statement_section')
		.addColumn('version_id', 'text', (c) =>
			c.notNull().references('statement_version.id').onDelete('cascade')
		)
		/** Stable across versions. */
		.addColumn('section_id', 'text', (c) => c.notNull())
		.addColumn('position', 'integer', (c) => c.notNull())
		.addColumn('heading', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('statement_section_pk', ['version_id', 'section_id'])
		.execute();

	await db.schema
		.createTable('statement_clause')
		.addColumn('version_id', 'text', (c) =>
			c.notNull().references('statement_version.id').onDelete('cascade')
		)
		/** Stable across versions. */
		.addColumn('clause_id', 'text', (c) => c.notNull())
		.addColumn('section_id', 'text', (c) => c.notNull())
		.addColumn('position', 'integer', (c) => c.notNull())
		.addColumn('body', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('statement_clause_pk', ['version_id', 'clause_id'])
		.execute();
	// A version read in order, section by section.
	await db.schema
		.createIndex('statement_clause_order_idx')
		.on('statement_clause')
		.columns(['version_id', 'section_id', 'position'])
		.execute();

	await db.schema
		.createTable('statement_amendment')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('statement_id', 'text', (c) =>
			c.notNull().references('statement.id').onDelete('cascade')
		)
		/** The version it was written against. */
		.addColumn('version_id', 'text', (c) =>
			c.notNull().references('statement_version.id').onDelete('cascade')
		)
		/** change | delete | add */
		.addColumn('kind', 'text', (c) => c.notNull())
		/** The clause changed or removed; for a new clause, the clause it follows (or null: at the end of its section). */
		.addColumn('clause_id', 'text')
		/** The section the clause is (or will be) in. */
		.addColumn('section_id', 'text', (c) => c.notNull())
		/** The clause's words when the amendment was written ('' for a new clause). */
		.addColumn('original_text', 'text', (c) => c.notNull())
		/** The proposed words ('' for a removal). */
		.addColumn('new_text', 'text', (c) => c.notNull())
		.addColumn('reason', 'text', (c) => c.notNull())
		.addColumn('author_id', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		/** open | agreed | not-agreed | withdrawn | outdated */
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('decided_by', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('decided_at', t.timestamp)
		.addColumn('decision_note', 'text')
		/** The decision it was put to (no foreign key: decisions are another feature). */
		.addColumn('decision_id', 'text')
		/** The version it made, once agreed and applied. */
		.addColumn('applied_version_id', 'text', (c) =>
			c.references('statement_version.id').onDelete('set null')
		)
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.addColumn('updated_at', t.timestamp, (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('statement_amendment_list_idx')
		.on('statement_amendment')
		.columns(['statement_id', 'status', 'created_at'])
		.execute();
	await db.schema
		.createIndex('statement_amendment_author_idx')
		.on('statement_amendment')
		.column('author_id')
		.execute();
	await db.schema
		.createIndex('statement_amendment_decided_by_idx')
		.on('statement_amendment')
		.column('decided_by')
		.execute();
	await db.schema
		.createIndex('statement_amendment_decision_idx')
		.on('statement_amendment')
		.column('decision_id')
		.execute();

	await db.schema
		.createTable('statement_amendment_comment')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('amendment_id', 'text', (c) =>
			c.notNull().references('statement_amendment.id').onDelete('cascade')
		)
		.addColumn('author_id', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		/** Markdown (the comment subset), sanitised when rendered. */
		.addColumn('body', 'text', (c) => c.notNull())
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.addColumn('edited_at', t.timestamp)
		.execute();
	await db.schema
		.createIndex('statement_amendment_comment_list_idx')
		.on('statement_amendment_comment')
		.columns(['amendment_id', 'created_at', 'id'])
		.execute();
	await db.schema
		.createIndex('statement_amendment_comment_author_idx')
		.on('statement_amendment_comment')
		.column('author_id')
		.execute();

	await db.schema
		.createTable('statement_amendment_support')
		.addColumn('amendment_id', 'text', (c) =>
			c.notNull().references('statement_amendment.id').onDelete('cascade')
		)
		.addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.addPrimaryKeyConstraint('statement_amendment_support_pk', ['amendment_id', 'user_id'])
		.execute();
	await db.schema
		.createIndex('statement_amendment_support_user_idx')
		.on('statement_amendment_support')
		.column('user_id')
		.execute();

	await db.schema
		.createTable('statement_endorsement')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('statement_id', 'text', (c) =>
			c.notNull().references('statement.id').onDelete('cascade')
		)
		.addColumn('version_id', 'text', (c) =>
			c.notNull().references('statement_version.id').onDelete('cascade')
		)
		/** Null for a person's own name. An organisation's endorsement goes with the organisation. */
		.addColumn('organisation_id', 'text', (c) =>
			c.references('organisation.id').onDelete('cascade')
		)
		/** 'org:<organisation id>' or 'person:<user id>': one endorsement each per version. */
		.addColumn('endorser_key', 'text', (c) => c.notNull())
		/** The person who signed (for an organisation: its admin; kept without a name if they leave). */
		.addColumn('signed_by', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('note', 'text', (c) => c.notNull())
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.addUniqueConstraint('statement_endorsement_uq', ['version_id', 'endorser_key'])
		.execute();
	await db.schema
		.createIndex('statement_endorsement_list_idx')
		.on('statement_endorsement')
		.columns(['statement_id', 'endorser_key', 'created_at'])
		.execute();
	await db.schema
		.createIndex('statement_endorsement_signed_by_idx')
		.on('statement_endorsement')
		.column('signed_by')
		.execute();
	await db.schema
		.createIndex('statement_endorsement_organisation_idx')
		.on('statement_endorsement')
		.column('organisation_id')
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('statement_endorsement').execute();
	await db.schema.dropTable('statement_amendment_support').execute();
	await db.schema.dropTable('statement_amendment_comment').execute();
	await db.schema.dropTable('statement_amendment').execute();
	await db.schema.dropTable('statement_clause').execute();
	await db.schema.dropTable('statement_section').execute();
	await db.schema.dropTable('statement_version').execute();
	await db.schema.dropTable('statement').execute();
}
