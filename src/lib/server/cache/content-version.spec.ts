import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { openDatabase, type Database } from '../db/database';
import type { DB } from '../db/schema';
import { migrateToLatest } from '../db/migrate';
import { describeEachDatabase } from '../testing/databases';
import {
	changeContent,
	markContentChanged,
	readContentVersion,
	watchContentVersion
} from './content-version';
import { PageCache } from './page-cache';

function cacheWithPage(): PageCache {
	const cache = new PageCache();
	cache.store('/', cache.generation, {
		status: 200,
		headers: [['content-type', 'text/html']],
		body: Buffer.from('<p>old</p>')
	});
	return cache;
}

/**
 * Watches for `cache` to be invalidated from now on. `settled(withinMs)` resolves with the ms
 * from `start()` to the invalidation, or rejects when it has not happened within `withinMs`.
 * (The generation is read before the write, so a notification that arrives while the write
 * is still returning is not missed.)
 */
function expectInvalidation(cache: PageCache) {
	const generation = cache.generation;
	const since = performance.now();
	return {
		async settled(withinMs: number): Promise<number> {
			for (;;) {
				if (cache.generation !== generation) return performance.now() - since;
				if (performance.now() - since > withinMs)
					throw new Error(`cache not invalidated within ${withinMs} ms`);
				await new Promise((resolve) => setTimeout(resolve, 2));
			}
		}
	};
}

/** A stand-in for public content: one row of instance_setting. */
async function writeSetting(db: Kysely<DB>, key: string, value: string): Promise<void> {
	await db
		.insertInto('instance_setting')
		.values({ key, value })
		.onConflict((oc) => oc.column('key').doUpdateSet({ value }))
		.execute();
}

async function readSetting(db: Kysely<DB>, key: string): Promise<string | undefined> {
	const row = await db
		.selectFrom('instance_setting')
		.select('value')
		.where('key', '=', key)
		.executeTakeFirst();
	return row?.value;
}

async function sleep(ms: number): Promise<void> {
	await new Promise((resolve) => setTimeout(resolve, ms));
}

describeEachDatabase('content version across app instances', (ctx) => {
	// Two connections to one database, as two app instances have. SQLite's test database lives
	// in memory, which a second connection cannot see, so SQLite gets a file of its own here.
	let writer: Database;
	let reader: Database;
	let sqliteDir: string | undefined;
	const stops: Array<() => Promise<void>> = [];

	beforeAll(async () => {
		if (ctx.dialect === 'postgres') {
			writer = ctx.database;
			reader = openDatabase({ databaseUrl: ctx.database.connectionString });
		} else {
			sqliteDir = fs.mkdtempSync(path.join(os.tmpdir(), 'colab-content-'));
			const file = path.join(sqliteDir, 'colab.sqlite');
			writer = openDatabase({ sqlitePath: file });
			await migrateToLatest(writer.db);
			reader = openDatabase({ sqlitePath: file });
		}
	});

	afterAll(async () => {
		for (const stop of stops.splice(0)) await stop();
		await reader?.close();
		if (writer !== ctx.database) await writer?.close();
		if (sqliteDir) fs.rmSync(sqliteDir, { recursive: true, force: true });
	});

	beforeEach(async () => {
		for (const stop of stops.splice(0)) await stop();
	});

	async function watch(database: Database, cache: PageCache, pollMs?: number): Promise<void> {
		stops.push(await watchContentVersion(database, cache, { pollMs }));
	}

	it('changeContent commits the write, bumps the version and empties this instance at once', async () => {
		const local = cacheWithPage();
		const before = await readContentVersion(writer.db);
		const value = await changeContent(
			writer.db,
			async (trx) => {
				await writeSetting(trx, 'content.test', 'new');
				return 'done';
			},
			local
		);
		expect(value).toBe('done');
		expect(await readSetting(reader.db, 'content.test')).toBe('new');
		expect(await readContentVersion(reader.db)).toBe(before + 1);
		expect(local.size).toBe(0);
	});

	it('a change committed by one instance empties the other instance’s cache within a second', async () => {
		const remote = cacheWithPage();
		await watch(reader, remote);
		const invalidated = expectInvalidation(remote);
		await changeContent(
			writer.db,
			(trx) => writeSetting(trx, 'content.test', 'again'),
			new PageCache()
		);
		const ms = await invalidated.settled(1000);
		expect(ms).toBeLessThan(1000);
		expect(remote.get('/')).toBeUndefined();
	});

	it('markContentChanged inside a caller’s own transaction reaches the other instance too', async () => {
		const remote = cacheWithPage();
		await watch(reader, remote);
		const invalidated = expectInvalidation(remote);
		await writer.db.transaction().execute(async (trx) => {
			await writeSetting(trx, 'content.test', 'by hand');
			await markContentChanged(trx);
		});
		expect(await invalidated.settled(1000)).toBeLessThan(1000);
	});

	it('a rolled-back change invalidates nothing, here or elsewhere', async () => {
		const remote = cacheWithPage();
		const local = cacheWithPage();
		await watch(reader, remote);
		const before = await readContentVersion(writer.db);
		await expect(
			changeContent(
				writer.db,
				async (trx) => {
					await writeSetting(trx, 'content.test', 'never');
					throw new Error('the write failed');
				},
				local
			)
		).rejects.toThrow('the write failed');
		// Longer than two polls, and far longer than a NOTIFY takes.
		await sleep(1200);
		expect(await readContentVersion(reader.db)).toBe(before);
		expect(await readSetting(reader.db, 'content.test')).not.toBe('never');
		expect(remote.get('/')?.body.toString()).toBe('<p>old</p>');
		expect(local.get('/')?.body.toString()).toBe('<p>old</p>');
	});

	it.runIf(ctx.dialect === 'postgres')(
		'on PostgreSQL, LISTEN/NOTIFY delivers a change in well under a second (no polling)',
		async () => {
			const remote = new PageCache();
			// Polling once a minute: only the notification can be fast enough.
			await watch(reader, remote, 60_000);
			const timings: number[] = [];
			for (let i = 0; i < 10; i++) {
				const invalidated = expectInvalidation(remote);
				await changeContent(writer.db, async () => {}, new PageCache());
				timings.push(await invalidated.settled(1000));
			}
			timings.sort((a, b) => a - b);
			const median = timings[Math.floor(timings.length / 2)] ?? NaN;
			const worst = timings[timings.length - 1] ?? NaN;
			console.log(
				`LISTEN/NOTIFY: from the start of a write to the other instance's cache being emptied: median ${median.toFixed(1)} ms, worst ${worst.toFixed(1)} ms (10 changes)`
			);
			expect(worst).toBeLessThan(250);
		}
	);

	it.runIf(ctx.dialect === 'postgres')(
		'on PostgreSQL, the listener reconnects after losing its connection and empties the cache meanwhile',
		async () => {
			const remote = cacheWithPage();
			stops.push(await watchContentVersion(reader, remote, { pollMs: 60_000, reconnectMs: 100 }));
			const lost = expectInvalidation(remote);
			await sql`select pg_terminate_backend(pid) from pg_stat_activity
				where application_name = 'colab-content' and datname = current_database()`.execute(writer.db);
			// Losing the connection empties the cache: changes may have been missed.
			await lost.settled(2000);
			// Once listening again, changes arrive by notification as before.
			const deadline = performance.now() + 5000;
			let listening = false;
			while (!listening && performance.now() < deadline) {
				const rows = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
					where application_name = 'colab-content' and datname = current_database()
					and query ilike 'LISTEN%'`.execute(writer.db);
				listening = (rows.rows[0]?.n ?? 0) > 0;
				if (!listening) await sleep(20);
			}
			expect(listening).toBe(true);
			const invalidated = expectInvalidation(remote);
			await changeContent(writer.db, async () => {}, new PageCache());
			expect(await invalidated.settled(500)).toBeLessThan(500);
		}
	);
});
