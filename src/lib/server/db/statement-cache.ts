import type { Database as SqliteHandle, Statement } from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/** How many statements `cachingStatements` keeps by default: every query the app writes, with room. */
export const DEFAULT_STATEMENT_CACHE_SIZE = 500;

/** The better-sqlite3 handle Kysely's SqliteDialect uses, with prepared statements kept. */
export interface CachingSqliteDatabase extends SqliteDatabase {
	/** How many statements are kept now (for specs and diagnostics). */
	readonly cachedStatements: number;
}

/**
 * Wraps a better-sqlite3 handle for Kysely's SqliteDialect so that each SQL text is prepared
 * once and then reused. Kysely's driver calls `prepare(sql)` for every query, and preparing
 * (parsing and planning the SQL) costs more than running a small indexed query.
 *
 * Safe to reuse because:
 * - a statement is not tied to a transaction: `all()` and `run()` step it to the end and reset
 *   it, also when it fails, so the next use starts clean inside or outside any transaction;
 * - SQLite re-plans a kept statement by itself after a schema change (a migration);
 * - a statement being streamed (`iterate()`, Kysely's `.stream()`) is busy until the stream
 *   ends: a query with the same SQL in the meantime gets a fresh, uncached statement;
 * - Kysely never switches a statement to raw, pluck or expand mode or binds by name, so one
 *   user cannot leave it in a state another does not expect.
 *
 * At most `maxSize` statements are kept; the least recently used one goes first, so queries
 * built with a varying number of parameters (`in (?, ?, …)`) cannot grow it without bound.
 */
export function cachingStatements(
	sqlite: SqliteHandle,
	maxSize = DEFAULT_STATEMENT_CACHE_SIZE
): CachingSqliteDatabase {
	if (!Number.isInteger(maxSize) || maxSize < 1) throw new Error('maxSize must be at least 1');
	// A Map iterates in insertion order: re-inserting on use keeps the oldest first.
	const statements = new Map<string, Statement>();
	return {
		prepare(sql: string): Statement {
			const kept = statements.get(sql);
			if (kept) {
				if (kept.busy) return sqlite.prepare(sql);
				if (statements.size > 1) {
					statements.delete(sql);
					statements.set(sql, kept);
				}
				return kept;
			}
			const statement = sqlite.prepare(sql);
			statements.set(sql, statement);
			if (statements.size > maxSize) {
				const oldest = statements.keys().next().value as string;
				statements.delete(oldest);
			}
			return statement;
		},
		close(): void {
			statements.clear();
			sqlite.close();
		},
		get cachedStatements() {
			return statements.size;
		}
	};
}
