import { sql, type Kysely, type Transaction } from 'kysely';
import { isPostgres, type Database } from '../db/database';
import { listenForNotifications } from '../db/listen';
import type { DB } from '../db/schema';
import { logger } from '../logger';
import { pageCache, type PageCache } from './page-cache';

/** The PostgreSQL channel that carries "public content changed" between app instances. */
export const CONTENT_CHANNEL = 'colab_content';

/**
 * Records, inside the caller's transaction, that public content changed. Every app instance
 * sees the new version and drops its cached pages: on PostgreSQL through a NOTIFY (delivered
 * only if and when the transaction commits), and on both engines through polling.
 */
export async function markContentChanged(trx: Kysely<DB> | Transaction<DB>): Promise<void> {
	const row = await trx
		.updateTable('content_version')
		.set((eb) => ({ version: eb('version', '+', 1) }))
		.where('id', '=', 1)
		.returning('version')
		.executeTakeFirst();
	if (isPostgres(trx)) {
		// The new version travels with the notification, so listeners need not query for it.
		await sql`select pg_notify(${CONTENT_CHANNEL}, ${String(row?.version ?? '')})`.execute(trx);
	}
}

/**
 * Runs a write that changes what visitors see: one transaction, the content version bumped in
 * it, and this instance's page cache emptied as soon as it commits.
 */
export async function changeContent<T>(
	db: Kysely<DB>,
	write: (trx: Transaction<DB>) => Promise<T>,
	cache: PageCache = pageCache()
): Promise<T> {
	const result = await db.transaction().execute(async (trx) => {
		const value = await write(trx);
		await markContentChanged(trx);
		return value;
	});
	cache.invalidate();
	return result;
}

export async function readContentVersion(db: Kysely<DB>): Promise<number> {
	const row = await db
		.selectFrom('content_version')
		.select('version')
		.where('id', '=', 1)
		.executeTakeFirst();
	return Number(row?.version ?? 0);
}

export interface WatchOptions {
	/** How often to read the version, in ms (both engines). */
	pollMs?: number;
	/** How long to wait before listening again after the LISTEN connection drops, in ms. */
	reconnectMs?: number;
}

/**
 * Keeps this instance's cache in step with writes made by other instances (or by the CLI).
 * Polls the version every `pollMs` on both engines; on PostgreSQL also LISTENs, so changes
 * arrive in milliseconds, and reconnects when that connection drops (emptying the cache, since
 * anything may have changed meanwhile). Returns a function that stops watching.
 */
export async function watchContentVersion(
	database: Database,
	cache: PageCache = pageCache(),
	options: WatchOptions = {}
): Promise<() => Promise<void>> {
	const pollMs = options.pollMs ?? 500;
	const reconnectMs = options.reconnectMs ?? 1000;
	let seen = await readContentVersion(database.db);

	function saw(version: number): void {
		if (version === seen) return;
		seen = version;
		cache.invalidate();
	}

	let polling = false;
	const poll = setInterval(() => {
		if (polling) return;
		polling = true;
		readContentVersion(database.db)
			.then(saw, (error: unknown) => logger.warn({ err: error }, 'content version poll failed'))
			.finally(() => (polling = false));
	}, pollMs);
	poll.unref();

	let stopListening: (() => Promise<void>) | undefined;
	if (database.dialect === 'postgres' && database.connectionString) {
		stopListening = await listenForNotifications(
			database.connectionString,
			CONTENT_CHANNEL,
			{
				onNotification(payload) {
					const version = Number(payload);
					if (!payload || !Number.isFinite(version)) cache.invalidate();
					// Notifications arrive in commit order; an older one than the last version seen
					// by polling has already been dealt with.
					else if (version > seen) saw(version);
				},
				// Anything may have changed while we were not listening.
				onLost: () => cache.invalidate()
			},
			{ applicationName: 'colab-content', reconnectMs }
		);
	}

	return async () => {
		clearInterval(poll);
		await stopListening?.();
	};
}
