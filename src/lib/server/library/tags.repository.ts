import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import type { LibraryTag, LibraryTagKind, LibraryTagStatus } from './library.tables';

type Db = Kysely<DB> | Transaction<DB>;

/** The library's words, in each list's order. One indexed query. */
export async function listTags(
	db: Db,
	options: { kinds?: LibraryTagKind[]; statuses?: LibraryTagStatus[] } = {}
): Promise<LibraryTag[]> {
	let query = db.selectFrom('library_tag').selectAll();
	if (options.kinds?.length) query = query.where('kind', 'in', options.kinds);
	if (options.statuses?.length) query = query.where('status', 'in', options.statuses);
	return query.orderBy('kind').orderBy('position').orderBy('label').execute();
}

/** The words of one kind with these ids, whatever their status. */
export async function tagsByIds(db: Db, ids: string[]): Promise<LibraryTag[]> {
	if (ids.length === 0) return [];
	return db.selectFrom('library_tag').selectAll().where('id', 'in', ids).execute();
}
