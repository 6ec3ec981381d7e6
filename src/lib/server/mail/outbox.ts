import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import { newId, nowIso } from '../ids';

export interface MailAttachment {
	filename: string;
	contentType: string;
	/** The file's bytes, or text (written as UTF-8). */
	content: Buffer | string;
}

export interface OutgoingMail {
	to: string;
	subject: string;
	/**
	 * The subject to keep once the mail is sent, when `subject` carries someone's name or their
	 * own words (the outbox keeps no one's words once a mail is sent).
	 */
	keptSubject?: string;
	text: string;
	html?: string;
	attachments?: MailAttachment[];
	/** What caused it, e.g. "auth.verify-email": shown to admins when sending fails. */
	kind: string;
	/** The recipient's account, when they have one (so their data export and deletion find it). */
	userId?: string | null;
}

/**
 * Puts an email in the outbox. Pass the transaction of the change that caused it, so the mail
 * exists if and only if the change committed; the mail worker sends it afterwards.
 */
export async function enqueueMail(
	db: Kysely<DB> | Transaction<DB>,
	mail: OutgoingMail
): Promise<string> {
	const id = newId();
	const now = nowIso();
	await db
		.insertInto('mail_outbox')
		.values({
			id,
			to_address: mail.to,
			subject: mail.subject,
			kept_subject: mail.keptSubject ?? null,
			text_body: mail.text,
			html_body: mail.html ?? null,
			attachments: mail.attachments?.length
				? JSON.stringify(
						mail.attachments.map((a) => ({
							filename: a.filename,
							contentType: a.contentType,
							content: Buffer.from(a.content).toString('base64')
						}))
					)
				: null,
			kind: mail.kind,
			user_id: mail.userId ?? null,
			status: 'pending',
			attempts: 0,
			next_attempt_at: now,
			created_at: now
		})
		.execute();
	return id;
}
