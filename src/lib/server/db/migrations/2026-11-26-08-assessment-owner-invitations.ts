import type { Kysely } from 'kysely';
import { types } from './helpers';

// Co-owners of a co-production check are invited, not added: the person accepts an emailed
// link while signed in, so nobody is made an owner without knowing, and the reply to the owner
// is the same whether or not the address has an account.
export async function up(db: Kysely<any>): Promise<void> {
	const t = types(db);
	await db.schema
		.createTable('assessment_owner_invitation')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('assessment_id', 'text', (c) =>
			c.notNull().references('assessment.id').onDelete('cascade')
		)
		/** Lower-cased. */
		.addColumn('email', 'text', (c) => c.notNull())
		/** SHA-256 of the emailed token: the token itself is never stored. */
		.addColumn('token_hash', 'text', (c) => c.notNull().unique())
		.addColumn('invited_by', 'text', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('created_at', t.timestamp, (c) => c.notNull())
		.addColumn('expires_at', t.timestamp, (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('assessment_owner_invitation_assessment_idx')
		.on('assessment_owner_invitation')
		.columns(['assessment_id', 'email'])
		.execute();
	await db.schema
		.createIndex('assessment_owner_invitation_email_idx')
		.on('assessment_owner_invitation')
		.column('email')
		.execute();
	await db.schema
		.createIndex('assessment_owner_invitation_invited_by_idx')
		.on('assessment_owner_invitation')
		.column('invited_by')
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('assessment_owner_invitation').execute();
}
