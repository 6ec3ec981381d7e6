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
	/**
	 * Extra headers, e.g. List-Unsubscribe (see `listUnsubscribeHeaders`). Names must be ones
	 * the outbox allows (`EXTRA_HEADERS`); they cannot replace From, To, Subject or Message-Id.
	 */
	headers?: Record<string, string>;
	/** The recipient's account, when they have one (so their data export and deletion find it). */
	userId?: string | null;
}

/** The extra headers a mail may carry: anything else is a mistake in the code that sends it. */
export const EXTRA_HEADERS = ['List-Unsubscribe', 'List-Unsubscribe-Post', 'List-Id'] as const;

function checkHeaders(headers: Record<string, string>): Record<string, string> {
	for (const [name, value] of Object.entries(headers)) {
		if (!(EXTRA_HEADERS as readonly string[]).includes(name))
			throw new Error(`A mail cannot carry the header ${name}`);
		// A line break would start a new header (header injection).
		if (/[\r\n]/.test(value)) throw new Error(`The header ${name} holds a line break`);
	}
	return headers;
}

/**
 * Adds one-click unsubscribe (RFC 8058 and RFC 2369) to a mail: mail programs show an
 * "Unsubscribe" button that POSTs `List-Unsubscribe=One-Click` to `url` without opening it.
 * `url` must be https in production (mail programs ignore http) and carry its own secret.
 */
export function withListUnsubscribe<M extends OutgoingMail>(mail: M, url: string): M {
	return {
		...mail,
		headers: {
			...mail.headers,
			'List-Unsubscribe': `<${url}>`,
			'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click'
		}
	};
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
			headers:
				mail.headers && Object.keys(mail.headers).length
					? JSON.stringify(checkHeaders(mail.headers))
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
