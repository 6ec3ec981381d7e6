import type { Kysely } from 'kysely';
import { types } from './helpers';

// The audit log: who did which administrative action, to what, when. `detail` is JSON with ids
// and values only (never secrets, never personal text). `actor_name` is the actor's name as it
// was, so the log reads well after a rename; when the actor deletes their account, actor_id is
// cleared and actor_name becomes a neutral label (done by "delete my account", not here).
export async function up(db: Kysely<any>): Promise<void> {
	const t = types(db);
	await db.schema
		.createTable('audit_log')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('actor_id', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('actor_name', 'text', (c) => c.notNull())
		.addColumn('action', 'text', (c) => c.notNull())
		.addColumn('target_type', 'text')
		.addColumn('target_id', 'text')
		.addColumn('detail', 'text')
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.execute();
	// Newest first, page by page.
	await db.schema
		.createIndex('audit_log_created_idx')
		.on('audit_log')
		.columns(['created_at', 'id'])
		.execute();
	// A person's data export and account deletion find the entries by and about them.
	await db.schema.createIndex('audit_log_actor_idx').on('audit_log').column('actor_id').execute();
	await db.schema
		.createIndex('audit_log_target_idx')
		.on('audit_log')
		.columns(['target_type', 'target_id'])
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('audit_log').execute();
}
