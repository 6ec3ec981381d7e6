import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * One findable thing, written by the feature that owns it (see search.registry.ts). On
 * PostgreSQL the table also has a generated `search_vector`; on SQLite the FTS5 table
 * `search_fts` follows it by triggers. Neither is written or read through these types.
 */
export interface SearchDocumentTable {
	id: Generated<number>;
	kind: string;
	doc_id: string;
	title: string;
	/** Plain text: no Markdown, no HTML. */
	body: string;
	type: string | null;
	/** Space-separated theme keys. */
	themes: Generated<string>;
	format: string | null;
	starts_at: string | null;
	organisation_id: string | null;
	/** 'public' | 'members' | an audience key (e.g. 'team:<id>'). */
	visibility: string;
	/** Where the result links to, e.g. '/events/<slug>'. */
	path: string;
	/** Not shown before this moment (a scheduled post); null: shown as soon as written. */
	visible_from: string | null;
	updated_at: string;
	/** Facet words for the index (search.facets.ts), written with the document. */
	facets: Generated<string>;
}

export type SearchDocumentRow = Selectable<SearchDocumentTable>;
export type NewSearchDocumentRow = Insertable<SearchDocumentTable>;
export type SearchDocumentRowUpdate = Updateable<SearchDocumentTable>;

export interface SearchTables {
	search_document: SearchDocumentTable;
}
