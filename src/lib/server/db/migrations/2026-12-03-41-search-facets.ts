import { sql, type Kysely } from 'kysely';
import { types } from './helpers';

// Search (issue 17): filters answered by the full-text index.
//
// - `search_document.facets`: made-up words for each document's kind and themes, and one for
//   "has a date" ('zfkevent zfthousing zfdated'; other characters than a-w, y, z and digits
//   spelled out as 'x' and their code), written with the document. They are indexed
//   beside the text, so a search for a common word filtered to a rare theme intersects two
//   lists inside the index instead of reading thousands of rows to find the few that pass. On
//   PostgreSQL they are the filter; SQLite stems them, so there the rules stay in SQL too. This migration fills them
//   for the documents already indexed (the rules of search.facets.ts as of this day, copied
//   here, since migrations never change).
// - SQLite: `search_fts` gains a third column, `facets`; its update trigger now runs only when
//   the text or the facets changed.
// - PostgreSQL: `search_vector` also holds each facet word with a leading '#' (no word of a
//   query can start with one); titles get their own stored vector, `title_vector`, replacing
//   migration 40's expression index, so the planner knows how common a word is in titles and
//   can walk the newest rows for a common one instead of fetching every title that holds it.
// - The (visibility, kind) index goes: visibility is too coarse to narrow anything, and
//   PostgreSQL combined it with the text index to read 94,000 row ids for one search.

function facetWord(letter: string, value: string): string {
	const spelled = value.replace(
		/[^a-wyz0-9]/gu,
		(c) => 'x' + (c.codePointAt(0) ?? 0).toString(16).padStart(6, '0')
	);
	return `zf${letter}${spelled}`;
}

function facetsOf(row: { kind: string; themes: string; starts_at: string | Date | null }): string {
	const words = [facetWord('k', row.kind)];
	for (const theme of row.themes.split(' ')) if (theme) words.push(facetWord('t', theme));
	if (row.starts_at !== null) words.push('zfdated');
	return [...new Set(words)].join(' ');
}

async function fillFacets(db: Kysely<any>): Promise<void> {
	let after = 0;
	for (;;) {
		const rows: Array<{
			id: number | string;
			kind: string;
			themes: string;
			starts_at: string | Date | null;
		}> = await db
			.selectFrom('search_document')
			.select(['id', 'kind', 'themes', 'starts_at'])
			.where('id', '>', after)
			.orderBy('id')
			.limit(500)
			.execute();
		if (rows.length === 0) return;
		for (const row of rows) {
			await db
				.updateTable('search_document')
				.set({ facets: facetsOf(row) })
				.where('id', '=', row.id)
				.execute();
		}
		after = Number(rows[rows.length - 1]?.id);
	}
}

const SQLITE_FTS_COLUMNS = ['title', 'body', 'facets'];

async function recreateSqliteIndex(db: Kysely<any>, columns: string[]): Promise<void> {
	const list = columns.join(', ');
	const fromNew = columns.map((column) => `new.${column}`).join(', ');
	const fromOld = columns.map((column) => `old.${column}`).join(', ');
	await sql`drop trigger if exists search_document_fts_insert`.execute(db);
	await sql`drop trigger if exists search_document_fts_delete`.execute(db);
	await sql`drop trigger if exists search_document_fts_update`.execute(db);
	await sql`drop table if exists search_fts`.execute(db);
	await sql
		.raw(
			`create virtual table search_fts using fts5(
				${list},
				content = 'search_document', content_rowid = 'id',
				prefix = '2 3',
				tokenize = 'porter unicode61 remove_diacritics 2'
			)`
		)
		.execute(db);
	await sql`insert into search_fts (search_fts) values ('rebuild')`.execute(db);
	await sql
		.raw(
			`create trigger search_document_fts_insert after insert on search_document begin
				insert into search_fts (rowid, ${list}) values (new.id, ${fromNew});
			end`
		)
		.execute(db);
	await sql
		.raw(
			`create trigger search_document_fts_delete after delete on search_document begin
				insert into search_fts (search_fts, rowid, ${list}) values ('delete', old.id, ${fromOld});
			end`
		)
		.execute(db);
	// Only when the text changed: rewriting a document as it was (every change to an event
	// rewrites its document) then leaves the full-text index alone.
	const changed = columns.map((column) => `old.${column} is not new.${column}`).join(' or ');
	await sql
		.raw(
			`create trigger search_document_fts_update after update of ${list} on search_document
			when ${changed} begin
				insert into search_fts (search_fts, rowid, ${list}) values ('delete', old.id, ${fromOld});
				insert into search_fts (rowid, ${list}) values (new.id, ${fromNew});
			end`
		)
		.execute(db);
}

const PG_TEXT_VECTOR = `setweight(to_tsvector('colab_search'::regconfig, translate(title, '<>/', '   ')), 'A') ||
	setweight(to_tsvector('colab_search'::regconfig, translate(body, '<>/', '   ')), 'B')`;

export async function up(db: Kysely<any>): Promise<void> {
	const postgres = types(db).postgres;
	// (SQLite's update trigger watches title and body only, so filling facets leaves the text
	// index alone until it is rebuilt below.)
	await db.schema
		.alterTable('search_document')
		.addColumn('facets', 'text', (c) => c.notNull().defaultTo(''))
		.execute();
	await fillFacets(db);
	await db.schema.dropIndex('search_document_visibility_idx').ifExists().execute();
	if (!postgres) {
		await recreateSqliteIndex(db, SQLITE_FTS_COLUMNS);
		return;
	}
	await sql`drop index if exists search_document_title_vector_idx`.execute(db);
	await sql`alter table search_document drop column search_vector`.execute(db);
	await sql
		.raw(
			`alter table search_document
			add column search_vector tsvector generated always as (
				${PG_TEXT_VECTOR} ||
				case when facets = '' then ''::tsvector
					else array_to_tsvector(string_to_array('#' || replace(facets, ' ', ' #'), ' ')) end
			) stored,
			add column title_vector tsvector generated always as (
				to_tsvector('colab_search'::regconfig, translate(title, '<>/', '   '))
			) stored`
		)
		.execute(db);
	await sql`create index search_document_vector_idx on search_document using gin (search_vector)`.execute(
		db
	);
	await sql`create index search_document_title_vector_idx on search_document using gin (title_vector)`.execute(
		db
	);
	await sql`analyze search_document`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	const postgres = types(db).postgres;
	if (postgres) {
		await sql`drop index if exists search_document_title_vector_idx`.execute(db);
		await sql`alter table search_document drop column title_vector`.execute(db);
		await sql`alter table search_document drop column search_vector`.execute(db);
		await sql
			.raw(
				`alter table search_document
				add column search_vector tsvector generated always as (${PG_TEXT_VECTOR}) stored`
			)
			.execute(db);
		await sql`create index search_document_vector_idx on search_document using gin (search_vector)`.execute(
			db
		);
		await sql`
			create index search_document_title_vector_idx on search_document
			using gin (to_tsvector('colab_search'::regconfig, translate(title, '<>/', '   ')))`.execute(db);
	} else {
		await recreateSqliteIndex(db, ['title', 'body']);
	}
	await db.schema
		.createIndex('search_document_visibility_idx')
		.on('search_document')
		.columns(['visibility', 'kind'])
		.execute();
	await db.schema.alterTable('search_document').dropColumn('facets').execute();
}
