import type { Generated, Selectable } from 'kysely';

export type DigestStatus = 'pending' | 'sending' | 'sent';

/** One weekly digest run (see migration 2026-12-03-20-digest). */
export interface UpdateDigestTable {
	/** The local date (YYYY-MM-DD) of that week's send time. */
	week: string;
	status: DigestStatus;
	/** What counts as new: published or added from `since_at` up to `due_at`. */
	since_at: string;
	due_at: string;
	claimed_at: string | null;
	/** The last subscriber id done, so a sender that takes over goes on from there. */
	cursor: string | null;
	sent_at: string | null;
	recipients: Generated<number>;
	created_at: string;
}

/** One row per subscriber mailed a week's digest: the guard against sending it twice. */
export interface UpdateDigestDeliveryTable {
	week: string;
	subscriber_id: string;
	created_at: string;
}

export type UpdateDigest = Selectable<UpdateDigestTable>;

export interface DigestTables {
	update_digest: UpdateDigestTable;
	update_digest_delivery: UpdateDigestDeliveryTable;
}
