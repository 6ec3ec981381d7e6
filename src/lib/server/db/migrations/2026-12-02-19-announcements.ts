import type { Kysely } from 'kysely';
import { types } from './helpers';

// Announcements (issue 13): curators write news in Markdown and send it to the subscribers of
// chosen topics, now or at a set time; sent ones are archived publicly.
//
// - update_announcement: one row per announcement. `status` goes scheduled → sending → sent,
//   each step a conditional update, so two instances never both send one. `topics` is a JSON
//   array of topic keys. `created_by` is the curator (kept without their name if they leave).
// - update_announcement_delivery: one row per (announcement, subscriber) mailed, inserted with
//   ON CONFLICT DO NOTHING in the same transaction as the mail, so nobody gets it twice.

export async function up(db: Kysely<any>): Promise<void> {
	const t = types(db);
	await db.schema
		.createTable('update_announcement')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('body', 'text', (c) => c.notNull())
		.addColumn('topics', 'text', (c) => c.notNull())
		/** scheduled | sending | sent */
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('send_at', t.timestamp, (c) => c.notNull())
		/** When a sender claimed it (a claim left by a stopped instance is taken over later). */
		.addColumn('claimed_at', t.timestamp)
		.addColumn('sent_at', t.timestamp)
		.addColumn('recipients', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('created_by', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.execute();
	// The worker finds due announcements; the archive lists sent ones newest first.
	await db.schema
		.createIndex('update_announcement_status_send_idx')
		.on('update_announcement')
		.columns(['status', 'send_at'])
		.execute();
	await db.schema
		.createIndex('update_announcement_sent_idx')
		.on('update_announcement')
		.columns(['status', 'sent_at', 'id'])
		.execute();
	await db.schema
		.createIndex('update_announcement_created_by_idx')
		.on('update_announcement')
		.column('created_by')
		.execute();

	await db.schema
		.createTable('update_announcement_delivery')
		.addColumn('announcement_id', 'text', (c) =>
			c.notNull().references('update_announcement.id').onDelete('cascade')
		)
		.addColumn('subscriber_id', 'text', (c) =>
			c.notNull().references('update_subscriber.id').onDelete('cascade')
		)
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.addPrimaryKeyConstraint('update_announcement_delivery_pk', [
			'announcement_id',
			'subscriber_id'
		])
		.execute();
	await db.schema
		.createIndex('update_announcement_delivery_subscriber_idx')
		.on('update_announcement_delivery')
		.column('subscriber_id')
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('update_announcement_delivery').execute();
	await db.schema.dropTable('update_announcement').execute();
}
