import type { Kysely } from 'kysely';

// Mail claims name their sender. A worker claims outbox rows for about a minute and renews the
// claim while it works, so a sender that died loses its rows within a minute; with its id on
// the rows, a live sender renews, finishes or hands back only the rows it still holds, never
// a row another sender has taken over since.
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('mail_outbox').addColumn('claimed_by', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('mail_outbox').dropColumn('claimed_by').execute();
}
