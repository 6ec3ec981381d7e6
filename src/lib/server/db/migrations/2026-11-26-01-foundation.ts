import type { Kysely } from 'kysely';
import { types } from './helpers';

// Instance-wide tables every feature leans on: settings, the page-cache version, rate limits
// shared by all app instances, and the audit log of administrative actions.
export async function up(db: Kysely<any>): Promise<void> {
	const t = types(db);

	await db.schema
		.createTable('instance_setting')
		.addColumn('key', 'text', (c) => c.primaryKey())
		.addColumn('value', 'text', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('content_version')
		.addColumn('id', 'integer', (c) => c.primaryKey())
		.addColumn('version', 'integer', (c) => c.notNull())
		.execute();
	await db.insertInto('content_version').values({ id: 1, version: 0 }).execute();

	await db.schema
		.createTable('rate_limit')
		.addColumn('key', 'text', (c) => c.primaryKey())
		.addColumn('count', 'integer', (c) => c.notNull())
		.addColumn('window_started_at', t.timestamp, (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('rate_limit_window_idx')
		.on('rate_limit')
		.column('window_started_at')
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('rate_limit').execute();
	await db.schema.dropTable('content_version').execute();
	await db.schema.dropTable('instance_setting').execute();
}
