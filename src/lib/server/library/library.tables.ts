import type { Insertable, Selectable } from 'kysely';

/** The three lists of words the library's case studies, pilots and champions choose from. */
export type LibraryTagKind = 'service-area' | 'benefit' | 'barrier';
/** A retired word stays on what was tagged with it, but is no longer offered. */
export type LibraryTagStatus = 'active' | 'retired';

export interface LibraryTagTable {
	/** '<kind>:<slug>' for the words the migration seeded; a new id for words curators add. */
	id: string;
	kind: LibraryTagKind;
	slug: string;
	label: string;
	status: LibraryTagStatus;
	position: number;
	created_at: string;
}

export type LibraryTag = Selectable<LibraryTagTable>;
export type NewLibraryTag = Insertable<LibraryTagTable>;

export interface LibraryTables {
	library_tag: LibraryTagTable;
}
