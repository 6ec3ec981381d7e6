import type { Kysely } from 'kysely';

// Administrators import an existing list of subscribers (issue 13).
//
// - update_subscriber.consent_detail: how the person agreed, in the administrator's words
//   ("signed up on the paper form at the March event"), for people brought in by an import
//   (consent_method 'import', consented_at the day they agreed). Null for everyone else: the
//   form and the account say how by themselves.

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('update_subscriber').addColumn('consent_detail', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('update_subscriber').dropColumn('consent_detail').execute();
}
