import type { Kysely } from 'kysely';
import { types } from './helpers';

// Enquiries and research (issue 16): a team asks questions, interviews people, codes what they
// said into themes and publishes a report. Everything people said stays with the team until the
// report is published; consent is carried from the interview to every published quote.
//
// - `enquiry`: the question(s), purpose, method, the consent text participants agree to, and a
//   stage: planning | gathering | analysing | reporting | published. `raw_deleted_at`: the lead
//   deleted the raw material (transcripts, excerpts, codes, memos) after publishing; the report
//   and its quotes stay.
// - `enquiry_member`: the team, lead or interviewer. `enquiry_invitation`: an emailed invitation
//   to join, by a hashed token.
// - `enquiry_session`: events (the enquiry format) linked to the enquiry.
// - `enquiry_participant`: a label ("Participant 4" or a name), a perspective and current consent.
//   `enquiry_consent_change` is each recorded consent, with who recorded it and when.
// - `enquiry_interview`: notes or a transcript (plain text, normalised from what was typed or
//   uploaded), linked to its participant and interviewer.
// - `enquiry_code`: the codebook, nested by `parent_id`. `enquiry_excerpt`: a passage of an
//   interview (character offsets into its body, and a copy of the words), with the participant
//   repeated so consent and perspective filters read one index. `enquiry_coding`: excerpt × code.
// - `enquiry_memo`: notes on a code (or on the enquiry, with no code).
// - `enquiry_report_section`: the report, section by section. `enquiry_report_quote`: a quote in
//   a section, its words copied so the report outlives the raw material; shown only as its
//   speaker's consent allows at the moment it is read.
// - `enquiry_follow_on`: decisions, ideas or pilots that followed from the enquiry (no foreign
//   key: another feature owns them; title and path kept for showing without a look-up).
export async function up(db: Kysely<any>): Promise<void> {
	const t = types(db);

	await db.schema
		.createTable('enquiry')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('title', 'text', (c) => c.notNull())
		/** One question per line. */
		.addColumn('questions', 'text', (c) => c.notNull())
		.addColumn('purpose', 'text', (c) => c.notNull())
		.addColumn('method', 'text', (c) => c.notNull())
		.addColumn('consent_text', 'text', (c) => c.notNull())
		.addColumn('stage', 'text', (c) => c.notNull())
		.addColumn('created_by', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		/** The report's title and opening summary (Markdown); its sections are rows. */
		.addColumn('report_title', 'text')
		.addColumn('report_summary', 'text')
		.addColumn('published_at', t.timestamp)
		.addColumn('raw_deleted_at', t.timestamp)
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.addColumn('updated_at', t.timestamp, (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('enquiry_stage_idx')
		.on('enquiry')
		.columns(['stage', 'updated_at', 'id'])
		.execute();
	await db.schema
		.createIndex('enquiry_newest_idx')
		.on('enquiry')
		.columns(['created_at', 'id'])
		.execute();
	await db.schema
		.createIndex('enquiry_created_by_idx')
		.on('enquiry')
		.column('created_by')
		.execute();

	await db.schema
		.createTable('enquiry_member')
		.addColumn('enquiry_id', 'text', (c) =>
			c.notNull().references('enquiry.id').onDelete('cascade')
		)
		.addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
		/** lead | interviewer */
		.addColumn('role', 'text', (c) => c.notNull())
		.addColumn('added_by', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('added_at', t.timestamp, (c) => c.notNull())
		.addPrimaryKeyConstraint('enquiry_member_pk', ['enquiry_id', 'user_id'])
		.execute();
	await db.schema
		.createIndex('enquiry_member_user_idx')
		.on('enquiry_member')
		.column('user_id')
		.execute();

	await db.schema
		.createTable('enquiry_invitation')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('enquiry_id', 'text', (c) =>
			c.notNull().references('enquiry.id').onDelete('cascade')
		)
		.addColumn('email', 'text', (c) => c.notNull())
		.addColumn('role', 'text', (c) => c.notNull())
		/** SHA-256 of the token in the emailed link; the token itself is never stored. */
		.addColumn('token_hash', 'text', (c) => c.notNull().unique())
		.addColumn('invited_by', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.addColumn('expires_at', t.timestamp, (c) => c.notNull())
		.addColumn('accepted_at', t.timestamp)
		.addColumn('accepted_by', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('cancelled_at', t.timestamp)
		.execute();
	await db.schema
		.createIndex('enquiry_invitation_enquiry_idx')
		.on('enquiry_invitation')
		.columns(['enquiry_id', 'created_at'])
		.execute();
	await db.schema
		.createIndex('enquiry_invitation_invited_by_idx')
		.on('enquiry_invitation')
		.column('invited_by')
		.execute();
	await db.schema
		.createIndex('enquiry_invitation_accepted_by_idx')
		.on('enquiry_invitation')
		.column('accepted_by')
		.execute();

	await db.schema
		.createTable('enquiry_session')
		.addColumn('enquiry_id', 'text', (c) =>
			c.notNull().references('enquiry.id').onDelete('cascade')
		)
		.addColumn('event_id', 'text', (c) => c.notNull().references('event.id').onDelete('cascade'))
		.addColumn('added_at', t.timestamp, (c) => c.notNull())
		.addPrimaryKeyConstraint('enquiry_session_pk', ['enquiry_id', 'event_id'])
		.execute();
	await db.schema
		.createIndex('enquiry_session_event_idx')
		.on('enquiry_session')
		.column('event_id')
		.execute();

	await db.schema
		.createTable('enquiry_participant')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('enquiry_id', 'text', (c) =>
			c.notNull().references('enquiry.id').onDelete('cascade')
		)
		/** A name or "Participant 4". */
		.addColumn('label', 'text', (c) => c.notNull())
		/** uses-services | carer | volunteer | charity-staff | council-staff | nhs-staff | other */
		.addColumn('perspective', 'text', (c) => c.notNull())
		/** 0/1: agreed to take part. */
		.addColumn('consent_take_part', 'integer', (c) => c.notNull())
		/** name | perspective | none */
		.addColumn('consent_quote', 'text', (c) => c.notNull())
		.addColumn('consent_recorded_at', t.timestamp, (c) => c.notNull())
		.addColumn('consent_recorded_by', 'text', (c) =>
			c.references('app_user.id').onDelete('set null')
		)
		/** Withdrawn: their words are gone from analysis and every report. */
		.addColumn('withdrawn_at', t.timestamp)
		.addColumn('created_by', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.addColumn('updated_at', t.timestamp, (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('enquiry_participant_enquiry_idx')
		.on('enquiry_participant')
		.columns(['enquiry_id', 'created_at', 'id'])
		.execute();
	await db.schema
		.createIndex('enquiry_participant_recorded_by_idx')
		.on('enquiry_participant')
		.column('consent_recorded_by')
		.execute();
	await db.schema
		.createIndex('enquiry_participant_created_by_idx')
		.on('enquiry_participant')
		.column('created_by')
		.execute();

	await db.schema
		.createTable('enquiry_consent_change')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('participant_id', 'text', (c) =>
			c.notNull().references('enquiry_participant.id').onDelete('cascade')
		)
		.addColumn('take_part', 'integer', (c) => c.notNull())
		.addColumn('quote', 'text', (c) => c.notNull())
		.addColumn('withdrawn', 'integer', (c) => c.notNull())
		.addColumn('note', 'text', (c) => c.notNull())
		.addColumn('recorded_by', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('recorded_at', t.timestamp, (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('enquiry_consent_change_participant_idx')
		.on('enquiry_consent_change')
		.columns(['participant_id', 'recorded_at'])
		.execute();
	await db.schema
		.createIndex('enquiry_consent_change_by_idx')
		.on('enquiry_consent_change')
		.column('recorded_by')
		.execute();

	await db.schema
		.createTable('enquiry_interview')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('enquiry_id', 'text', (c) =>
			c.notNull().references('enquiry.id').onDelete('cascade')
		)
		.addColumn('participant_id', 'text', (c) =>
			c.notNull().references('enquiry_participant.id').onDelete('cascade')
		)
		.addColumn('interviewer_id', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('title', 'text', (c) => c.notNull())
		/** YYYY-MM-DD, or null when not given. */
		.addColumn('held_on', 'text')
		/** notes | transcript */
		.addColumn('kind', 'text', (c) => c.notNull())
		/** typed | text | markdown | docx | vtt */
		.addColumn('source_format', 'text', (c) => c.notNull())
		.addColumn('source_name', 'text')
		/** Plain text; excerpts point into it by character offsets, so it is fixed once coded. */
		.addColumn('body', 'text', (c) => c.notNull())
		.addColumn('created_by', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.addColumn('updated_at', t.timestamp, (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('enquiry_interview_enquiry_idx')
		.on('enquiry_interview')
		.columns(['enquiry_id', 'created_at', 'id'])
		.execute();
	await db.schema
		.createIndex('enquiry_interview_participant_idx')
		.on('enquiry_interview')
		.column('participant_id')
		.execute();
	await db.schema
		.createIndex('enquiry_interview_interviewer_idx')
		.on('enquiry_interview')
		.column('interviewer_id')
		.execute();
	await db.schema
		.createIndex('enquiry_interview_created_by_idx')
		.on('enquiry_interview')
		.column('created_by')
		.execute();

	await db.schema
		.createTable('enquiry_code')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('enquiry_id', 'text', (c) =>
			c.notNull().references('enquiry.id').onDelete('cascade')
		)
		.addColumn('parent_id', 'text', (c) => c.references('enquiry_code.id').onDelete('set null'))
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('description', 'text', (c) => c.notNull())
		.addColumn('position', 'integer', (c) => c.notNull())
		.addColumn('created_by', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.addColumn('updated_at', t.timestamp, (c) => c.notNull())
		.execute();
	// Names are unique within an enquiry, whatever their case.
	await db.schema
		.createIndex('enquiry_code_name_idx')
		.on('enquiry_code')
		.columns(['enquiry_id', 'name'])
		.unique()
		.execute();
	await db.schema
		.createIndex('enquiry_code_parent_idx')
		.on('enquiry_code')
		.columns(['parent_id'])
		.execute();
	await db.schema
		.createIndex('enquiry_code_created_by_idx')
		.on('enquiry_code')
		.column('created_by')
		.execute();

	await db.schema
		.createTable('enquiry_excerpt')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('enquiry_id', 'text', (c) =>
			c.notNull().references('enquiry.id').onDelete('cascade')
		)
		.addColumn('interview_id', 'text', (c) =>
			c.notNull().references('enquiry_interview.id').onDelete('cascade')
		)
		.addColumn('participant_id', 'text', (c) =>
			c.notNull().references('enquiry_participant.id').onDelete('cascade')
		)
		/** Character offsets into the interview's body, start inclusive, end exclusive. */
		.addColumn('start_offset', 'integer', (c) => c.notNull())
		.addColumn('end_offset', 'integer', (c) => c.notNull())
		.addColumn('text', 'text', (c) => c.notNull())
		.addColumn('created_by', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('enquiry_excerpt_interview_idx')
		.on('enquiry_excerpt')
		.columns(['interview_id', 'start_offset', 'end_offset'])
		.execute();
	await db.schema
		.createIndex('enquiry_excerpt_participant_idx')
		.on('enquiry_excerpt')
		.columns(['participant_id'])
		.execute();
	await db.schema
		.createIndex('enquiry_excerpt_enquiry_idx')
		.on('enquiry_excerpt')
		.columns(['enquiry_id', 'created_at', 'id'])
		.execute();
	await db.schema
		.createIndex('enquiry_excerpt_created_by_idx')
		.on('enquiry_excerpt')
		.column('created_by')
		.execute();

	await db.schema
		.createTable('enquiry_coding')
		.addColumn('excerpt_id', 'text', (c) =>
			c.notNull().references('enquiry_excerpt.id').onDelete('cascade')
		)
		.addColumn('code_id', 'text', (c) =>
			c.notNull().references('enquiry_code.id').onDelete('cascade')
		)
		.addColumn('coded_by', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('coded_at', t.timestamp, (c) => c.notNull())
		.addPrimaryKeyConstraint('enquiry_coding_pk', ['excerpt_id', 'code_id'])
		.execute();
	await db.schema
		.createIndex('enquiry_coding_code_idx')
		.on('enquiry_coding')
		.columns(['code_id', 'excerpt_id'])
		.execute();
	await db.schema
		.createIndex('enquiry_coding_coded_by_idx')
		.on('enquiry_coding')
		.column('coded_by')
		.execute();

	await db.schema
		.createTable('enquiry_memo')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('enquiry_id', 'text', (c) =>
			c.notNull().references('enquiry.id').onDelete('cascade')
		)
		.addColumn('code_id', 'text', (c) => c.references('enquiry_code.id').onDelete('cascade'))
		.addColumn('body', 'text', (c) => c.notNull())
		.addColumn('author_id', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.addColumn('updated_at', t.timestamp, (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('enquiry_memo_enquiry_idx')
		.on('enquiry_memo')
		.columns(['enquiry_id', 'code_id', 'created_at'])
		.execute();
	await db.schema
		.createIndex('enquiry_memo_code_idx')
		.on('enquiry_memo')
		.column('code_id')
		.execute();
	await db.schema
		.createIndex('enquiry_memo_author_idx')
		.on('enquiry_memo')
		.column('author_id')
		.execute();

	await db.schema
		.createTable('enquiry_report_section')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('enquiry_id', 'text', (c) =>
			c.notNull().references('enquiry.id').onDelete('cascade')
		)
		.addColumn('position', 'integer', (c) => c.notNull())
		.addColumn('heading', 'text', (c) => c.notNull())
		/** Markdown, sanitised when rendered. */
		.addColumn('body', 'text', (c) => c.notNull())
		/** The theme it reports on, if any; kept when the raw material (and codebook) is deleted. */
		.addColumn('code_name', 'text')
		.addColumn('updated_by', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.addColumn('updated_at', t.timestamp, (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('enquiry_report_section_enquiry_idx')
		.on('enquiry_report_section')
		.columns(['enquiry_id', 'position'])
		.execute();
	await db.schema
		.createIndex('enquiry_report_section_updated_by_idx')
		.on('enquiry_report_section')
		.column('updated_by')
		.execute();

	await db.schema
		.createTable('enquiry_report_quote')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('section_id', 'text', (c) =>
			c.notNull().references('enquiry_report_section.id').onDelete('cascade')
		)
		.addColumn('enquiry_id', 'text', (c) =>
			c.notNull().references('enquiry.id').onDelete('cascade')
		)
		/** The speaker: their consent at reading time decides whether and how the quote shows. */
		.addColumn('participant_id', 'text', (c) =>
			c.notNull().references('enquiry_participant.id').onDelete('cascade')
		)
		/** Null once the raw material is deleted; the words below stay. */
		.addColumn('excerpt_id', 'text', (c) => c.references('enquiry_excerpt.id').onDelete('set null'))
		.addColumn('text', 'text', (c) => c.notNull())
		.addColumn('position', 'integer', (c) => c.notNull())
		.addColumn('added_by', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('added_at', t.timestamp, (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('enquiry_report_quote_section_idx')
		.on('enquiry_report_quote')
		.columns(['section_id', 'position'])
		.execute();
	await db.schema
		.createIndex('enquiry_report_quote_enquiry_idx')
		.on('enquiry_report_quote')
		.columns(['enquiry_id', 'participant_id'])
		.execute();
	await db.schema
		.createIndex('enquiry_report_quote_participant_idx')
		.on('enquiry_report_quote')
		.column('participant_id')
		.execute();
	await db.schema
		.createIndex('enquiry_report_quote_excerpt_idx')
		.on('enquiry_report_quote')
		.column('excerpt_id')
		.execute();
	await db.schema
		.createIndex('enquiry_report_quote_added_by_idx')
		.on('enquiry_report_quote')
		.column('added_by')
		.execute();

	await db.schema
		.createTable('enquiry_follow_on')
		.addColumn('enquiry_id', 'text', (c) =>
			c.notNull().references('enquiry.id').onDelete('cascade')
		)
		/** decision | idea | pilot */
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('target_id', 'text', (c) => c.notNull())
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('path', 'text', (c) => c.notNull())
		.addColumn('added_by', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('added_at', t.timestamp, (c) => c.notNull())
		.addPrimaryKeyConstraint('enquiry_follow_on_pk', ['enquiry_id', 'kind', 'target_id'])
		.execute();
	await db.schema
		.createIndex('enquiry_follow_on_target_idx')
		.on('enquiry_follow_on')
		.columns(['kind', 'target_id'])
		.execute();
	await db.schema
		.createIndex('enquiry_follow_on_added_by_idx')
		.on('enquiry_follow_on')
		.column('added_by')
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	for (const table of [
		'enquiry_follow_on',
		'enquiry_report_quote',
		'enquiry_report_section',
		'enquiry_memo',
		'enquiry_coding',
		'enquiry_excerpt',
		'enquiry_code',
		'enquiry_interview',
		'enquiry_consent_change',
		'enquiry_participant',
		'enquiry_session',
		'enquiry_invitation',
		'enquiry_member',
		'enquiry'
	]) {
		await db.schema.dropTable(table).execute();
	}
}
