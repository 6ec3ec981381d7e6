import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema';
import type { Role } from '../auth/auth.types';

type Db = Kysely<DB> | Transaction<DB>;

/** One row of the people list: enough to recognise someone and change their role. */
export interface PersonRow {
	id: string;
	name: string;
	email: string;
	role: string;
	email_verified: boolean | number;
	created_at: string;
}

/** `text` for a LIKE pattern that matches it literally anywhere (\ escapes % and _). */
export function containsPattern(text: string): string {
	return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * People ordered by name (then id, so pages never overlap), optionally only one role and only
 * names or emails containing `search`. Two queries: the page and the count. The role filter
 * and the order use app_user_role_idx (role, name) or app_user_name_idx (name); a search has
 * to read every name, which is fine for the tens of thousands of people an instance has.
 */
export async function findPeople(
	db: Db,
	options: { limit: number; offset: number; search?: string; role?: Role }
): Promise<{ rows: PersonRow[]; total: number }> {
	let query = db.selectFrom('app_user');
	if (options.role) query = query.where('role', '=', options.role);
	if (options.search) {
		const pattern = containsPattern(options.search);
		query = query.where((eb) =>
			eb.or([
				eb(sql`lower(name)`, 'like', sql`${pattern} escape '\\'`),
				eb(sql`lower(email)`, 'like', sql`${pattern} escape '\\'`)
			])
		);
	}
	const [rows, count] = await Promise.all([
		query
			.select(['id', 'name', 'email', 'role', 'email_verified', 'created_at'])
			.orderBy('name')
			.orderBy('id')
			.limit(options.limit)
			.offset(options.offset)
			.execute(),
		query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
	]);
	return { rows, total: Number(count.n) };
}

export async function findPerson(db: Db, id: string): Promise<PersonRow | undefined> {
	return db
		.selectFrom('app_user')
		.select(['id', 'name', 'email', 'role', 'email_verified', 'created_at'])
		.where('id', '=', id)
		.executeTakeFirst();
}

/** How many people hold each role (one grouped query over app_user_role_idx). */
export async function countByRole(db: Db): Promise<Array<{ role: string; n: number }>> {
	const rows = await db
		.selectFrom('app_user')
		.select(['role', (eb) => eb.fn.countAll<number>().as('n')])
		.groupBy('role')
		.execute();
	return rows.map((r) => ({ role: r.role, n: Number(r.n) }));
}
