import type { Generated, Insertable, Selectable } from 'kysely';

export type SubscriberStatus = 'pending' | 'subscribed' | 'unsubscribed';
export type ConsentMethod = 'form' | 'account' | 'import';
export type SuppressionReason = 'unsubscribed' | 'blocked';

export interface UpdateSubscriberTable {
	id: string;
	/** Lower-cased and trimmed: one row per address, with or without an account. */
	email: string;
	/** SHA-256 (hex) of `email`, as the suppression list names it, so the two join. */
	email_hash: string;
	status: SubscriberStatus;
	/** JSON array of topic keys asked for, waiting for the confirmation link. */
	pending_topics: string | null;
	/** SHA-256 of the confirmation link's secret; the secret itself is only in the email. */
	confirm_token_hash: string | null;
	confirm_expires_at: string | null;
	consented_at: string | null;
	consent_method: ConsentMethod | null;
	/** How the person agreed, in an administrator's words (imports only). */
	consent_detail: string | null;
	created_at: string;
	updated_at: string;
}

export interface UpdateSubscriberTopicTable {
	subscriber_id: string;
	topic: string;
}

/** A private link (preferences, unsubscribe) put in one mail, stored as a hash. */
export interface UpdateLinkTable {
	token_hash: string;
	subscriber_id: string;
	created_at: string;
}

/** Never mail updates to this address: SHA-256 of the lower-cased address, not the address. */
export interface UpdateSuppressionTable {
	email_hash: string;
	reason: SuppressionReason;
	created_at: string;
}

export type UpdateSubscriber = Selectable<UpdateSubscriberTable>;
export type NewUpdateSubscriber = Insertable<UpdateSubscriberTable>;
export type UpdateSuppression = Selectable<UpdateSuppressionTable>;

export interface UpdatesTables {
	update_subscriber: UpdateSubscriberTable;
	update_subscriber_topic: UpdateSubscriberTopicTable;
	update_link: UpdateLinkTable;
	update_suppression: UpdateSuppressionTable;
	update_announcement: UpdateAnnouncementTable;
	update_announcement_delivery: UpdateAnnouncementDeliveryTable;
}

/** draft and cancelled are added by migration 2026-12-03-20-digest (a text column: no change). */
export type AnnouncementStatus = 'draft' | 'scheduled' | 'sending' | 'sent' | 'cancelled';

/** News from curators to the subscribers of chosen topics (see announcements.service.ts). */
export interface UpdateAnnouncementTable {
	id: string;
	title: string;
	/** Markdown. */
	body: string;
	/** JSON array of topic keys. */
	topics: string;
	status: AnnouncementStatus;
	send_at: string;
	claimed_at: string | null;
	sent_at: string | null;
	recipients: Generated<number>;
	created_by: string | null;
	created_at: string;
}

/** One row per subscriber mailed an announcement: the guard against sending it twice. */
export interface UpdateAnnouncementDeliveryTable {
	announcement_id: string;
	subscriber_id: string;
	created_at: string;
}

export type UpdateAnnouncement = Selectable<UpdateAnnouncementTable>;
