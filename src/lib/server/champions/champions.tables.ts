import type { Insertable, Selectable, Updateable } from 'kysely';

/** waiting (for a curator) | confirmed | paused (no new requests) | stepped-down (or not confirmed). */
export type ChampionStatus = 'waiting' | 'confirmed' | 'paused' | 'stepped-down';
export type ContactBy = 'colab' | 'email' | 'phone';
export type ChampionTopicKind = 'service-area' | 'barrier' | 'dimension';
export type ChampionRequestStatus = 'open' | 'accepted' | 'declined' | 'returned' | 'closed';
export type RequestOutcome = 'yes' | 'partly' | 'no';
export type RequestEntryKind =
	| 'asked'
	| 'suggested'
	| 'accepted'
	| 'declined'
	| 'message'
	| 'contact-shared'
	| 'returned'
	| 'flagged'
	| 'closed';

export interface ChampionTable {
	id: string;
	user_id: string;
	help_with: string;
	available_breakfast: number;
	available_lunch: number;
	available_evening: number;
	available_online: number;
	contact_preference: ContactBy;
	/** Private: shown only on a request where the champion chose to share it. */
	phone: string | null;
	status: ChampionStatus;
	decision_note: string | null;
	decided_by: string | null;
	confirmed_at: string | null;
	created_at: string;
	updated_at: string;
}

export interface ChampionTopicTable {
	champion_id: string;
	kind: ChampionTopicKind;
	/** A library_tag id, or a dimension key. */
	value: string;
}

export interface ChampionRequestTable {
	id: string;
	asker_id: string;
	/** Whoever holds it now; null once the champion left CoLab. */
	champion_id: string | null;
	service_area_id: string | null;
	body: string;
	status: ChampionRequestStatus;
	waiting_since: string;
	flagged_at: string | null;
	contact_shared_at: string | null;
	outcome: RequestOutcome | null;
	outcome_note: string | null;
	closed_at: string | null;
	created_at: string;
	updated_at: string;
}

export interface ChampionRequestEntryTable {
	id: string;
	request_id: string;
	/** 1, 2, 3… within the request. */
	position: number;
	actor_id: string | null;
	kind: RequestEntryKind;
	body: string | null;
	champion_id: string | null;
	created_at: string;
}

export type Champion = Selectable<ChampionTable>;
export type NewChampion = Insertable<ChampionTable>;
export type ChampionUpdate = Updateable<ChampionTable>;
export type ChampionRequest = Selectable<ChampionRequestTable>;
export type NewChampionRequest = Insertable<ChampionRequestTable>;
export type ChampionRequestEntry = Selectable<ChampionRequestEntryTable>;

export interface ChampionsTables {
	champion: ChampionTable;
	champion_topic: ChampionTopicTable;
	champion_request: ChampionRequestTable;
	champion_request_entry: ChampionRequestEntryTable;
}
