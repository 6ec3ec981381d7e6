import type { Kysely } from 'kysely';
import { types } from './helpers';

// Email updates without an account (issue 13).
//
// - update_subscriber: one row per address (lower-cased), with or without an account. A sign-up
//   waits as `pending` until its emailed link is confirmed (double opt-in); the topics asked for
//   wait in `pending_topics` so nobody can change someone else's topics by signing them up.
//   Only the hash of the confirmation link's secret is stored.
// - update_subscriber_topic: the topics a subscriber gets, one row each (indexed by topic, so a
//   digest or announcement finds its readers without reading everyone).
// - update_link: the private links (preferences, unsubscribe) put in mails, stored as hashes.
//   Each mail gets its own; they go with the subscriber.
// - update_suppression: addresses never mailed updates again, stored as a hash of the
//   lower-cased address: `unsubscribed` (the person chose; a fresh double opt-in lifts it) or
//   `blocked` (an administrator chose; only an administrator lifts it).
// - mail_outbox.headers: extra headers of an outgoing mail (JSON), e.g. List-Unsubscribe.

export async function up(db: Kysely<any>): Promise<void> {
	const t = types(db);
	await db.schema
		.createTable('update_subscriber')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('email', 'text', (c) => c.notNull().unique())
		/** SHA-256 (hex) of the address, to match the suppression list in one join. */
		.addColumn('email_hash', 'text', (c) => c.notNull().unique())
		/** pending | subscribed | unsubscribed */
		.addColumn('status', 'text', (c) => c.notNull())
		/** JSON array of topic keys, waiting for the confirmation link. */
		.addColumn('pending_topics', 'text')
		.addColumn('confirm_token_hash', 'text', (c) => c.unique())
		.addColumn('confirm_expires_at', t.timestamp)
		/** When and how the person last agreed: form (double opt-in), account, import. */
		.addColumn('consented_at', t.timestamp)
		.addColumn('consent_method', 'text')
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.addColumn('updated_at', t.timestamp, (c) => c.notNull())
		.execute();
	// The cleanup finds sign-ups whose link ran out.
	await db.schema
		.createIndex('update_subscriber_confirm_expires_idx')
		.on('update_subscriber')
		.column('confirm_expires_at')
		.execute();

	// Senders read subscribers in id order, a page at a time.
	await db.schema
		.createIndex('update_subscriber_status_idx')
		.on('update_subscriber')
		.columns(['status', 'id'])
		.execute();

	await db.schema
		.createTable('update_subscriber_topic')
		.addColumn('subscriber_id', 'text', (c) =>
			c.notNull().references('update_subscriber.id').onDelete('cascade')
		)
		.addColumn('topic', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('update_subscriber_topic_pk', ['subscriber_id', 'topic'])
		.execute();
	await db.schema
		.createIndex('update_subscriber_topic_topic_idx')
		.on('update_subscriber_topic')
		.columns(['topic', 'subscriber_id'])
		.execute();

	await db.schema
		.createTable('update_link')
		.addColumn('token_hash', 'text', (c) => c.primaryKey())
		.addColumn('subscriber_id', 'text', (c) =>
			c.notNull().references('update_subscriber.id').onDelete('cascade')
		)
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('update_link_subscriber_idx')
		.on('update_link')
		.column('subscriber_id')
		.execute();
	await db.schema
		.createIndex('update_link_created_idx')
		.on('update_link')
		.column('created_at')
		.execute();

	await db.schema
		.createTable('update_suppression')
		.addColumn('email_hash', 'text', (c) => c.primaryKey())
		/** unsubscribed | blocked */
		.addColumn('reason', 'text', (c) => c.notNull())
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.execute();

	await db.schema.alterTable('mail_outbox').addColumn('headers', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('mail_outbox').dropColumn('headers').execute();
	await db.schema.dropTable('update_suppression').execute();
	await db.schema.dropTable('update_link').execute();
	await db.schema.dropTable('update_subscriber_topic').execute();
	await db.schema.dropTable('update_subscriber').execute();
}
