import { sql, type Kysely } from 'kysely';
import { types } from './helpers';

// People and their sign-in records. The four auth_* / app_user tables follow better-auth's
// schema (mapped to snake_case in auth/auth.ts); `role` is CoLab's own. Profiles are separate
// so better-auth's table stays exactly what it expects.
export async function up(db: Kysely<any>): Promise<void> {
	const t = types(db);
	const falseDefault = t.postgres ? sql`false` : sql`0`;

	await db.schema
		.createTable('app_user')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('email', 'text', (c) => c.notNull().unique())
		.addColumn('email_verified', t.boolean, (c) => c.notNull().defaultTo(falseDefault))
		.addColumn('image', 'text')
		.addColumn('role', 'text', (c) => c.notNull().defaultTo('member'))
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.addColumn('updated_at', t.timestamp, (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('app_user_role_idx')
		.on('app_user')
		.columns(['role', 'name'])
		.execute();
	await db.schema.createIndex('app_user_name_idx').on('app_user').column('name').execute();

	await db.schema
		.createTable('auth_session')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
		.addColumn('token', 'text', (c) => c.notNull().unique())
		.addColumn('expires_at', t.timestamp, (c) => c.notNull())
		.addColumn('ip_address', 'text')
		.addColumn('user_agent', 'text')
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.addColumn('updated_at', t.timestamp, (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('auth_session_user_idx')
		.on('auth_session')
		.column('user_id')
		.execute();

	await db.schema
		.createTable('auth_account')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
		.addColumn('account_id', 'text', (c) => c.notNull())
		.addColumn('provider_id', 'text', (c) => c.notNull())
		.addColumn('access_token', 'text')
		.addColumn('refresh_token', 'text')
		.addColumn('id_token', 'text')
		.addColumn('access_token_expires_at', t.timestamp)
		.addColumn('refresh_token_expires_at', t.timestamp)
		.addColumn('scope', 'text')
		.addColumn('password', 'text')
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.addColumn('updated_at', t.timestamp, (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('auth_account_user_idx')
		.on('auth_account')
		.column('user_id')
		.execute();

	await db.schema
		.createTable('auth_verification')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('identifier', 'text', (c) => c.notNull())
		.addColumn('value', 'text', (c) => c.notNull())
		.addColumn('expires_at', t.timestamp, (c) => c.notNull())
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.addColumn('updated_at', t.timestamp, (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('auth_verification_identifier_idx')
		.on('auth_verification')
		.column('identifier')
		.execute();
	await db.schema
		.createIndex('auth_verification_expires_idx')
		.on('auth_verification')
		.column('expires_at')
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('auth_verification').execute();
	await db.schema.dropTable('auth_account').execute();
	await db.schema.dropTable('auth_session').execute();
	await db.schema.dropTable('app_user').execute();
}
