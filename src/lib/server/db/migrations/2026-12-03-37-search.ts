import { sql, type Kysely } from 'kysely';
import { types } from './helpers';

// Search (issue 17): one index of everything a person can find, written by each feature in
// the transaction of its change.
//
// - `search_document`: one row per findable thing, keyed by (kind, doc_id). `body` is plain
//   text (no Markdown, no HTML). Facets for filters: `type`, `themes` (space-separated theme
//   keys), `format`, `starts_at` (when it happens or was published), `organisation_id`.
//   `visibility` is 'public', 'members', or an audience key such as 'team:<id>' that only
//   people holding that key may see. `id` is an integer so SQLite's FTS5 can use it as rowid.
// - SQLite: `search_fts`, an FTS5 external-content table over title and body (porter stemmer,
//   accents folded), kept in step by triggers so every write path (upserts, deletes, cascades)
//   updates it inside the same transaction, as PostgreSQL's generated column does.
// - PostgreSQL: `search_vector`, a generated tsvector (title weight A, body B) with a GIN index,
//   using the `colab_search` configuration: English with accents folded by `unaccent` when
//   the extension can be installed (it is "trusted" since PostgreSQL 13, so a database owner
//   may create it). '<', '>' and '/' are read as spaces, as FTS5 reads them: PostgreSQL's
//   parser would otherwise take `<script>…</script>` in plain text for markup and skip it, and
//   `and/or` for a file path. Without `unaccent` the configuration is plain English and "café" does not find
//   "cafe"; queries use the same configuration either way.
export async function up(db: Kysely<any>): Promise<void> {
	const t = types(db);

	await db.schema
		.createTable('search_document')
		.addColumn('id', t.serial, (c) => c.primaryKey())
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('doc_id', 'text', (c) => c.notNull())
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('body', 'text', (c) => c.notNull())
		.addColumn('type', 'text')
		/** Space-separated theme keys, so `themes like '% key %'` style filters need no join. */
		.addColumn('themes', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('format', 'text')
		.addColumn('starts_at', t.timestamp)
		/** No foreign key: the index must never block or cascade an organisation's change. */
		.addColumn('organisation_id', 'text')
		.addColumn('visibility', 'text', (c) => c.notNull())
		.addColumn('path', 'text', (c) => c.notNull())
		.addColumn('updated_at', t.timestamp, (c) => c.notNull())
		.addUniqueConstraint('search_document_kind_doc_unique', ['kind', 'doc_id'])
		.execute();
	await db.schema
		.createIndex('search_document_visibility_idx')
		.on('search_document')
		.columns(['visibility', 'kind'])
		.execute();

	if (t.postgres) {
		const available = await sql<{ ok: boolean }>`
			select exists (select 1 from pg_extension where extname = 'unaccent')
				or (
					exists (
						select 1 from pg_available_extension_versions
						where name = 'unaccent'
							and (trusted or (select rolsuper from pg_roles where rolname = current_user))
					)
					and has_database_privilege(current_database(), 'CREATE')
				) as ok`.execute(db);
		let unaccent = false;
		if (available.rows[0]?.ok) {
			await sql`create extension if not exists unaccent`.execute(db);
			unaccent = true;
		}
		await sql`create text search configuration colab_search (copy = english)`.execute(db);
		if (unaccent) {
			await sql`
				alter text search configuration colab_search
				alter mapping for word, hword, hword_part with unaccent, english_stem`.execute(db);
		}
		await sql`
			alter table search_document add column search_vector tsvector
			generated always as (
				setweight(to_tsvector('colab_search'::regconfig, translate(title, '<>/', '   ')), 'A') ||
				setweight(to_tsvector('colab_search'::regconfig, translate(body, '<>/', '   ')), 'B')
			) stored`.execute(db);
		await sql`create index search_document_vector_idx on search_document using gin (search_vector)`.execute(
			db
		);
	} else {
		await sql`
			create virtual table search_fts using fts5(
				title, body,
				content = 'search_document', content_rowid = 'id',
				tokenize = 'porter unicode61 remove_diacritics 2'
			)`.execute(db);
		await sql`
			create trigger search_document_fts_insert after insert on search_document begin
				insert into search_fts (rowid, title, body) values (new.id, new.title, new.body);
			end`.execute(db);
		await sql`
			create trigger search_document_fts_delete after delete on search_document begin
				insert into search_fts (search_fts, rowid, title, body)
				values ('delete', old.id, old.title, old.body);
			end`.execute(db);
		await sql`
			create trigger search_document_fts_update after update of title, body on search_document begin
				insert into search_fts (search_fts, rowid, title, body)
				values ('delete', old.id, old.title, old.body);
				insert into search_fts (rowid, title, body) values (new.id, new.title, new.body);
			end`.execute(db);
	}
}

export async function down(db: Kysely<any>): Promise<void> {
	const t = types(db);
	if (t.postgres) {
		await db.schema.dropTable('search_document').execute();
		await sql`drop text search configuration if exists colab_search`.execute(db);
	} else {
		await sql`drop table if exists search_fts`.execute(db);
		await db.schema.dropTable('search_document').execute();
	}
}
