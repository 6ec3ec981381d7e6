import type { Generated, Selectable } from 'kysely';

export interface FrameworkVersionTable {
	id: string;
	number: number;
	name: string;
	note: string | null;
	created_by: string | null;
	created_at: string;
}

export interface FrameworkDimensionTable {
	id: string;
	version_id: string;
	/** Stable across versions, so rounds on different versions can be compared. */
	key: string;
	kind: 'element' | 'value';
	position: number;
	title: string;
	description: string;
	guidance: string;
}

export interface FrameworkStatementTable {
	id: string;
	dimension_id: string;
	position: number;
	text: string;
}

export type ResultsVisibility = 'owners' | 'respondents' | 'public';

export interface AssessmentTable {
	id: string;
	title: string;
	description: string;
	framework_version_id: string;
	organisation_id: string | null;
	created_by: string | null;
	open_to_visitors: Generated<number>;
	share_code: string;
	results_visibility: Generated<ResultsVisibility>;
	threshold: Generated<number>;
	created_at: string;
	updated_at: string;
}

export interface AssessmentOwnerTable {
	assessment_id: string;
	user_id: string;
	added_at: string;
}

export interface AssessmentRoundTable {
	id: string;
	assessment_id: string;
	number: number;
	closes_at: string;
	closed_at: string | null;
	created_at: string;
}

export interface AssessmentInvitationTable {
	id: string;
	round_id: string;
	email: string;
	token_hash: string;
	invited_by: string | null;
	created_at: string;
	used_at: string | null;
}

/** An emailed invitation to become a co-owner; it works once, for the address it went to. */
export interface AssessmentOwnerInvitationTable {
	id: string;
	assessment_id: string;
	email: string;
	token_hash: string;
	invited_by: string | null;
	created_at: string;
	expires_at: string;
}

export interface AssessmentResponseTable {
	id: string;
	round_id: string;
	perspective: string;
	user_id: string | null;
	invitation_id: string | null;
	resume_hash: string | null;
	continuum: string | null;
	submitted_at: string | null;
	created_at: string;
	updated_at: string;
}

export interface AssessmentAnswerTable {
	response_id: string;
	statement_id: string;
	dimension_id: string;
	/** 0 never … 4 always; null: don't know. */
	rating: number | null;
}

export interface AssessmentCommentTable {
	response_id: string;
	dimension_id: string;
	comment: string;
}

export interface SelfCheckTable {
	id: string;
	user_id: string;
	framework_version_id: string;
	label: string | null;
	answers: string;
	created_at: string;
}

export type FrameworkVersion = Selectable<FrameworkVersionTable>;
export type FrameworkDimension = Selectable<FrameworkDimensionTable>;
export type FrameworkStatement = Selectable<FrameworkStatementTable>;
export type Assessment = Selectable<AssessmentTable>;
export type AssessmentRound = Selectable<AssessmentRoundTable>;
export type AssessmentResponse = Selectable<AssessmentResponseTable>;

export interface AssessmentsTables {
	framework_version: FrameworkVersionTable;
	framework_dimension: FrameworkDimensionTable;
	framework_statement: FrameworkStatementTable;
	assessment: AssessmentTable;
	assessment_owner: AssessmentOwnerTable;
	assessment_round: AssessmentRoundTable;
	assessment_invitation: AssessmentInvitationTable;
	assessment_owner_invitation: AssessmentOwnerInvitationTable;
	assessment_response: AssessmentResponseTable;
	assessment_answer: AssessmentAnswerTable;
	assessment_comment: AssessmentCommentTable;
	self_check: SelfCheckTable;
}
