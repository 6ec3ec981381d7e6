import { sql, type Kysely } from 'kysely';
import { types } from './helpers';

// Notifications for members (issue 13): what concerns a member, in the site and by email.
//
// - notification: one row per thing a member is told of. Many notifications about the same
//   thing (recipient + kind + subject_key) while unread are one row whose `count` and
//   `updated_at` go up. `on_site` says whether it shows on /notifications (0 when the member
//   switched the site off for its kind and the row only waits for an email summary).
//   `email_state` is 'none' (no email), 'pending' (waiting for the daily summary) or 'sent';
//   the summary claims pending rows with a conditional update, so it is sent exactly once.
// - notification_preference: a member's choice for one kind, per channel. No row = the
//   kind's default.
// - notification_setting: one row per member who chose how email comes ('immediate' or
//   'daily') or was sent a summary (`last_summary_at`, the summary's claim).

export async function up(db: Kysely<any>): Promise<void> {
	const t = types(db);
	await db.schema
		.createTable('notification')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('recipient_id', 'text', (c) =>
			c.notNull().references('app_user.id').onDelete('cascade')
		)
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('subject_key', 'text', (c) => c.notNull())
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('url', 'text', (c) => c.notNull())
		.addColumn('actor_id', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('count', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('on_site', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('email_state', 'text', (c) => c.notNull().defaultTo('none'))
		.addColumn('read_at', t.timestamp)
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.addColumn('updated_at', t.timestamp, (c) => c.notNull())
		.execute();
	// Grouping: at most one unread row per recipient, kind and subject (notify upserts on it).
	await db.schema
		.createIndex('notification_group_idx')
		.unique()
		.on('notification')
		.columns(['recipient_id', 'kind', 'subject_key'])
		.where(sql.ref('read_at'), 'is', null)
		.execute();
	// The header's unread count: a member's unread rows.
	await db.schema
		.createIndex('notification_unread_idx')
		.on('notification')
		.columns(['recipient_id', 'read_at', 'on_site'])
		.execute();
	// /notifications: a member's rows, newest first.
	await db.schema
		.createIndex('notification_recipient_updated_idx')
		.on('notification')
		.columns(['recipient_id', 'updated_at', 'id'])
		.execute();
	// The daily summary finds members with rows waiting.
	await db.schema
		.createIndex('notification_email_state_idx')
		.on('notification')
		.columns(['email_state', 'recipient_id'])
		.execute();
	await db.schema
		.createIndex('notification_actor_idx')
		.on('notification')
		.column('actor_id')
		.execute();

	await db.schema
		.createTable('notification_preference')
		.addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('site', 'integer', (c) => c.notNull())
		.addColumn('email', 'integer', (c) => c.notNull())
		.addColumn('updated_at', t.timestamp, (c) => c.notNull())
		.addPrimaryKeyConstraint('notification_preference_pk', ['user_id', 'kind'])
		.execute();

	await db.schema
		.createTable('notification_setting')
		.addColumn('user_id', 'text', (c) =>
			c.primaryKey().references('app_user.id').onDelete('cascade')
		)
		/** immediate | daily */
		.addColumn('email_frequency', 'text', (c) => c.notNull())
		.addColumn('last_summary_at', t.timestamp)
		.addColumn('updated_at', t.timestamp, (c) => c.notNull())
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('notification_setting').execute();
	await db.schema.dropTable('notification_preference').execute();
	await db.schema.dropTable('notification').execute();
}
