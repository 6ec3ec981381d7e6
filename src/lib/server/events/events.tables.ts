import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { FormatColour, FormatIcon } from '$lib/events/format-looks';

export {
	ACCESS_FEATURES,
	ACCESS_FEATURE_LABELS,
	ACCESS_NEEDS,
	ACCESS_NEED_LABELS,
	EVENT_MODES,
	EVENT_MODE_LABELS,
	EVENT_STATUSES,
	EVENT_TOOLS,
	EVENT_VISIBILITIES,
	NEEDS_NEEDING_CONTACT,
	type AccessFeature,
	type AccessNeed,
	type EventApproval,
	type EventMode,
	type EventStatus,
	type EventTools,
	type EventVisibility
} from '$lib/events/vocabulary';
import type {
	EventApproval,
	EventMode,
	EventStatus,
	EventTools,
	EventVisibility
} from '$lib/events/vocabulary';

export const REGISTRATION_STATUSES = [
	'unconfirmed',
	'confirmed',
	'waitlisted',
	'offered',
	'cancelled',
	'expired'
] as const;
/**
 * unconfirmed: a visitor has not yet clicked the link in their email (holds nothing);
 * confirmed: has a place; waitlisted: waiting; offered: a freed place is held for them until
 * `offer_expires_at`; cancelled: they (or the event) cancelled; expired: an offer went unclaimed.
 */
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];
/** Statuses that hold a place. */
export const HOLDING_STATUSES: readonly RegistrationStatus[] = ['confirmed', 'offered'];

export const TALK_STATUSES = ['offered', 'accepted', 'declined', 'withdrawn'] as const;
export type TalkStatus = (typeof TALK_STATUSES)[number];

export interface EventFormatTable {
	/** Also its address: /events?format=<id>. */
	id: string;
	name: string;
	description: string;
	tools: EventTools;
	/** One of FORMAT_COLOURS; always shown beside the name, never instead of it. */
	colour: ColumnType<FormatColour, FormatColour | undefined, FormatColour>;
	/** One of FORMAT_ICONS (decorative, beside the name). */
	icon: ColumnType<FormatIcon, FormatIcon | undefined, FormatIcon>;
	position: number;
	created_by: string | null;
	created_at: string;
}

export interface EventTable {
	id: string;
	title: string;
	format_id: string;
	description: string;
	/** Plain text from the start of the description (made on save), for lists and cards. */
	summary: Generated<string>;
	starts_at: string;
	ends_at: string;
	time_band: string;
	mode: EventMode;
	venue_name: string | null;
	venue_address: string | null;
	access_notes: string | null;
	access_step_free: number;
	access_hearing_loop: number;
	access_accessible_toilet: number;
	access_quiet_room: number;
	access_parking: number;
	access_public_transport: number;
	online_url: string | null;
	host_id: string | null;
	organisation_id: string | null;
	capacity: number | null;
	reserved_places: number;
	places_taken: number;
	registration_opens_at: string | null;
	registration_closes_at: string | null;
	status: EventStatus;
	visibility: EventVisibility;
	approval: EventApproval;
	approved_by: string | null;
	cancelled_at: string | null;
	cancel_reason: string | null;
	reminder_day_sent_at: string | null;
	reminder_hour_sent_at: string | null;
	record_summary: string | null;
	record_attendance: number | null;
	record_outcomes: string | null;
	record_links: string | null;
	recorded_at: string | null;
	/** The cover picture (an image id) and its text alternative, required with a cover. */
	cover_image_id: string | null;
	cover_alt: string | null;
	cafe_dots: Generated<number>;
	cafe_tables: Generated<number>;
	cafe_rounds: Generated<number>;
	cafe_vote_closed_at: string | null;
	created_at: string;
	updated_at: string;
}

export interface EventRegistrationTable {
	id: string;
	event_id: string;
	user_id: string | null;
	name: string | null;
	email: string | null;
	status: RegistrationStatus;
	places: number;
	lived_experience: number;
	need_bsl: number;
	need_step_free: number;
	need_hearing_loop: number;
	need_large_print: number;
	need_dietary: number;
	need_childcare: number;
	need_companion: number;
	need_other: number;
	need_details: string | null;
	queued_at: string;
	queue_number: number | null;
	offer_expires_at: string | null;
	confirmed_at: string | null;
	cancelled_at: string | null;
	checked_in_at: string | null;
	created_at: string;
	updated_at: string;
}

export interface EventCafeTopicTable {
	id: string;
	event_id: string;
	proposed_by: string | null;
	title: string;
	description: string | null;
	table_number: number | null;
	table_host_id: string | null;
	harvest: string | null;
	harvest_updated_at: string | null;
	created_at: string;
}

export interface EventCafeDotTable {
	event_id: string;
	topic_id: string;
	user_id: string;
	dots: number;
}

export interface EventTalkTable {
	id: string;
	event_id: string;
	speaker_id: string | null;
	title: string;
	summary: string;
	minutes: number;
	status: TalkStatus;
	host_message: string | null;
	position: number | null;
	slides_url: string | null;
	video_url: string | null;
	created_at: string;
	updated_at: string;
}

export type EventFormat = Selectable<EventFormatTable>;
export type Event = Selectable<EventTable>;
export type NewEvent = Insertable<EventTable>;
export type EventUpdate = Updateable<EventTable>;
export type EventRegistration = Selectable<EventRegistrationTable>;
export type NewEventRegistration = Insertable<EventRegistrationTable>;
export type EventCafeTopic = Selectable<EventCafeTopicTable>;
export type EventTalk = Selectable<EventTalkTable>;

export interface EventsTables {
	event_format: EventFormatTable;
	event: EventTable;
	event_registration: EventRegistrationTable;
	event_cafe_topic: EventCafeTopicTable;
	event_cafe_dot: EventCafeDotTable;
	event_talk: EventTalkTable;
}
