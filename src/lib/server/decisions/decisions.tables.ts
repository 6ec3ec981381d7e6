import type { Insertable, Selectable } from 'kysely';

export type DecisionProcess =
	'consensus' | 'consent' | 'choose' | 'dot' | 'score' | 'ranked' | 'time';
export type DecisionAudience = 'members' | 'organisation' | 'event' | 'group';
export type DecisionStatus = 'draft' | 'open' | 'closed';
export type DecisionResult = 'passed' | 'not-passed';

export interface DecisionTable {
	id: string;
	slug: string;
	question: string;
	/** Markdown, sanitised when rendered. */
	proposal: string;
	process: DecisionProcess;
	/** choose: most options one may pick; dot: dots each; score: highest score; else 1. */
	setting: number;
	audience: DecisionAudience;
	audience_organisation_id: string | null;
	audience_event_id: string | null;
	closes_at: string;
	quorum: number;
	anonymous: number;
	status: DecisionStatus;
	outcome: string | null;
	result: DecisionResult | null;
	round: number;
	previous_round_id: string | null;
	origin_kind: string | null;
	origin_id: string | null;
	origin_title: string | null;
	origin_path: string | null;
	created_by: string | null;
	created_at: string;
	updated_at: string;
	opened_at: string | null;
	closed_at: string | null;
	outcome_at: string | null;
	reminder_claimed_at: string | null;
}

export interface DecisionOptionTable {
	id: string;
	decision_id: string;
	position: number;
	label: string;
}

export interface DecisionFacilitatorTable {
	decision_id: string;
	user_id: string;
	added_at: string;
}

export interface DecisionGroupMemberTable {
	decision_id: string;
	user_id: string;
	added_at: string;
}

export interface DecisionResponseTable {
	id: string;
	decision_id: string;
	/** Null once an anonymous decision has closed (or the person left). */
	person_id: string | null;
	position: string | null;
	/** JSON { optionId: number } for option processes. */
	choices: string | null;
	reason: string;
	updated_at: string | null;
}

export type Decision = Selectable<DecisionTable>;
export type NewDecision = Insertable<DecisionTable>;
export type DecisionOption = Selectable<DecisionOptionTable>;
export type DecisionResponse = Selectable<DecisionResponseTable>;

export interface DecisionsTables {
	decision: DecisionTable;
	decision_option: DecisionOptionTable;
	decision_facilitator: DecisionFacilitatorTable;
	decision_group_member: DecisionGroupMemberTable;
	decision_response: DecisionResponseTable;
}
