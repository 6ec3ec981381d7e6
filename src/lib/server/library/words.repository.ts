import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import type { LibraryTag, LibraryTagKind, LibraryTagStatus, NewLibraryTag } from './library.tables';

type Db = Kysely<DB> | Transaction<DB>;

export async function findTagById(db: Db, id: string): Promise<LibraryTag | undefined> {
	return db.selectFrom('library_tag').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findTagByKindAndSlug(
	db: Db,
	kind: LibraryTagKind,
	slug: string
): Promise<LibraryTag | undefined> {
	return db
		.selectFrom('library_tag')
		.selectAll()
		.where('kind', '=', kind)
		.where('slug', '=', slug)
		.executeTakeFirst();
}

export async function nextTagPosition(db: Db, kind: LibraryTagKind): Promise<number> {
	const row = await db
		.selectFrom('library_tag')
		.select((eb) => eb.fn.max('position').as('last'))
		.where('kind', '=', kind)
		.executeTakeFirst();
	return Number(row?.last ?? -1) + 1;
}

export async function insertTag(db: Db, row: NewLibraryTag): Promise<void> {
	await db.insertInto('library_tag').values(row).execute();
}

export async function setTagStatus(db: Db, id: string, status: LibraryTagStatus): Promise<void> {
	await db.updateTable('library_tag').set({ status }).where('id', '=', id).execute();
}
