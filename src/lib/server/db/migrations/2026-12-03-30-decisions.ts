import type { Kysely } from 'kysely';
import { types } from './helpers';

// Decisions (issue 15): a question put to a group, decided by a process chosen from a few.
//
// - `decision`: one round of a question. `process` says how it is decided; `audience` who takes
//   part; `anonymous` is fixed before it opens. `previous_round_id` links a second round to the
//   first. `origin_*` say where it came from (an amendment, an idea): plain text with no foreign
//   key, since another feature owns that row. `reminder_claimed_at` is claimed by a conditional
//   update so one instance sends the reminders once.
// - `decision_option`: the options of choose, dot, score, ranked and find-a-time decisions.
// - `decision_facilitator`: who runs it besides curators (the person who started it, at first).
// - `decision_group_member`: the named group, when the audience is a named group.
// - `decision_response`: one person's position or per-option values, with a reason. For an
//   anonymous decision `person_id` is set to null when it closes (and the row gets a new id and
//   no times), so nothing ties the response to the person any more.
export async function up(db: Kysely<any>): Promise<void> {
	const t = types(db);

	await db.schema
		.createTable('decision')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('slug', 'text', (c) => c.notNull().unique())
		.addColumn('question', 'text', (c) => c.notNull())
		/** The proposal or background: Markdown, sanitised when rendered. */
		.addColumn('proposal', 'text', (c) => c.notNull())
		/** consensus | consent | choose | dot | score | ranked | time */
		.addColumn('process', 'text', (c) => c.notNull())
		/** choose: most options one may pick; dot: dots each; score: highest score. */
		.addColumn('setting', 'integer', (c) => c.notNull().defaultTo(1))
		/** members | organisation | event | group */
		.addColumn('audience', 'text', (c) => c.notNull())
		.addColumn('audience_organisation_id', 'text', (c) =>
			c.references('organisation.id').onDelete('set null')
		)
		.addColumn('audience_event_id', 'text', (c) => c.references('event.id').onDelete('set null'))
		.addColumn('closes_at', t.timestamp, (c) => c.notNull())
		/** Responses needed for the result to count; 0 for none. */
		.addColumn('quorum', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('anonymous', 'integer', (c) => c.notNull().defaultTo(0))
		/** draft | open | closed */
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('outcome', 'text')
		/** passed | not-passed, for consensus and consent; null otherwise or until written. */
		.addColumn('result', 'text')
		.addColumn('round', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('previous_round_id', 'text', (c) => c.references('decision.id').onDelete('set null'))
		.addColumn('origin_kind', 'text')
		.addColumn('origin_id', 'text')
		.addColumn('origin_title', 'text')
		.addColumn('origin_path', 'text')
		.addColumn('created_by', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.addColumn('updated_at', t.timestamp, (c) => c.notNull())
		.addColumn('opened_at', t.timestamp)
		.addColumn('closed_at', t.timestamp)
		.addColumn('outcome_at', t.timestamp)
		.addColumn('reminder_claimed_at', t.timestamp)
		.execute();
	// The list: open first, then by closing time.
	await db.schema
		.createIndex('decision_list_idx')
		.on('decision')
		.columns(['status', 'closes_at', 'id'])
		.execute();
	await db.schema
		.createIndex('decision_previous_round_idx')
		.on('decision')
		.column('previous_round_id')
		.execute();
	await db.schema
		.createIndex('decision_created_by_idx')
		.on('decision')
		.column('created_by')
		.execute();
	await db.schema
		.createIndex('decision_origin_idx')
		.on('decision')
		.columns(['origin_kind', 'origin_id'])
		.execute();
	await db.schema
		.createIndex('decision_audience_organisation_idx')
		.on('decision')
		.column('audience_organisation_id')
		.execute();
	await db.schema
		.createIndex('decision_audience_event_idx')
		.on('decision')
		.column('audience_event_id')
		.execute();

	await db.schema
		.createTable('decision_option')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('decision_id', 'text', (c) =>
			c.notNull().references('decision.id').onDelete('cascade')
		)
		.addColumn('position', 'integer', (c) => c.notNull())
		.addColumn('label', 'text', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('decision_option_decision_idx')
		.on('decision_option')
		.columns(['decision_id', 'position'])
		.execute();

	await db.schema
		.createTable('decision_facilitator')
		.addColumn('decision_id', 'text', (c) =>
			c.notNull().references('decision.id').onDelete('cascade')
		)
		.addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
		.addColumn('added_at', t.timestamp, (c) => c.notNull())
		.addPrimaryKeyConstraint('decision_facilitator_pk', ['decision_id', 'user_id'])
		.execute();
	await db.schema
		.createIndex('decision_facilitator_user_idx')
		.on('decision_facilitator')
		.column('user_id')
		.execute();

	await db.schema
		.createTable('decision_group_member')
		.addColumn('decision_id', 'text', (c) =>
			c.notNull().references('decision.id').onDelete('cascade')
		)
		.addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
		.addColumn('added_at', t.timestamp, (c) => c.notNull())
		.addPrimaryKeyConstraint('decision_group_member_pk', ['decision_id', 'user_id'])
		.execute();
	await db.schema
		.createIndex('decision_group_member_user_idx')
		.on('decision_group_member')
		.column('user_id')
		.execute();

	await db.schema
		.createTable('decision_response')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('decision_id', 'text', (c) =>
			c.notNull().references('decision.id').onDelete('cascade')
		)
		/** Null once an anonymous decision has closed, or when the person deleted their account. */
		.addColumn('person_id', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		/** consensus: agree | abstain | disagree | block; consent: consent | object; else null. */
		.addColumn('position', 'text')
		/** Per-option values as JSON, { optionId: number }, for the other processes. */
		.addColumn('choices', 'text')
		.addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
		/** Null once unlinked, so the time cannot be matched to anything the person did. */
		.addColumn('updated_at', t.timestamp)
		.execute();
	await db.schema
		.createIndex('decision_response_person_uq')
		.on('decision_response')
		.columns(['decision_id', 'person_id'])
		.unique()
		.execute();
	// The live summary's counts by position, from the index alone.
	await db.schema
		.createIndex('decision_response_position_idx')
		.on('decision_response')
		.columns(['decision_id', 'position'])
		.execute();
	// The live summary's latest reasons, newest first, without sorting every response.
	await db.schema
		.createIndex('decision_response_recent_idx')
		.on('decision_response')
		.columns(['decision_id', 'updated_at', 'id'])
		.execute();
	await db.schema
		.createIndex('decision_response_person_idx')
		.on('decision_response')
		.column('person_id')
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('decision_response').execute();
	await db.schema.dropTable('decision_group_member').execute();
	await db.schema.dropTable('decision_facilitator').execute();
	await db.schema.dropTable('decision_option').execute();
	await db.schema.dropTable('decision').execute();
}
