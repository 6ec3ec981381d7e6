import type { Generated, Selectable } from 'kysely';

export type EmailState = 'none' | 'pending' | 'sent';
export type EmailFrequency = 'immediate' | 'daily';

/** One thing a member is told of (many about the same subject, while unread, are one row). */
export interface NotificationTable {
	id: string;
	recipient_id: string;
	/** A key from the registry in notifications.kinds.ts. */
	kind: string;
	/** What it is about, e.g. "event:<id>": rows with the same kind and subject group. */
	subject_key: string;
	title: string;
	/** A path on this site, e.g. "/events/<slug>". */
	url: string;
	actor_id: string | null;
	count: Generated<number>;
	/** 0 when the site is switched off for this kind (the row only waits for email). */
	on_site: Generated<number>;
	email_state: Generated<EmailState>;
	read_at: string | null;
	created_at: string;
	updated_at: string;
}

/** A member's choice for one kind; no row means the kind's defaults. */
export interface NotificationPreferenceTable {
	user_id: string;
	kind: string;
	site: number;
	email: number;
	updated_at: string;
}

/** How email comes to a member, and when their last daily summary was claimed. */
export interface NotificationSettingTable {
	user_id: string;
	email_frequency: EmailFrequency;
	last_summary_at: string | null;
	updated_at: string;
}

export type Notification = Selectable<NotificationTable>;

export interface NotificationsTables {
	notification: NotificationTable;
	notification_preference: NotificationPreferenceTable;
	notification_setting: NotificationSettingTable;
}
