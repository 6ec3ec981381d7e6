import type { Selectable } from 'kysely';

/** Where an amendment stands. */
export type AmendmentStatus = 'open' | 'agreed' | 'not-agreed' | 'withdrawn' | 'outdated';
/** What an amendment does: new words for a clause, its removal, or a new clause. */
export type AmendmentKind = 'change' | 'delete' | 'add';

export interface StatementTable {
	id: string;
	slug: string;
	title: string;
	/** The number of the newest version. */
	current_version: number;
	created_by: string | null;
	created_at: string;
	updated_at: string;
}

export interface StatementVersionTable {
	id: string;
	statement_id: string;
	number: number;
	note: string;
	made_by: string | null;
	/** The decision that agreed it; text, no foreign key (decisions are another feature). */
	decision_id: string | null;
	created_at: string;
}

/** One section as it is in one version; `section_id` is stable across versions. */
export interface StatementSectionTable {
	version_id: string;
	section_id: string;
	position: number;
	heading: string;
}

/** One clause as it is in one version; `clause_id` is stable across versions. */
export interface StatementClauseTable {
	version_id: string;
	clause_id: string;
	section_id: string;
	position: number;
	body: string;
}

export interface StatementAmendmentTable {
	id: string;
	statement_id: string;
	/** The version it was written against. */
	version_id: string;
	kind: AmendmentKind;
	/** Changed or removed clause; for 'add', the clause it follows (null: end of the section). */
	clause_id: string | null;
	section_id: string;
	original_text: string;
	new_text: string;
	reason: string;
	author_id: string | null;
	status: AmendmentStatus;
	decided_by: string | null;
	decided_at: string | null;
	decision_note: string | null;
	/** The decision it was put to; text, no foreign key. */
	decision_id: string | null;
	applied_version_id: string | null;
	created_at: string;
	updated_at: string;
}

export interface StatementAmendmentCommentTable {
	id: string;
	amendment_id: string;
	author_id: string | null;
	body: string;
	created_at: string;
	edited_at: string | null;
}

export interface StatementAmendmentSupportTable {
	amendment_id: string;
	user_id: string;
	created_at: string;
}

export interface StatementEndorsementTable {
	id: string;
	statement_id: string;
	version_id: string;
	organisation_id: string | null;
	/** 'org:<organisation id>' or 'person:<user id>'. */
	endorser_key: string;
	signed_by: string | null;
	note: string;
	created_at: string;
}

export type Statement = Selectable<StatementTable>;
export type StatementVersion = Selectable<StatementVersionTable>;
export type StatementClause = Selectable<StatementClauseTable>;
export type StatementSection = Selectable<StatementSectionTable>;
export type Amendment = Selectable<StatementAmendmentTable>;

export interface StatementsTables {
	statement: StatementTable;
	statement_version: StatementVersionTable;
	statement_section: StatementSectionTable;
	statement_clause: StatementClauseTable;
	statement_amendment: StatementAmendmentTable;
	statement_amendment_comment: StatementAmendmentCommentTable;
	statement_amendment_support: StatementAmendmentSupportTable;
	statement_endorsement: StatementEndorsementTable;
}
