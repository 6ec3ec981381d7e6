import { type Kysely } from 'kysely';
import { types } from './helpers';

// Search (issue 17): `visible_from` holds back a document until a moment, for things written
// now but shown later (a blog post scheduled for next week). Null means "as soon as written".
// `starts_at` gets an index for the date filter on /search.
export async function up(db: Kysely<any>): Promise<void> {
	const t = types(db);
	await db.schema.alterTable('search_document').addColumn('visible_from', t.timestamp).execute();
	await db.schema
		.createIndex('search_document_starts_at_idx')
		.on('search_document')
		.column('starts_at')
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropIndex('search_document_starts_at_idx').execute();
	await db.schema.alterTable('search_document').dropColumn('visible_from').execute();
}
