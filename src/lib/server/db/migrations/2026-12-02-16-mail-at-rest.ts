import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';

// Mail at rest (issue 18). Once a mail is sent, the outbox keeps what a person or an
// administrator needs to know about it (recipient, kind, subject, when, status, Message-Id)
// and drops its text, HTML and attachments: they held other people's names and words, and
// links that worked (sign-in, reset, invitations) for anyone who read the database or a backup.
//
// - message_id: the Message-Id the mail went out with.
// - kept_subject: the subject kept once it is sent, when the subject itself carries a person's
//   name or words (a co-owner invitation names who invites; a host's message has the host's
//   own subject line). Cleared when the mail is sent.
//
// Mail already sent loses its bodies now, and the two kinds above get the wording their kept
// subject has from now on (without the check's or event's title, which only the old subject
// holds). Sign-in and reset links still waiting to be used are stored from now on as hashes
// (see auth/link-tokens.ts); the ones already stored are hashed here, so they keep working.
// The hash is written out here rather than imported: migrations are frozen.

const SENT_SUBJECTS: Record<string, string> = {
	'assessments.co-owner-invitation': 'An invitation to run a co-production check as a co-owner',
	'events.host-message': 'A message from the host of an event'
};

function sha256(token: string): string {
	return createHash('sha256').update(token).digest('base64url');
}

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('mail_outbox').addColumn('message_id', 'text').execute();
	await db.schema.alterTable('mail_outbox').addColumn('kept_subject', 'text').execute();
	await db
		.updateTable('mail_outbox')
		.set({ text_body: '', html_body: null, attachments: null })
		.where('status', '=', 'sent')
		.execute();
	for (const [kind, subject] of Object.entries(SENT_SUBJECTS)) {
		await db
			.updateTable('mail_outbox')
			.set({ subject })
			.where('status', '=', 'sent')
			.where('kind', '=', kind)
			.execute();
	}

	const links = await db
		.selectFrom('auth_verification')
		.select(['id', 'identifier'])
		.where((eb) =>
			eb.or([
				eb('identifier', 'like', 'magic-link:%'),
				eb('identifier', 'like', 'reset-password:%')
			])
		)
		.execute();
	for (const link of links as Array<{ id: string; identifier: string }>) {
		const identifier = link.identifier.startsWith('magic-link:')
			? `magic-link:${sha256(link.identifier.slice('magic-link:'.length))}`
			: `reset-password-sha256:${sha256(link.identifier.slice('reset-password:'.length))}`;
		await db
			.updateTable('auth_verification')
			.set({ identifier })
			.where('id', '=', link.id)
			.execute();
	}
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('mail_outbox').dropColumn('kept_subject').execute();
	await db.schema.alterTable('mail_outbox').dropColumn('message_id').execute();
}
