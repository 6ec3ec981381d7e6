import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../db/database';

/** A column that points at a person, found in the live schema. */
export interface PersonReference {
	table: string;
	column: string;
	/** How it was found: a foreign key to app_user, or its name. */
	why: 'foreign key' | 'name';
}

/** Column names that point at a person by convention, with or without a foreign key. */
export const PERSON_COLUMN_NAME = /(^|_)user_id$|_by$|^actor_id$/;

/** Columns named like a person that hold no one: a mail claim names a sender process, not a person. */
const NOT_A_PERSON = new Set(['mail_outbox.claimed_by']);

const IGNORED_TABLES = new Set(['kysely_migration', 'kysely_migration_lock']);

/**
 * Every column in the database that points at a person: foreign keys to app_user, and columns
 * named `…user_id`, `…_by` or `actor_id`. Reads the live schema (SQLite's pragmas or
 * PostgreSQL's information_schema), so a table added by any migration is seen.
 */
export async function findPersonReferences(db: Kysely<any>): Promise<PersonReference[]> {
	let foreignKeys: Array<{ table_name: string; column_name: string }>;
	let columns: Array<{ table_name: string; column_name: string }>;
	if (isPostgres(db)) {
		foreignKeys = (
			await sql<{ table_name: string; column_name: string }>`
				select kcu.table_name, kcu.column_name
				from information_schema.table_constraints tc
				join information_schema.key_column_usage kcu
					on kcu.constraint_name = tc.constraint_name and kcu.table_schema = tc.table_schema
				join information_schema.constraint_column_usage ccu
					on ccu.constraint_name = tc.constraint_name and ccu.table_schema = tc.table_schema
				where tc.constraint_type = 'FOREIGN KEY'
					and tc.table_schema = current_schema()
					and ccu.table_name = 'app_user'`.execute(db)
		).rows;
		columns = (
			await sql<{ table_name: string; column_name: string }>`
				select c.table_name, c.column_name
				from information_schema.columns c
				join information_schema.tables t
					on t.table_name = c.table_name and t.table_schema = c.table_schema
				where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'`.execute(db)
		).rows;
	} else {
		foreignKeys = (
			await sql<{ table_name: string; column_name: string }>`
				select m.name as table_name, f."from" as column_name
				from sqlite_master m join pragma_foreign_key_list(m.name) f
				where m.type = 'table' and f."table" = 'app_user'`.execute(db)
		).rows;
		columns = (
			await sql<{ table_name: string; column_name: string }>`
				select m.name as table_name, p.name as column_name
				from sqlite_master m join pragma_table_info(m.name) p
				where m.type = 'table' and m.name not like 'sqlite_%'`.execute(db)
		).rows;
	}

	const found = new Map<string, PersonReference>();
	for (const fk of foreignKeys) {
		const key = `${fk.table_name}.${fk.column_name}`;
		found.set(key, { table: fk.table_name, column: fk.column_name, why: 'foreign key' });
	}
	for (const c of columns) {
		const key = `${c.table_name}.${c.column_name}`;
		if (PERSON_COLUMN_NAME.test(c.column_name) && !found.has(key) && !NOT_A_PERSON.has(key)) {
			found.set(key, { table: c.table_name, column: c.column_name, why: 'name' });
		}
	}
	return [...found.values()]
		.filter((r) => !IGNORED_TABLES.has(r.table))
		.sort((a, b) => `${a.table}.${a.column}`.localeCompare(`${b.table}.${b.column}`));
}

/**
 * The references no registration covers, as "table.column (why)". Empty when every table
 * that points at a person says what happens to its rows.
 */
export function unregisteredReferences(
	references: PersonReference[],
	registrations: ReadonlyArray<{ table: string; personColumns: readonly string[] }>
): string[] {
	return references
		.filter(
			(r) => !registrations.some((g) => g.table === r.table && g.personColumns.includes(r.column))
		)
		.map((r) => `${r.table}.${r.column} (${r.why})`);
}
