import { sql, type Kysely } from 'kysely';
import { randomBytes } from 'node:crypto';
import { DEFAULT_DIMENSIONS } from '../../assessments/framework.default';
import { types } from './helpers';

// The co-production check. A framework comes in versions (a curator's edit makes a new one;
// an assessment keeps the version it started with). An assessment has owners and rounds;
// people answer once per round, from one perspective, as themselves (a member) or not; owners
// only ever see aggregates. Answers: one row per statement answered, rating 0 (never) to 4
// (always), or null for "don't know". A statement not answered has no row.
export async function up(db: Kysely<any>): Promise<void> {
	const t = types(db);

	await db.schema
		.createTable('framework_version')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('number', 'integer', (c) => c.notNull().unique())
		.addColumn('name', 'text', (c) => c.notNull())
		/** What changed in this version, in a sentence. */
		.addColumn('note', 'text')
		.addColumn('created_by', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('framework_version_created_by_idx')
		.on('framework_version')
		.column('created_by')
		.execute();

	await db.schema
		.createTable('framework_dimension')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('version_id', 'text', (c) =>
			c.notNull().references('framework_version.id').onDelete('cascade')
		)
		/** Stable across versions, so rounds on different versions can still be compared. */
		.addColumn('key', 'text', (c) => c.notNull())
		/** element | value */
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('position', 'integer', (c) => c.notNull())
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('description', 'text', (c) => c.notNull())
		/** Suggestions shown when this dimension comes out weakest. */
		.addColumn('guidance', 'text', (c) => c.notNull())
		.addUniqueConstraint('framework_dimension_key_unique', ['version_id', 'key'])
		.execute();

	await db.schema
		.createTable('framework_statement')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('dimension_id', 'text', (c) =>
			c.notNull().references('framework_dimension.id').onDelete('cascade')
		)
		.addColumn('position', 'integer', (c) => c.notNull())
		.addColumn('text', 'text', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('framework_statement_dimension_idx')
		.on('framework_statement')
		.columns(['dimension_id', 'position'])
		.execute();

	await db.schema
		.createTable('assessment')
		.addColumn('id', 'text', (c) => c.primaryKey())
		/** The service or project being checked. */
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('description', 'text', (c) => c.notNull())
		.addColumn('framework_version_id', 'text', (c) =>
			c.notNull().references('framework_version.id')
		)
		.addColumn('organisation_id', 'text', (c) =>
			c.references('organisation.id').onDelete('set null')
		)
		.addColumn('created_by', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		/** Whether people without an account may answer through the shareable link. */
		.addColumn('open_to_visitors', 'integer', (c) => c.notNull().defaultTo(0))
		/** The shareable link's code; owners can replace it to stop an old link working. */
		.addColumn('share_code', 'text', (c) => c.notNull().unique())
		/** owners | respondents | public */
		.addColumn('results_visibility', 'text', (c) => c.notNull().defaultTo('owners'))
		/** A perspective's figures are shown only when at least this many answered (never below 3). */
		.addColumn('threshold', 'integer', (c) => c.notNull().defaultTo(3))
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.addColumn('updated_at', t.timestamp, (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('assessment_created_by_idx')
		.on('assessment')
		.column('created_by')
		.execute();
	await db.schema
		.createIndex('assessment_organisation_idx')
		.on('assessment')
		.column('organisation_id')
		.execute();

	await db.schema
		.createTable('assessment_owner')
		.addColumn('assessment_id', 'text', (c) =>
			c.notNull().references('assessment.id').onDelete('cascade')
		)
		.addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
		.addColumn('added_at', t.timestamp, (c) => c.notNull())
		.addPrimaryKeyConstraint('assessment_owner_pk', ['assessment_id', 'user_id'])
		.execute();
	await db.schema
		.createIndex('assessment_owner_user_idx')
		.on('assessment_owner')
		.column('user_id')
		.execute();

	await db.schema
		.createTable('assessment_round')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('assessment_id', 'text', (c) =>
			c.notNull().references('assessment.id').onDelete('cascade')
		)
		/** 1, 2, 3… within the assessment. */
		.addColumn('number', 'integer', (c) => c.notNull())
		.addColumn('closes_at', t.timestamp, (c) => c.notNull())
		/** Set when an owner closes the round early. */
		.addColumn('closed_at', t.timestamp)
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.addUniqueConstraint('assessment_round_number_unique', ['assessment_id', 'number'])
		.execute();

	await db.schema
		.createTable('assessment_invitation')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('round_id', 'text', (c) =>
			c.notNull().references('assessment_round.id').onDelete('cascade')
		)
		/** Lower-cased; kept only until the round closes and a while after (see the worker). */
		.addColumn('email', 'text', (c) => c.notNull())
		.addColumn('token_hash', 'text', (c) => c.notNull().unique())
		.addColumn('invited_by', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		/** When its one response was submitted. */
		.addColumn('used_at', t.timestamp)
		.execute();
	await db.schema
		.createIndex('assessment_invitation_round_idx')
		.on('assessment_invitation')
		.columns(['round_id', 'email'])
		.execute();
	await db.schema
		.createIndex('assessment_invitation_invited_by_idx')
		.on('assessment_invitation')
		.column('invited_by')
		.execute();
	await db.schema
		.createIndex('assessment_invitation_email_idx')
		.on('assessment_invitation')
		.column('email')
		.execute();

	await db.schema
		.createTable('assessment_response')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('round_id', 'text', (c) =>
			c.notNull().references('assessment_round.id').onDelete('cascade')
		)
		/** uses-services | carer | frontline | manager | commissioner | partner | other */
		.addColumn('perspective', 'text', (c) => c.notNull())
		/**
		 * The member answering, so they can finish later and download or delete their answers.
		 * Never shown to owners, who see aggregates only.
		 */
		.addColumn('user_id', 'text', (c) => c.references('app_user.id').onDelete('cascade'))
		.addColumn('invitation_id', 'text', (c) =>
			c.references('assessment_invitation.id').onDelete('set null')
		)
		/** A visitor's way back to an unfinished response: the SHA-256 of the emailed or shown code. */
		.addColumn('resume_hash', 'text', (c) => c.unique())
		/** informing | consulting | engaging | co-designing | co-producing, or null. */
		.addColumn('continuum', 'text')
		.addColumn('submitted_at', t.timestamp)
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.addColumn('updated_at', t.timestamp, (c) => c.notNull())
		.execute();
	// Results read submitted responses of one round, by perspective.
	await db.schema
		.createIndex('assessment_response_round_idx')
		.on('assessment_response')
		.columns(['round_id', 'perspective', 'id'])
		.where(sql.ref('submitted_at'), 'is not', null)
		.execute();
	// One response per member per round, whatever races.
	await db.schema
		.createIndex('assessment_response_user_idx')
		.unique()
		.on('assessment_response')
		.columns(['user_id', 'round_id'])
		.where(sql.ref('user_id'), 'is not', null)
		.execute();
	await db.schema
		.createIndex('assessment_response_invitation_idx')
		.on('assessment_response')
		.column('invitation_id')
		.execute();

	await db.schema
		.createTable('assessment_answer')
		.addColumn('response_id', 'text', (c) =>
			c.notNull().references('assessment_response.id').onDelete('cascade')
		)
		.addColumn('statement_id', 'text', (c) =>
			c.notNull().references('framework_statement.id').onDelete('cascade')
		)
		.addColumn('dimension_id', 'text', (c) =>
			c.notNull().references('framework_dimension.id').onDelete('cascade')
		)
		/** 0 never … 4 always; null: don't know. */
		.addColumn('rating', 'integer')
		.addPrimaryKeyConstraint('assessment_answer_pk', ['response_id', 'statement_id'])
		.execute();
	// Results group a response's answers by dimension without reading the statements.
	await db.schema
		.createIndex('assessment_answer_dimension_idx')
		.on('assessment_answer')
		.columns(['response_id', 'dimension_id', 'rating'])
		.execute();
	await db.schema
		.createIndex('assessment_answer_statement_idx')
		.on('assessment_answer')
		.column('statement_id')
		.execute();

	await db.schema
		.createTable('assessment_comment')
		.addColumn('response_id', 'text', (c) =>
			c.notNull().references('assessment_response.id').onDelete('cascade')
		)
		.addColumn('dimension_id', 'text', (c) =>
			c.notNull().references('framework_dimension.id').onDelete('cascade')
		)
		.addColumn('comment', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('assessment_comment_pk', ['response_id', 'dimension_id'])
		.execute();
	await db.schema
		.createIndex('assessment_comment_dimension_idx')
		.on('assessment_comment')
		.column('dimension_id')
		.execute();

	await db.schema
		.createTable('self_check')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
		.addColumn('framework_version_id', 'text', (c) =>
			c.notNull().references('framework_version.id')
		)
		/** What the service or project was, in the member's words (optional). */
		.addColumn('label', 'text')
		/** JSON: { answers: { [statementId]: 0..4 | null }, continuum } */
		.addColumn('answers', 'text', (c) => c.notNull())
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('self_check_user_idx')
		.on('self_check')
		.columns(['user_id', 'created_at'])
		.execute();

	// Version 1 of the framework.
	const now = new Date().toISOString();
	const versionId = randomBytes(16).toString('base64url');
	await db
		.insertInto('framework_version')
		.values({
			id: versionId,
			number: 1,
			name: 'Co-production check',
			note: 'The first version.',
			created_by: null,
			created_at: now
		})
		.execute();
	for (const [index, dimension] of DEFAULT_DIMENSIONS.entries()) {
		const dimensionId = randomBytes(16).toString('base64url');
		await db
			.insertInto('framework_dimension')
			.values({
				id: dimensionId,
				version_id: versionId,
				key: dimension.key,
				kind: dimension.kind,
				position: index + 1,
				title: dimension.title,
				description: dimension.description,
				guidance: dimension.guidance
			})
			.execute();
		await db
			.insertInto('framework_statement')
			.values(
				dimension.statements.map((text, i) => ({
					id: randomBytes(16).toString('base64url'),
					dimension_id: dimensionId,
					position: i + 1,
					text
				}))
			)
			.execute();
	}
}

export async function down(db: Kysely<any>): Promise<void> {
	for (const table of [
		'self_check',
		'assessment_comment',
		'assessment_answer',
		'assessment_response',
		'assessment_invitation',
		'assessment_round',
		'assessment_owner',
		'assessment',
		'framework_statement',
		'framework_dimension',
		'framework_version'
	]) {
		await db.schema.dropTable(table).execute();
	}
}
