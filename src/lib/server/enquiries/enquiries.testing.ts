import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { newId, nowIso } from '../ids';
import type {
	EnquiryRole,
	EnquiryStage,
	InterviewKind,
	Perspective,
	QuoteConsent
} from './enquiries.tables';

/**
 * Rows straight into the tables, for specs of one part of the feature that need the others'
 * data to exist. Specs of the use cases themselves go through the services.
 */
export async function insertTestEnquiry(
	db: Kysely<DB>,
	leadId: string,
	overrides: { title?: string; stage?: EnquiryStage } = {}
): Promise<string> {
	const id = newId();
	const now = nowIso();
	await db
		.insertInto('enquiry')
		.values({
			id,
			title: overrides.title ?? 'What does co-production mean here?',
			questions: 'What does co-production mean to you?\nWhat gets in the way?',
			purpose: 'To hear what people across the borough mean by co-production.',
			method: 'Paired interviews of about 40 minutes.',
			consent_text: 'You can stop at any time, and withdraw what you said later.',
			stage: overrides.stage ?? 'gathering',
			created_by: leadId,
			report_title: null,
			report_summary: null,
			published_at: null,
			raw_deleted_at: null,
			created_at: now,
			updated_at: now
		})
		.execute();
	await insertTestMember(db, id, leadId, 'lead');
	return id;
}

export async function insertTestMember(
	db: Kysely<DB>,
	enquiryId: string,
	userId: string,
	role: EnquiryRole = 'interviewer'
): Promise<void> {
	await db
		.insertInto('enquiry_member')
		.values({ enquiry_id: enquiryId, user_id: userId, role, added_by: null, added_at: nowIso() })
		.execute();
}

export async function insertTestParticipant(
	db: Kysely<DB>,
	enquiryId: string,
	overrides: { label?: string; perspective?: Perspective; quote?: QuoteConsent } = {}
): Promise<string> {
	const id = newId();
	const now = nowIso();
	await db
		.insertInto('enquiry_participant')
		.values({
			id,
			enquiry_id: enquiryId,
			label: overrides.label ?? 'Participant 1',
			perspective: overrides.perspective ?? 'carer',
			consent_take_part: 1,
			consent_quote: overrides.quote ?? 'perspective',
			consent_recorded_at: now,
			consent_recorded_by: null,
			withdrawn_at: null,
			created_by: null,
			created_at: now,
			updated_at: now
		})
		.execute();
	return id;
}

export async function insertTestInterview(
	db: Kysely<DB>,
	enquiryId: string,
	participantId: string,
	body: string,
	overrides: { interviewerId?: string | null; kind?: InterviewKind } = {}
): Promise<string> {
	const id = newId();
	const now = nowIso();
	await db
		.insertInto('enquiry_interview')
		.values({
			id,
			enquiry_id: enquiryId,
			participant_id: participantId,
			interviewer_id: overrides.interviewerId ?? null,
			title: 'Interview',
			held_on: null,
			kind: overrides.kind ?? 'transcript',
			source_format: 'typed',
			source_name: null,
			body,
			created_by: overrides.interviewerId ?? null,
			created_at: now,
			updated_at: now
		})
		.execute();
	return id;
}

/** One excerpt of an interview, coded with the given codes (created by name if missing). */
export async function insertTestCoding(
	db: Kysely<DB>,
	enquiryId: string,
	interviewId: string,
	range: { start: number; end: number },
	codeNames: string[]
): Promise<string> {
	const interview = await db
		.selectFrom('enquiry_interview')
		.select(['body', 'participant_id'])
		.where('id', '=', interviewId)
		.executeTakeFirstOrThrow();
	const excerptId = newId();
	const now = nowIso();
	await db
		.insertInto('enquiry_excerpt')
		.values({
			id: excerptId,
			enquiry_id: enquiryId,
			interview_id: interviewId,
			participant_id: interview.participant_id,
			start_offset: range.start,
			end_offset: range.end,
			text: interview.body.slice(range.start, range.end),
			created_by: null,
			created_at: now
		})
		.execute();
	for (const name of codeNames) {
		let code = await db
			.selectFrom('enquiry_code')
			.select('id')
			.where('enquiry_id', '=', enquiryId)
			.where('name', '=', name)
			.executeTakeFirst();
		if (!code) {
			code = { id: newId() };
			await db
				.insertInto('enquiry_code')
				.values({
					id: code.id,
					enquiry_id: enquiryId,
					parent_id: null,
					name,
					description: '',
					position: 0,
					created_by: null,
					created_at: now,
					updated_at: now
				})
				.execute();
		}
		await db
			.insertInto('enquiry_coding')
			.values({ excerpt_id: excerptId, code_id: code.id, coded_by: null, coded_at: now })
			.execute();
	}
	return excerptId;
}
