import type { Insertable, Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import type {
	EnquiryReportQuoteTable,
	EnquiryReportSection,
	EnquiryReportSectionTable,
	FollowOnKind
} from './enquiries.tables';

type Db = Kysely<DB> | Transaction<DB>;

// ---------------------------------------------------------------------------------------------
// Sections

export async function listSections(db: Db, enquiryId: string): Promise<EnquiryReportSection[]> {
	return db
		.selectFrom('enquiry_report_section')
		.selectAll()
		.where('enquiry_id', '=', enquiryId)
		.orderBy('position')
		.orderBy('created_at')
		.execute();
}

export async function findSection(db: Db, enquiryId: string, sectionId: string) {
	return db
		.selectFrom('enquiry_report_section')
		.selectAll()
		.where('enquiry_id', '=', enquiryId)
		.where('id', '=', sectionId)
		.executeTakeFirst();
}

export async function nextSectionPosition(db: Db, enquiryId: string): Promise<number> {
	const row = await db
		.selectFrom('enquiry_report_section')
		.select((eb) => eb.fn.max('position').as('top'))
		.where('enquiry_id', '=', enquiryId)
		.executeTakeFirst();
	return row?.top == null ? 1 : Number(row.top) + 1;
}

export async function insertSection(
	db: Db,
	row: Insertable<EnquiryReportSectionTable>
): Promise<void> {
	await db.insertInto('enquiry_report_section').values(row).execute();
}

export async function updateSectionRow(
	db: Db,
	sectionId: string,
	changes: Partial<Pick<EnquiryReportSection, 'heading' | 'body' | 'code_name' | 'position'>> & {
		updated_by?: string | null;
		updated_at?: string;
	}
): Promise<void> {
	await db.updateTable('enquiry_report_section').set(changes).where('id', '=', sectionId).execute();
}

export async function deleteSectionRow(db: Db, sectionId: string): Promise<void> {
	await db.deleteFrom('enquiry_report_section').where('id', '=', sectionId).execute();
}

// ---------------------------------------------------------------------------------------------
// Quotes

/** Every quote of the enquiry's report with its speaker's current consent: one query. */
export async function listQuotesWithSpeakers(db: Db, enquiryId: string) {
	return db
		.selectFrom('enquiry_report_quote as q')
		.innerJoin('enquiry_participant as p', 'p.id', 'q.participant_id')
		.select([
			'q.id',
			'q.section_id',
			'q.participant_id',
			'q.excerpt_id',
			'q.text',
			'q.position',
			'p.label',
			'p.perspective',
			'p.consent_take_part',
			'p.consent_quote',
			'p.withdrawn_at'
		])
		.where('q.enquiry_id', '=', enquiryId)
		.orderBy('q.section_id')
		.orderBy('q.position')
		.execute();
}

export async function findQuote(db: Db, enquiryId: string, quoteId: string) {
	return db
		.selectFrom('enquiry_report_quote')
		.selectAll()
		.where('enquiry_id', '=', enquiryId)
		.where('id', '=', quoteId)
		.executeTakeFirst();
}

export async function listSectionQuoteOrder(db: Db, sectionId: string) {
	return db
		.selectFrom('enquiry_report_quote')
		.select(['id', 'position'])
		.where('section_id', '=', sectionId)
		.orderBy('position')
		.orderBy('added_at')
		.execute();
}

export async function nextQuotePosition(db: Db, sectionId: string): Promise<number> {
	const row = await db
		.selectFrom('enquiry_report_quote')
		.select((eb) => eb.fn.max('position').as('top'))
		.where('section_id', '=', sectionId)
		.executeTakeFirst();
	return row?.top == null ? 1 : Number(row.top) + 1;
}

export async function insertQuote(db: Db, row: Insertable<EnquiryReportQuoteTable>): Promise<void> {
	await db.insertInto('enquiry_report_quote').values(row).execute();
}

export async function setQuotePosition(db: Db, quoteId: string, position: number): Promise<void> {
	await db
		.updateTable('enquiry_report_quote')
		.set({ position })
		.where('id', '=', quoteId)
		.execute();
}

export async function deleteQuoteRow(db: Db, quoteId: string): Promise<void> {
	await db.deleteFrom('enquiry_report_quote').where('id', '=', quoteId).execute();
}

/** The excerpt ids already quoted in a section, so the picker can say so. */
export async function listQuotedExcerptIds(db: Db, sectionId: string): Promise<string[]> {
	const rows = await db
		.selectFrom('enquiry_report_quote')
		.select('excerpt_id')
		.where('section_id', '=', sectionId)
		.where('excerpt_id', 'is not', null)
		.execute();
	return rows.map((r) => r.excerpt_id!);
}

// ---------------------------------------------------------------------------------------------
// Excerpts to quote from (read-only: the coding part owns them)

export async function listCodeNames(db: Db, enquiryId: string) {
	return db
		.selectFrom('enquiry_code')
		.select(['id', 'name', 'parent_id', 'position'])
		.where('enquiry_id', '=', enquiryId)
		.orderBy('position')
		.orderBy('name')
		.execute();
}

function excerptsQuery(db: Db, enquiryId: string, codeId: string | null) {
	let query = db
		.selectFrom('enquiry_excerpt as e')
		.innerJoin('enquiry_participant as p', 'p.id', 'e.participant_id')
		.where('e.enquiry_id', '=', enquiryId);
	if (codeId)
		query = query.where((eb) =>
			eb.exists(
				eb
					.selectFrom('enquiry_coding as c')
					.select('c.excerpt_id')
					.whereRef('c.excerpt_id', '=', 'e.id')
					.where('c.code_id', '=', codeId)
			)
		);
	return query;
}

export async function countExcerpts(
	db: Db,
	enquiryId: string,
	codeId: string | null
): Promise<number> {
	const row = await excerptsQuery(db, enquiryId, codeId)
		.select((eb) => eb.fn.countAll().as('n'))
		.executeTakeFirst();
	return Number(row?.n ?? 0);
}

/** A page of excerpts (of one code, or all) with their speakers' current consent. */
export async function listExcerptsPage(
	db: Db,
	enquiryId: string,
	codeId: string | null,
	page: { limit: number; offset: number }
) {
	return excerptsQuery(db, enquiryId, codeId)
		.select([
			'e.id',
			'e.text',
			'e.participant_id',
			'p.label',
			'p.perspective',
			'p.consent_take_part',
			'p.consent_quote',
			'p.withdrawn_at'
		])
		.orderBy('e.created_at')
		.orderBy('e.id')
		.limit(page.limit)
		.offset(page.offset)
		.execute();
}

export async function findExcerptWithSpeaker(db: Db, enquiryId: string, excerptId: string) {
	return db
		.selectFrom('enquiry_excerpt as e')
		.innerJoin('enquiry_participant as p', 'p.id', 'e.participant_id')
		.select([
			'e.id',
			'e.text',
			'e.participant_id',
			'p.label',
			'p.perspective',
			'p.consent_take_part',
			'p.consent_quote',
			'p.withdrawn_at'
		])
		.where('e.enquiry_id', '=', enquiryId)
		.where('e.id', '=', excerptId)
		.executeTakeFirst();
}

// ---------------------------------------------------------------------------------------------
// The consent check

/** Each participant quoted in the report, their current consent, who recorded it, and counts. */
export async function listQuotedParticipants(db: Db, enquiryId: string) {
	return db
		.selectFrom('enquiry_report_quote as q')
		.innerJoin('enquiry_participant as p', 'p.id', 'q.participant_id')
		.leftJoin('app_user as u', 'u.id', 'p.consent_recorded_by')
		.select((eb) => [
			'p.id',
			'p.label',
			'p.perspective',
			'p.consent_take_part',
			'p.consent_quote',
			'p.consent_recorded_at',
			'p.withdrawn_at',
			'u.name as recorded_by_name',
			eb.fn.countAll().as('quotes')
		])
		.where('q.enquiry_id', '=', enquiryId)
		.groupBy([
			'p.id',
			'p.label',
			'p.perspective',
			'p.consent_take_part',
			'p.consent_quote',
			'p.consent_recorded_at',
			'p.withdrawn_at',
			'u.name'
		])
		.orderBy('p.label')
		.execute();
}

// ---------------------------------------------------------------------------------------------
// Follow-on links

export async function listFollowOns(db: Db, enquiryId: string) {
	return db
		.selectFrom('enquiry_follow_on')
		.select(['kind', 'target_id', 'title', 'path', 'added_at'])
		.where('enquiry_id', '=', enquiryId)
		.orderBy('added_at')
		.execute();
}

export async function insertFollowOn(
	db: Db,
	row: {
		enquiry_id: string;
		kind: FollowOnKind;
		target_id: string;
		title: string;
		path: string;
		added_by: string;
		added_at: string;
	}
): Promise<void> {
	await db.insertInto('enquiry_follow_on').values(row).execute();
}

export async function deleteFollowOn(
	db: Db,
	enquiryId: string,
	kind: FollowOnKind,
	targetId: string
): Promise<void> {
	await db
		.deleteFrom('enquiry_follow_on')
		.where('enquiry_id', '=', enquiryId)
		.where('kind', '=', kind)
		.where('target_id', '=', targetId)
		.execute();
}

/** Published enquiries that link to this decision, idea or pilot. */
export async function listEnquiriesLeadingTo(db: Db, kind: FollowOnKind, targetId: string) {
	return db
		.selectFrom('enquiry_follow_on as f')
		.innerJoin('enquiry as e', 'e.id', 'f.enquiry_id')
		.select(['e.id', 'e.title', 'e.report_title'])
		.where('f.kind', '=', kind)
		.where('f.target_id', '=', targetId)
		.where('e.stage', '=', 'published')
		.orderBy('e.published_at')
		.execute();
}

// ---------------------------------------------------------------------------------------------
// The enquiry row

export async function updateEnquiryReport(
	db: Db,
	enquiryId: string,
	changes: {
		report_title?: string | null;
		report_summary?: string | null;
		stage?: 'published';
		published_at?: string;
		raw_deleted_at?: string;
		updated_at: string;
	}
): Promise<void> {
	await db.updateTable('enquiry').set(changes).where('id', '=', enquiryId).execute();
}

/**
 * Deletes the raw material of an enquiry: codings, memos, excerpts, interviews and codes. Quotes
 * keep their words (their excerpt link is cleared first, as the foreign key would).
 */
export async function deleteRawRows(db: Db, enquiryId: string): Promise<void> {
	await db
		.updateTable('enquiry_report_quote')
		.set({ excerpt_id: null })
		.where('enquiry_id', '=', enquiryId)
		.execute();
	await db
		.deleteFrom('enquiry_coding')
		.where('excerpt_id', 'in', (eb) =>
			eb.selectFrom('enquiry_excerpt').select('id').where('enquiry_id', '=', enquiryId)
		)
		.execute();
	await db.deleteFrom('enquiry_memo').where('enquiry_id', '=', enquiryId).execute();
	await db.deleteFrom('enquiry_excerpt').where('enquiry_id', '=', enquiryId).execute();
	await db.deleteFrom('enquiry_interview').where('enquiry_id', '=', enquiryId).execute();
	// Children first is not needed: parent_id clears itself (on delete set null).
	await db
		.updateTable('enquiry_code')
		.set({ parent_id: null })
		.where('enquiry_id', '=', enquiryId)
		.execute();
	await db.deleteFrom('enquiry_code').where('enquiry_id', '=', enquiryId).execute();
}
