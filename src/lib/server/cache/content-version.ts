import pg from 'pg';
import { sql, type Kysely, type Transaction } from 'kysely';
import { isPostgres, type Database } from '../db/database';
import type { DB } from '../db/schema';
import { logger } from '../logger';
import { pageCache, type PageCache } from './page-cache';

const CHANNEL = 'colab_content';

/**
 * Records, inside the caller's transaction, that public content changed. Every app instance
 * sees the new version (PostgreSQL also sends a NOTIFY, delivered when the transaction commits)
 * and drops its cached pages.
 */
export async function markContentChanged(trx: Kysely<DB> | Transaction<DB>): Promise<void> {
	await trx
		.updateTable('content_version')
		.set((eb) => ({ version: eb('version', '+', 1) }))
		.where('id', '=', 1)
		.execute();
	if (isPostgres(trx)) {
		await sql`select pg_notify(${CHANNEL}, '')`.execute(trx);
	}
}

/**
 * Runs a write that changes what visitors see: one transaction, the content version bumped in
 * it, and this instance's page cache emptied as soon as it commits.
 */
export async function changeContent<T>(
	db: Kysely<DB>,
	write: (trx: Transaction<DB>) => Promise<T>
): Promise<T> {
	const result = await db.transaction().execute(async (trx) => {
		const value = await write(trx);
		await markContentChanged(trx);
		return value;
	});
	pageCache().invalidate();
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

/**
 * Keeps this instance's cache in step with writes made by other instances. Polls the version
 * (every `pollMs`) on both engines; on PostgreSQL also LISTENs so changes arrive in
 * milliseconds. Returns a function that stops watching.
 */
export async function watchContentVersion(
	database: Database,
	cache: PageCache = pageCache(),
	pollMs = 500
): Promise<() => Promise<void>> {
	let seen = await readContentVersion(database.db);
	let stopped = false;
	let listener: pg.Client | undefined;
	let retry: NodeJS.Timeout | undefined;

	const poll = setInterval(() => {
		readContentVersion(database.db).then(
			(version) => {
				if (version !== seen) {
					seen = version;
					cache.invalidate();
				}
			},
			(error: unknown) => logger.warn({ err: error }, 'content version poll failed')
		);
	}, pollMs);
	poll.unref();

	async function listen(): Promise<void> {
		if (stopped || !database.connectionString) return;
		const client = new pg.Client({ connectionString: database.connectionString });
		client.on('notification', () => cache.invalidate());
		client.on('error', (error) => {
			logger.warn({ err: error }, 'content listener lost its connection; reconnecting');
			client.end().catch(() => {});
			if (listener === client) listener = undefined;
			// Anything may have changed while we were not listening.
			cache.invalidate();
			retry = setTimeout(() => void listen().catch(() => {}), 1000);
			retry.unref();
		});
		await client.connect();
		await client.query(`LISTEN ${CHANNEL}`);
		listener = client;
	}
	if (database.dialect === 'postgres') await listen();

	return async () => {
		stopped = true;
		clearInterval(poll);
		if (retry) clearTimeout(retry);
		await listener?.end().catch(() => {});
	};
}
