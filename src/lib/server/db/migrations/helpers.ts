import { PostgresAdapter, type Kysely } from 'kysely';

/**
 * Column types that mean the same thing on both engines. Frozen: migrations written against
 * these must keep working, so change a type only by adding a new name.
 *
 * - timestamps are ISO-8601 UTC strings (text on SQLite, timestamptz on PostgreSQL)
 * - flags are integers 0/1 on both, since SQLite has no boolean and better-sqlite3 binds none
 */
export function types(db: Kysely<unknown>) {
	const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
	return {
		postgres,
		timestamp: postgres ? ('timestamptz' as const) : ('text' as const),
		/** Only for tables better-auth writes, which sends real booleans to PostgreSQL. */
		boolean: postgres ? ('boolean' as const) : ('integer' as const),
		serial: postgres ? ('bigserial' as const) : ('integer' as const)
	};
}
