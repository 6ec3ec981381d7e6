import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema';

/**
 * Every row of every table, as one string: to prove nothing about a person (or no secret) is
 * left anywhere, as someone reading the database or a backup of it would find it.
 */
export async function wholeDatabase(db: Kysely<DB>): Promise<string> {
	const tables = await db.introspection.getTables();
	const dump: Record<string, unknown[]> = {};
	for (const table of tables) {
		if (table.name.startsWith('kysely_')) continue;
		dump[table.name] = (await sql`select * from ${sql.table(table.name)}`.execute(db)).rows;
	}
	return JSON.stringify(dump);
}
