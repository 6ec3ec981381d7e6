import type { Kysely } from 'kysely';
import { types } from './helpers';

// The outbox: every email is a row written in the same transaction as the change that caused
// it. A worker claims due rows, sends them, and records the outcome.
export async function up(db: Kysely<any>): Promise<void> {
	const t = types(db);
	await db.schema
		.createTable('mail_outbox')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('to_address', 'text', (c) => c.notNull())
		.addColumn('subject', 'text', (c) => c.notNull())
		.addColumn('text_body', 'text', (c) => c.notNull())
		.addColumn('html_body', 'text')
		/** JSON array of { filename, contentType, content (base64) }. */
		.addColumn('attachments', 'text')
		/** What caused it, e.g. "auth.verify-email"; helps admins read failures. */
		.addColumn('kind', 'text', (c) => c.notNull())
		/** Set when the recipient is a member, so "delete my account" can remove their mail. */
		.addColumn('user_id', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		/** pending → sending → sent | failed */
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('next_attempt_at', t.timestamp, (c) => c.notNull())
		.addColumn('locked_until', t.timestamp)
		.addColumn('last_error', 'text')
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.addColumn('sent_at', t.timestamp)
		.execute();
	await db.schema
		.createIndex('mail_outbox_due_idx')
		.on('mail_outbox')
		.columns(['status', 'next_attempt_at'])
		.execute();
	await db.schema.createIndex('mail_outbox_user_idx').on('mail_outbox').column('user_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('mail_outbox').execute();
}
