import type { Kysely } from 'kysely';
import { types } from './helpers';

// The weekly digest (issue 13): new events and posts, by each subscriber's topics, once a week.
//
// - update_digest: one row per week (`week` is the local date of that week's send time). A
//   sender claims it with a conditional update (pending → sending, or a `sending` claim left by
//   a stopped instance), so only one instance sends at a time; `since_at` and `due_at` fix what
//   counts as new, so a sender that takes over sends the same digest. `cursor` is the last
//   subscriber id done, so it goes on from there.
// - update_digest_delivery: one row per (week, subscriber) mailed, inserted with ON CONFLICT DO
//   NOTHING in the same transaction as the mail, so nobody gets a week's digest twice.
//
// Announcements gain two statuses (draft, cancelled) in their text column: no change here.

export async function up(db: Kysely<any>): Promise<void> {
	const t = types(db);
	await db.schema
		.createTable('update_digest')
		.addColumn('week', 'text', (c) => c.primaryKey())
		/** pending | sending | sent */
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('since_at', t.timestamp, (c) => c.notNull())
		.addColumn('due_at', t.timestamp, (c) => c.notNull())
		.addColumn('claimed_at', t.timestamp)
		.addColumn('cursor', 'text')
		.addColumn('sent_at', t.timestamp)
		.addColumn('recipients', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('update_digest_status_due_idx')
		.on('update_digest')
		.columns(['status', 'due_at'])
		.execute();

	await db.schema
		.createTable('update_digest_delivery')
		.addColumn('week', 'text', (c) =>
			c.notNull().references('update_digest.week').onDelete('cascade')
		)
		.addColumn('subscriber_id', 'text', (c) =>
			c.notNull().references('update_subscriber.id').onDelete('cascade')
		)
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.addPrimaryKeyConstraint('update_digest_delivery_pk', ['week', 'subscriber_id'])
		.execute();
	await db.schema
		.createIndex('update_digest_delivery_subscriber_idx')
		.on('update_digest_delivery')
		.column('subscriber_id')
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('update_digest_delivery').execute();
	await db.schema.dropTable('update_digest').execute();
}
