import { sql, type Kysely } from 'kysely';
import { types } from './helpers';

// Search (issue 17), PostgreSQL only: a GIN index on the titles' own vector. A search also
// gathers the newest documents whose title matches; asking the main vector for words of weight
// A made PostgreSQL fetch and recheck every document holding the word anywhere (most of them,
// for a common word). With this index it reads the titles' short lists instead. SQLite's FTS5
// filters columns inside its own index and needs nothing.
export async function up(db: Kysely<any>): Promise<void> {
	if (!types(db).postgres) return;
	await sql`
		create index search_document_title_vector_idx on search_document
		using gin (to_tsvector('colab_search'::regconfig, translate(title, '<>/', '   ')))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	if (!types(db).postgres) return;
	await sql`drop index if exists search_document_title_vector_idx`.execute(db);
}
