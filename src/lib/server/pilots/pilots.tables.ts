import type { Insertable, Selectable } from 'kysely';

/** A pilot is running until its team says it has finished. */
export type PilotStatus = 'running' | 'finished';
/** Who may read a pilot: anyone, signed-in members, or only its team. */
export type PilotVisibility = 'public' | 'members' | 'team';

export interface PilotTable {
	id: string;
	slug: string;
	title: string;
	/** "What we are trying": Markdown, sanitised when rendered. */
	summary: string;
	status: PilotStatus;
	visibility: PilotVisibility;
	/** Null once the owner left with nobody else on the team. */
	owner_id: string | null;
	organisation_id: string | null;
	/** The case study it became; text, no foreign key (another part of the library). */
	case_study_id: string | null;
	case_study_slug: string | null;
	finished_at: string | null;
	created_at: string;
	updated_at: string;
}

export interface PilotServiceAreaTable {
	pilot_id: string;
	/** A library_tag id of kind 'service-area'. */
	tag_id: string;
}

export interface PilotMemberTable {
	pilot_id: string;
	user_id: string;
	added_by: string | null;
	added_at: string;
}

export interface PilotEntryTable {
	id: string;
	pilot_id: string;
	/** 'YYYY-MM-DD': the day it is about. */
	entry_date: string;
	tried: string;
	happened: string;
	learned: string;
	next_change: string;
	author_id: string | null;
	edited_by: string | null;
	created_at: string;
	edited_at: string | null;
}

export interface PilotFollowerTable {
	pilot_id: string;
	user_id: string;
	created_at: string;
}

export type Pilot = Selectable<PilotTable>;
export type NewPilot = Insertable<PilotTable>;
export type PilotEntry = Selectable<PilotEntryTable>;
export type NewPilotEntry = Insertable<PilotEntryTable>;

export interface PilotsTables {
	pilot: PilotTable;
	pilot_service_area: PilotServiceAreaTable;
	pilot_member: PilotMemberTable;
	pilot_entry: PilotEntryTable;
	pilot_follower: PilotFollowerTable;
}
