import type { Insertable, Selectable } from 'kysely';

/** Where an enquiry has got to. Only "published" shows the report to everyone. */
export const ENQUIRY_STAGES = [
	'planning',
	'gathering',
	'analysing',
	'reporting',
	'published'
] as const;
export type EnquiryStage = (typeof ENQUIRY_STAGES)[number];

export const ENQUIRY_ROLES = ['lead', 'interviewer'] as const;
export type EnquiryRole = (typeof ENQUIRY_ROLES)[number];

/** Where a participant speaks from; "codes by perspective" counts by these. */
export const PERSPECTIVES = [
	'uses-services',
	'carer',
	'volunteer',
	'charity-staff',
	'council-staff',
	'nhs-staff',
	'other'
] as const;
export type Perspective = (typeof PERSPECTIVES)[number];

/** How a participant agreed to be quoted: "Priya, a carer", "a carer", or not at all. */
export const QUOTE_CONSENTS = ['name', 'perspective', 'none'] as const;
export type QuoteConsent = (typeof QUOTE_CONSENTS)[number];

export const INTERVIEW_KINDS = ['notes', 'transcript'] as const;
export type InterviewKind = (typeof INTERVIEW_KINDS)[number];

export const SOURCE_FORMATS = ['typed', 'text', 'markdown', 'docx', 'vtt'] as const;
export type SourceFormat = (typeof SOURCE_FORMATS)[number];

export const FOLLOW_ON_KINDS = ['decision', 'idea', 'pilot'] as const;
export type FollowOnKind = (typeof FOLLOW_ON_KINDS)[number];

export interface EnquiryTable {
	id: string;
	title: string;
	/** One question per line. */
	questions: string;
	purpose: string;
	method: string;
	/** What participants agree to, shown when their consent is recorded. */
	consent_text: string;
	stage: EnquiryStage;
	created_by: string | null;
	report_title: string | null;
	/** Markdown, sanitised when rendered. */
	report_summary: string | null;
	published_at: string | null;
	/** The lead deleted transcripts, excerpts, codes and memos; the report stays. */
	raw_deleted_at: string | null;
	created_at: string;
	updated_at: string;
}

export interface EnquiryMemberTable {
	enquiry_id: string;
	user_id: string;
	role: EnquiryRole;
	added_by: string | null;
	added_at: string;
}

export interface EnquiryInvitationTable {
	id: string;
	enquiry_id: string;
	email: string;
	role: EnquiryRole;
	/** SHA-256 of the emailed token. */
	token_hash: string;
	invited_by: string | null;
	created_at: string;
	expires_at: string;
	accepted_at: string | null;
	accepted_by: string | null;
	cancelled_at: string | null;
}

export interface EnquirySessionTable {
	enquiry_id: string;
	event_id: string;
	added_at: string;
}

export interface EnquiryParticipantTable {
	id: string;
	enquiry_id: string;
	label: string;
	perspective: Perspective;
	/** 0/1 */
	consent_take_part: number;
	consent_quote: QuoteConsent;
	consent_recorded_at: string;
	consent_recorded_by: string | null;
	withdrawn_at: string | null;
	created_by: string | null;
	created_at: string;
	updated_at: string;
}

export interface EnquiryConsentChangeTable {
	id: string;
	participant_id: string;
	/** 0/1 */
	take_part: number;
	quote: QuoteConsent;
	/** 0/1 */
	withdrawn: number;
	note: string;
	recorded_by: string | null;
	recorded_at: string;
}

export interface EnquiryInterviewTable {
	id: string;
	enquiry_id: string;
	participant_id: string;
	interviewer_id: string | null;
	title: string;
	held_on: string | null;
	kind: InterviewKind;
	source_format: SourceFormat;
	source_name: string | null;
	/** Plain text; excerpts point into it, so it is fixed once coded. */
	body: string;
	created_by: string | null;
	created_at: string;
	updated_at: string;
}

export interface EnquiryCodeTable {
	id: string;
	enquiry_id: string;
	parent_id: string | null;
	name: string;
	description: string;
	position: number;
	created_by: string | null;
	created_at: string;
	updated_at: string;
}

export interface EnquiryExcerptTable {
	id: string;
	enquiry_id: string;
	interview_id: string;
	participant_id: string;
	/** Character offsets into the interview's body: start inclusive, end exclusive. */
	start_offset: number;
	end_offset: number;
	text: string;
	created_by: string | null;
	created_at: string;
}

export interface EnquiryCodingTable {
	excerpt_id: string;
	code_id: string;
	coded_by: string | null;
	coded_at: string;
}

export interface EnquiryMemoTable {
	id: string;
	enquiry_id: string;
	/** Null: a memo on the enquiry as a whole. */
	code_id: string | null;
	body: string;
	author_id: string | null;
	created_at: string;
	updated_at: string;
}

export interface EnquiryReportSectionTable {
	id: string;
	enquiry_id: string;
	position: number;
	heading: string;
	/** Markdown, sanitised when rendered. */
	body: string;
	/** The theme it reports on, by name, so it outlives the codebook. */
	code_name: string | null;
	updated_by: string | null;
	created_at: string;
	updated_at: string;
}

export interface EnquiryReportQuoteTable {
	id: string;
	section_id: string;
	enquiry_id: string;
	participant_id: string;
	/** Null once the raw material is deleted; `text` keeps the words. */
	excerpt_id: string | null;
	text: string;
	position: number;
	added_by: string | null;
	added_at: string;
}

export interface EnquiryFollowOnTable {
	enquiry_id: string;
	kind: FollowOnKind;
	target_id: string;
	title: string;
	path: string;
	added_by: string | null;
	added_at: string;
}

export type Enquiry = Selectable<EnquiryTable>;
export type NewEnquiry = Insertable<EnquiryTable>;
export type EnquiryParticipant = Selectable<EnquiryParticipantTable>;
export type EnquiryInterview = Selectable<EnquiryInterviewTable>;
export type EnquiryCode = Selectable<EnquiryCodeTable>;
export type EnquiryExcerpt = Selectable<EnquiryExcerptTable>;
export type EnquiryReportSection = Selectable<EnquiryReportSectionTable>;
export type EnquiryReportQuote = Selectable<EnquiryReportQuoteTable>;

export interface EnquiriesTables {
	enquiry: EnquiryTable;
	enquiry_member: EnquiryMemberTable;
	enquiry_invitation: EnquiryInvitationTable;
	enquiry_session: EnquirySessionTable;
	enquiry_participant: EnquiryParticipantTable;
	enquiry_consent_change: EnquiryConsentChangeTable;
	enquiry_interview: EnquiryInterviewTable;
	enquiry_code: EnquiryCodeTable;
	enquiry_excerpt: EnquiryExcerptTable;
	enquiry_coding: EnquiryCodingTable;
	enquiry_memo: EnquiryMemoTable;
	enquiry_report_section: EnquiryReportSectionTable;
	enquiry_report_quote: EnquiryReportQuoteTable;
	enquiry_follow_on: EnquiryFollowOnTable;
	enquiry_code_merge: EnquiryCodeMergeTable;
}

/** Part B (migration 35): where a merged code went. */
export interface EnquiryCodeMergeTable {
	from_code_id: string;
	enquiry_id: string;
	into_code_id: string;
	from_name: string;
	merged_by: string | null;
	merged_at: string;
}
