import type { Kysely } from 'kysely';
import { types } from './helpers';

// Profiles (what a member chooses to say about themselves, and to show) and organisations
// (charities, council teams, NHS trusts), with their members and emailed invitations.
// Every "show_" flag starts at 0: nothing beyond a member's display name is public until
// they choose it.
export async function up(db: Kysely<any>): Promise<void> {
	const t = types(db);

	await db.schema
		.createTable('profile')
		.addColumn('user_id', 'text', (c) =>
			c.primaryKey().references('app_user.id').onDelete('cascade')
		)
		.addColumn('bio', 'text')
		.addColumn('pronouns', 'text')
		.addColumn('show_bio', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('show_pronouns', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('show_organisations', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('show_email', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('updated_at', t.timestamp, (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('organisation')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('slug', 'text', (c) => c.notNull().unique())
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('description', 'text', (c) => c.notNull())
		.addColumn('website', 'text')
		.addColumn('created_by', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.addColumn('updated_at', t.timestamp, (c) => c.notNull())
		.execute();
	// The public list is ordered by name.
	await db.schema.createIndex('organisation_name_idx').on('organisation').column('name').execute();
	await db.schema
		.createIndex('organisation_created_by_idx')
		.on('organisation')
		.column('created_by')
		.execute();

	await db.schema
		.createTable('organisation_member')
		.addColumn('organisation_id', 'text', (c) =>
			c.notNull().references('organisation.id').onDelete('cascade')
		)
		.addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
		/** admin | member */
		.addColumn('role', 'text', (c) => c.notNull())
		.addColumn('joined_at', t.timestamp, (c) => c.notNull())
		.addPrimaryKeyConstraint('organisation_member_pk', ['organisation_id', 'user_id'])
		.execute();
	await db.schema
		.createIndex('organisation_member_user_idx')
		.on('organisation_member')
		.column('user_id')
		.execute();

	await db.schema
		.createTable('organisation_invite')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('organisation_id', 'text', (c) =>
			c.notNull().references('organisation.id').onDelete('cascade')
		)
		/** Lower-cased; only the account with this (confirmed) address may accept. */
		.addColumn('email', 'text', (c) => c.notNull())
		.addColumn('role', 'text', (c) => c.notNull())
		/** SHA-256 of the emailed token; the token itself is never stored. */
		.addColumn('token_hash', 'text', (c) => c.notNull().unique())
		.addColumn('invited_by', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.addColumn('expires_at', t.timestamp, (c) => c.notNull())
		.addColumn('accepted_at', t.timestamp)
		.execute();
	await db.schema
		.createIndex('organisation_invite_org_idx')
		.on('organisation_invite')
		.columns(['organisation_id', 'email'])
		.execute();
	await db.schema
		.createIndex('organisation_invite_email_idx')
		.on('organisation_invite')
		.column('email')
		.execute();
	await db.schema
		.createIndex('organisation_invite_invited_by_idx')
		.on('organisation_invite')
		.column('invited_by')
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('organisation_invite').execute();
	await db.schema.dropTable('organisation_member').execute();
	await db.schema.dropTable('organisation').execute();
	await db.schema.dropTable('profile').execute();
}
