import { sql, type Kysely } from 'kysely';
import { randomBytes } from 'node:crypto';
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
	for (const [index, dimension] of FRAMEWORK_V1_DIMENSIONS.entries()) {
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

/**
 * Version 1 of the framework, as this migration has written it since 2026-11-26. Frozen here,
 * not imported from the assessments feature, so a fresh install always starts from the same
 * rows; the framework changes afterwards only by new versions (a curator's edit, or a new
 * migration that adds one).
 */
export const FRAMEWORK_V1_DIMENSIONS: {
	key: string;
	kind: 'element' | 'value';
	title: string;
	description: string;
	statements: string[];
	guidance: string;
}[] = [
	{
		key: 'involvement',
		kind: 'element',
		title: 'People who use the service are closely involved',
		description: 'How much the people who use the service shape it, not just comment on it.',
		statements: [
			'People who use the service help decide what the work is for.',
			'People who use the service take part in the work itself, not only in consultations.',
			'Ideas from people who use the service change what we do.',
			'People who use the service can take part in ways that suit them (time, place, format).'
		],
		guidance:
			'Start small and early: invite two or three people who use the service to the next planning meeting, pay their expenses, and ask them to set one item on the agenda. Offer more than one way to take part (in person, online, on the phone).'
	},
	{
		key: 'right-people',
		kind: 'element',
		title: 'The right people are involved from the start',
		description: 'Whether everyone with a stake was there at the beginning, not brought in late.',
		statements: [
			'The people who use the service were involved before decisions were made.',
			'Frontline staff, managers and partners were all involved from the start.',
			'We asked who is missing, and invited them.',
			'People who find it hard to take part were supported to join.'
		],
		guidance:
			'Map who uses, delivers, funds and is affected by the service, and mark who is not yet involved. Ask a local charity or a co-production champion to help reach people who are seldom heard.'
	},
	{
		key: 'shared-decisions',
		kind: 'element',
		title: 'We agree how decisions are made, and share power',
		description: 'A clear, agreed way of reaching decisions, where everyone’s voice has weight.',
		statements: [
			'We agreed together how decisions are made.',
			'Everyone understands how a decision was reached.',
			'People who use the service have a real say in the final decisions.',
			'Disagreements are talked through openly, not settled by whoever is most senior.'
		],
		guidance:
			'Write down, together, how decisions will be made (for example: consensus first, then a vote with one voice each) and share it in plain English. Check at the end of each meeting whether everyone felt heard.'
	},
	{
		key: 'shared-values',
		kind: 'element',
		title: 'We agree values and expectations together',
		description: 'Values agreed at the start, and clear expectations of what each person gets.',
		statements: [
			'We agreed our values together at the start.',
			'Everyone knows what is expected of them, and what they can expect in return.',
			'We check from time to time that we still live by what we agreed.'
		],
		guidance:
			'Hold a short session to agree three to five shared values and what each person can expect (time, expenses, feedback). Put them on the first page of every agenda and look at them again every few months.'
	},
	{
		key: 'motivations',
		kind: 'element',
		title: 'We understand why people take part',
		description: 'Knowing what each person hopes to get from taking part, and respecting it.',
		statements: [
			'We know why each person is taking part, and what they hope to get from it.',
			'People get something back that matters to them.',
			'We make it easy for people to step back, and welcome them when they return.'
		],
		guidance:
			'Ask each person, one to one, what they want from taking part (skills, a reference, a say, company) and how you will know it is working for them. Review it together.'
	},
	{
		key: 'assets',
		kind: 'value',
		title: 'Everyone’s strengths are used',
		description: 'Seeing every person as someone with something to give, and using it.',
		statements: [
			'We know what skills and experience each person brings.',
			'People are asked to use their strengths, not only to share their problems.',
			'Lived experience is treated as expertise.'
		],
		guidance:
			'Run a skills and strengths round at the next meeting: everyone says one thing they are good at or know about. Then give people roles that use those strengths.'
	},
	{
		key: 'valuing-contribution',
		kind: 'value',
		title: 'Every contribution is valued',
		description: 'Recognising and rewarding the time and work everyone puts in.',
		statements: [
			'People are thanked and told what difference their contribution made.',
			'People who are not paid to be here have their expenses covered.',
			'Unpaid contributors are recognised or rewarded fairly (for example time credits, payment, training).'
		],
		guidance:
			'Agree a policy on expenses and payment for people who are not paid to take part, and pay promptly. After each piece of work, tell everyone what changed because of them.'
	},
	{
		key: 'reciprocity',
		kind: 'value',
		title: 'It works both ways',
		description: 'Two-way exchange: everyone gives and everyone gains.',
		statements: [
			'Everyone gives something and gets something back.',
			'Staff learn from people who use the service, as well as the other way round.',
			'People who use the service can help each other, not only be helped.'
		],
		guidance:
			'Look for chances for people to help each other: peer support, buddying, people who use the service leading part of a session or training staff.'
	},
	{
		key: 'networks-trust',
		kind: 'value',
		title: 'We build networks and trust',
		description: 'Relationships that last, across services, organisations and communities.',
		statements: [
			'People trust each other enough to be honest.',
			'The work connects people to others in their community.',
			'Relationships last beyond a single project.',
			'Organisations share information openly with each other.'
		],
		guidance:
			'Make time for people to get to know each other (a shared meal, a walk, a café). Keep in touch between projects, and introduce people to local groups and networks.'
	}
];
