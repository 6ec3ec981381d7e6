import type { Generated, Insertable, Selectable } from 'kysely';

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed';

export interface MailOutboxTable {
	id: string;
	to_address: string;
	subject: string;
	/** Empty once the mail is sent: only waiting and failed mail keep their text. */
	text_body: string;
	html_body: string | null;
	/** JSON array of { filename, contentType, content (base64) }. */
	attachments: string | null;
	kind: string;
	user_id: string | null;
	status: OutboxStatus;
	attempts: Generated<number>;
	next_attempt_at: string;
	/** Until when the sender holding a `sending` row has it; renewed while it works on it. */
	locked_until: string | null;
	/** Which sender (mail worker) holds a `sending` row: `host:pid:random`, new each start. */
	claimed_by: string | null;
	last_error: string | null;
	created_at: string;
	sent_at: string | null;
	/** The Message-Id it went out with (set when sent). */
	message_id: string | null;
	/**
	 * The subject kept once it is sent, when `subject` carries a person's name or words. Sent
	 * mail keeps no text, HTML or attachments (they are emptied when it is sent).
	 */
	kept_subject: string | null;
	/** Extra headers (JSON object of name → value), e.g. List-Unsubscribe. Emptied once sent. */
	headers: string | null;
}

export type OutboxMail = Selectable<MailOutboxTable>;
export type NewOutboxMail = Insertable<MailOutboxTable>;

export interface MailTables {
	mail_outbox: MailOutboxTable;
}
