import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema';

/**
 * Counts one attempt against `key` in a fixed window and returns the count after it, in one
 * statement: an upsert that starts a new window when the old one has ended. PostgreSQL locks
 * the row for the update and SQLite has a single writer, so parallel attempts on several app
 * instances are all counted and never lost to a read-then-write race.
 */
export async function countAttempt(
	db: Kysely<DB> | Transaction<DB>,
	key: string,
	now: Date,
	windowSeconds: number
): Promise<{ count: number; windowStartedAt: string }> {
	const nowIso = now.toISOString();
	const windowEndedBefore = new Date(now.getTime() - windowSeconds * 1000).toISOString();
	const expired = sql<boolean>`rate_limit.window_started_at <= ${windowEndedBefore}`;
	const row = await db
		.insertInto('rate_limit')
		.values({ key, count: 1, window_started_at: nowIso })
		.onConflict((oc) =>
			oc.column('key').doUpdateSet({
				count: sql<number>`case when ${expired} then 1 else rate_limit.count + 1 end`,
				window_started_at: sql<string>`case when ${expired} then ${nowIso} else rate_limit.window_started_at end`
			})
		)
		.returning(['count', 'window_started_at'])
		.executeTakeFirstOrThrow();
	return { count: Number(row.count), windowStartedAt: row.window_started_at };
}

/** Deletes windows that ended before `before`; returns how many went. */
export async function deleteRateLimitsBefore(
	db: Kysely<DB> | Transaction<DB>,
	before: Date
): Promise<number> {
	const result = await db
		.deleteFrom('rate_limit')
		.where('window_started_at', '<', before.toISOString())
		.executeTakeFirst();
	return Number(result.numDeletedRows);
}

/** Forgets every attempt counted against `key` (e.g. in tests, or after a successful reset). */
export async function deleteRateLimit(
	db: Kysely<DB> | Transaction<DB>,
	key: string
): Promise<void> {
	await db.deleteFrom('rate_limit').where('key', '=', key).execute();
}
