import type { Insertable, Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import type {
	EnquiryConsentChangeTable,
	EnquiryInterview,
	EnquiryInterviewTable,
	EnquiryParticipant,
	EnquiryParticipantTable
} from './enquiries.tables';

type Db = Kysely<DB> | Transaction<DB>;

export async function insertParticipant(db: Db, row: Insertable<EnquiryParticipantTable>) {
	await db.insertInto('enquiry_participant').values(row).execute();
}

export async function insertConsentChange(db: Db, row: Insertable<EnquiryConsentChangeTable>) {
	await db.insertInto('enquiry_consent_change').values(row).execute();
}

export async function findParticipant(
	db: Db,
	enquiryId: string,
	participantId: string
): Promise<EnquiryParticipant | undefined> {
	return db
		.selectFrom('enquiry_participant')
		.selectAll()
		.where('enquiry_id', '=', enquiryId)
		.where('id', '=', participantId)
		.executeTakeFirst();
}

export async function updateParticipantConsent(
	db: Db,
	participantId: string,
	changes: Partial<
		Pick<
			EnquiryParticipant,
			| 'consent_take_part'
			| 'consent_quote'
			| 'consent_recorded_at'
			| 'consent_recorded_by'
			| 'withdrawn_at'
			| 'updated_at'
		>
	>
) {
	await db
		.updateTable('enquiry_participant')
		.set(changes)
		.where('id', '=', participantId)
		.execute();
}

export async function countParticipants(db: Db, enquiryId: string): Promise<number> {
	const row = await db
		.selectFrom('enquiry_participant')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('enquiry_id', '=', enquiryId)
		.executeTakeFirst();
	return Number(row?.n ?? 0);
}

/** A page of participants, oldest first, each with how many interviews they have. */
export async function listParticipantsPage(
	db: Db,
	enquiryId: string,
	limit: number,
	offset: number
) {
	return db
		.selectFrom('enquiry_participant as p')
		.select([
			'p.id',
			'p.label',
			'p.perspective',
			'p.consent_take_part',
			'p.consent_quote',
			'p.withdrawn_at',
			'p.created_at'
		])
		.select((eb) =>
			eb
				.selectFrom('enquiry_interview')
				.select((e) => e.fn.countAll<number>().as('n'))
				.whereRef('enquiry_interview.participant_id', '=', 'p.id')
				.as('interviews')
		)
		.where('p.enquiry_id', '=', enquiryId)
		.orderBy('p.created_at', 'asc')
		.orderBy('p.id', 'asc')
		.limit(limit)
		.offset(offset)
		.execute();
}

/** Participants who can still be interviewed, for the interview form. */
export async function listActiveParticipants(db: Db, enquiryId: string, limit: number) {
	return db
		.selectFrom('enquiry_participant')
		.select(['id', 'label', 'perspective'])
		.where('enquiry_id', '=', enquiryId)
		.where('withdrawn_at', 'is', null)
		.orderBy('created_at', 'asc')
		.orderBy('id', 'asc')
		.limit(limit)
		.execute();
}

export async function listConsentChanges(db: Db, participantId: string) {
	return db
		.selectFrom('enquiry_consent_change as c')
		.leftJoin('app_user', 'app_user.id', 'c.recorded_by')
		.select([
			'c.id',
			'c.take_part',
			'c.quote',
			'c.withdrawn',
			'c.note',
			'c.recorded_at',
			'app_user.name as recorded_by_name'
		])
		.where('c.participant_id', '=', participantId)
		.orderBy('c.recorded_at', 'desc')
		.orderBy('c.id', 'desc')
		.limit(200)
		.execute();
}

/** Everything the person said goes: interviews (their excerpts and codings by cascade) and quotes. */
export async function deleteWordsOfParticipant(trx: Db, participantId: string) {
	await trx
		.deleteFrom('enquiry_report_quote')
		.where('participant_id', '=', participantId)
		.execute();
	await trx.deleteFrom('enquiry_excerpt').where('participant_id', '=', participantId).execute();
	await trx.deleteFrom('enquiry_interview').where('participant_id', '=', participantId).execute();
}

export async function insertInterview(db: Db, row: Insertable<EnquiryInterviewTable>) {
	await db.insertInto('enquiry_interview').values(row).execute();
}

export async function findInterview(
	db: Db,
	enquiryId: string,
	interviewId: string
): Promise<EnquiryInterview | undefined> {
	return db
		.selectFrom('enquiry_interview')
		.selectAll()
		.where('enquiry_id', '=', enquiryId)
		.where('id', '=', interviewId)
		.executeTakeFirst();
}

export async function countExcerptsOfInterview(db: Db, interviewId: string): Promise<number> {
	const row = await db
		.selectFrom('enquiry_excerpt')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('interview_id', '=', interviewId)
		.executeTakeFirst();
	return Number(row?.n ?? 0);
}

export async function updateInterviewRow(
	db: Db,
	interviewId: string,
	changes: Partial<
		Pick<
			EnquiryInterview,
			| 'interviewer_id'
			| 'title'
			| 'held_on'
			| 'kind'
			| 'body'
			| 'source_format'
			| 'source_name'
			| 'updated_at'
		>
	>
) {
	await db.updateTable('enquiry_interview').set(changes).where('id', '=', interviewId).execute();
}

export async function deleteInterviewRow(db: Db, interviewId: string) {
	await db.deleteFrom('enquiry_interview').where('id', '=', interviewId).execute();
}

export async function countInterviews(db: Db, enquiryId: string): Promise<number> {
	const row = await db
		.selectFrom('enquiry_interview')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('enquiry_id', '=', enquiryId)
		.executeTakeFirst();
	return Number(row?.n ?? 0);
}

/** A page of interviews, newest first, with the participant's label and the interviewer's name. */
export async function listInterviewsPage(db: Db, enquiryId: string, limit: number, offset: number) {
	return db
		.selectFrom('enquiry_interview as i')
		.innerJoin('enquiry_participant as p', 'p.id', 'i.participant_id')
		.leftJoin('app_user as u', 'u.id', 'i.interviewer_id')
		.select([
			'i.id',
			'i.title',
			'i.held_on',
			'i.kind',
			'i.source_format',
			'i.created_at',
			'p.id as participant_id',
			'p.label as participant_label',
			'u.name as interviewer_name'
		])
		.where('i.enquiry_id', '=', enquiryId)
		.orderBy('i.created_at', 'desc')
		.orderBy('i.id', 'desc')
		.limit(limit)
		.offset(offset)
		.execute();
}

export async function listInterviewsOfParticipant(db: Db, participantId: string) {
	return db
		.selectFrom('enquiry_interview')
		.select(['id', 'title', 'held_on', 'kind'])
		.where('participant_id', '=', participantId)
		.orderBy('created_at', 'asc')
		.limit(100)
		.execute();
}

export async function findPersonName(db: Db, userId: string) {
	return db.selectFrom('app_user').select('name').where('id', '=', userId).executeTakeFirst();
}
