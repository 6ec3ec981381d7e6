import type { Insertable, Selectable, Updateable } from 'kysely';

/** Where a case study is in review. "published" means nothing is waiting for a curator. */
export type CaseStudyReviewState = 'draft' | 'waiting' | 'returned' | 'published';
/** A person named as involved: shown only once they consent; they may withdraw. */
export type InvolvementState = 'asked' | 'consented' | 'declined' | 'withdrawn';

/** What a case study says: the same columns in the working copy and in each published version. */
export interface CaseStudyContent {
	title: string;
	summary: string;
	continuum_stage: string | null;
	work_status: string | null;
	what_was_done: string;
	who_was_involved: string;
	barriers_handled: string;
	do_differently: string;
	/** JSON arrays (text): library_tag ids, dimension keys, organisation ids. */
	service_area_ids: string;
	benefit_ids: string;
	barrier_ids: string;
	dimension_keys: string;
	organisation_ids: string;
	/** JSON array of { label, url }. */
	links: string;
	assessment_round_id: string | null;
}

export interface CaseStudyTable extends CaseStudyContent {
	id: string;
	slug: string;
	author_id: string | null;
	/** The pilot it came from (pilots feature), as text: no foreign key. */
	pilot_id: string | null;
	review_state: CaseStudyReviewState;
	review_message: string | null;
	reviewed_by: string | null;
	published_version: number | null;
	published_at: string | null;
	submitted_at: string | null;
	created_at: string;
	updated_at: string;
}

export interface CaseStudyVersionTable extends CaseStudyContent {
	case_study_id: string;
	version: number;
	edited_by: string | null;
	published_by: string | null;
	published_at: string;
}

/** How an organisation a case study names is written in `case_study_facet.facet`, before its id. */
export const ORGANISATION_FACET = 'organisation:';

export interface CaseStudyFacetTable {
	case_study_id: string;
	facet: string;
	published_at: string;
}

export interface CaseStudyPersonTable {
	id: string;
	case_study_id: string;
	user_id: string;
	role: string;
	state: InvolvementState;
	asked_by: string | null;
	asked_at: string;
	answered_at: string | null;
}

export type CaseStudy = Selectable<CaseStudyTable>;
export type NewCaseStudy = Insertable<CaseStudyTable>;
export type CaseStudyUpdate = Updateable<CaseStudyTable>;
export type CaseStudyVersion = Selectable<CaseStudyVersionTable>;
export type CaseStudyPerson = Selectable<CaseStudyPersonTable>;

export interface CaseStudiesTables {
	case_study: CaseStudyTable;
	case_study_version: CaseStudyVersionTable;
	case_study_facet: CaseStudyFacetTable;
	case_study_person: CaseStudyPersonTable;
}
