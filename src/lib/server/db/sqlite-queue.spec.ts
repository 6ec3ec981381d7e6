import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from './database';
import { WaitingLine } from './sqlite-queue';

describe('the line for SQLite’s connection', () => {
	it('lets one in at a time, first come first served', async () => {
		const line = new WaitingLine();
		const order: number[] = [];
		await line.enter();
		const entered = [1, 2, 3].map((n) => line.enter().then(() => order.push(n)));
		expect(line.waiting).toBe(3);
		for (let i = 0; i < 3; i++) {
			line.leave();
			await new Promise((resolve) => setImmediate(resolve));
			expect(order).toHaveLength(i + 1);
		}
		await Promise.all(entered);
		expect(order).toEqual([1, 2, 3]);
		line.leave();
		// Free again: the next one walks straight in.
		await line.enter();
		expect(line.waiting).toBe(0);
	});

	it('gives the rest of the server a turn before the next caller goes in', async () => {
		const line = new WaitingLine();
		await line.enter();
		const order: string[] = [];
		const next = line.enter().then(() => order.push('the next caller'));
		// Stands for a socket with a request to read, or a finished page to send.
		setImmediate(() => order.push('other work'));
		line.leave();
		await next;
		expect(order).toEqual(['other work', 'the next caller']);
	});
});

describe('SQLite through the line', () => {
	let database: Database | undefined;
	afterEach(async () => {
		await database?.close();
		database = undefined;
	});

	it('keeps transactions whole while many queries wait, and answers every query', async () => {
		database = openDatabase({ sqlitePath: ':memory:' });
		const db = database.db;
		await sql`create table counter (n integer not null)`.execute(db);
		await sql`insert into counter (n) values (0)`.execute(db);

		// Each transaction reads, waits a tick, then writes: interleaving would lose increments.
		const increments = Array.from({ length: 20 }, () =>
			db.transaction().execute(async (trx) => {
				const { rows } = await sql<{ n: number }>`select n from counter`.execute(trx);
				await new Promise((resolve) => setImmediate(resolve));
				await sql`update counter set n = ${rows[0]!.n + 1}`.execute(trx);
			})
		);
		const reads = Array.from({ length: 200 }, () =>
			sql<{ n: number }>`select n from counter`.execute(db)
		);
		const failing = db.transaction().execute(async (trx) => {
			await sql`update counter set n = -1000`.execute(trx);
			throw new Error('changed my mind');
		});

		await Promise.all(increments);
		await expect(failing).rejects.toThrow('changed my mind');
		const seen = (await Promise.all(reads)).map((r) => r.rows[0]!.n);
		expect(seen.every((n) => n >= 0 && n <= 20)).toBe(true);
		const { rows } = await sql<{ n: number }>`select n from counter`.execute(db);
		expect(rows[0]!.n).toBe(20);
	});

	it('lets other work run while queries wait, not only once the line is empty', async () => {
		database = openDatabase({ sqlitePath: ':memory:' });
		const db = database.db;
		let answered = 0;
		const queries = Array.from({ length: 100 }, () =>
			sql`select 1`.execute(db).then(() => answered++)
		);
		// Stands for a request waiting to be read while the line is long.
		const answeredWhenItRan = await new Promise<number>((resolve) =>
			setImmediate(() => resolve(answered))
		);
		await Promise.all(queries);
		expect(answered).toBe(100);
		expect(answeredWhenItRan).toBeLessThan(10);
	});
});

describe('SQLite shared with another process', () => {
	let database: Database | undefined;
	let folder: string | undefined;
	let other: Worker | undefined;
	afterEach(async () => {
		await other?.terminate();
		await database?.close();
		if (folder) fs.rmSync(folder, { recursive: true, force: true });
		database = other = folder = undefined;
	});

	/**
	 * Another instance on the same file, in its own thread with its own connection (as a second
	 * process has), waiting up to 5 s for the write lock as ours does. It writes when told to.
	 */
	function otherInstance(file: string) {
		const driver = createRequire(import.meta.url).resolve('better-sqlite3');
		const worker = new Worker(
			`const { parentPort, workerData } = require('node:worker_threads');
			const SQLite = require(workerData.driver);
			const db = new SQLite(workerData.file);
			db.pragma('busy_timeout = 5000');
			parentPort.on('message', () => {
				try {
					db.prepare('insert into person (name) values (?)').run('from the other instance');
					parentPort.postMessage('written');
				} catch (failure) {
					parentPort.postMessage('failed: ' + failure.message);
				}
			});
			parentPort.postMessage('ready');`,
			{ eval: true, workerData: { file, driver } }
		);
		const messages: string[] = [];
		const waiters: Array<() => void> = [];
		worker.on('message', (message: string) => {
			messages.push(message);
			waiters.splice(0).forEach((wake) => wake());
		});
		/** The next message, or undefined if none comes within `ms`. */
		const next = async (ms: number): Promise<string | undefined> => {
			if (!messages.length)
				await new Promise<void>((resolve) => {
					waiters.push(resolve);
					setTimeout(resolve, ms);
				});
			return messages.shift();
		};
		return { worker, next };
	}

	it('a transaction that reads, then writes, is not failed by a write from another process in between', async () => {
		folder = fs.mkdtempSync(path.join(os.tmpdir(), 'colab-sqlite-shared-'));
		const file = path.join(folder, 'colab.db');
		database = openDatabase({ sqlitePath: file });
		const db = database.db;
		await sql`create table person (id integer primary key, name text not null)`.execute(db);
		await sql`insert into person (name) values ('first')`.execute(db);
		const instance = otherInstance(file);
		other = instance.worker;
		expect(await instance.next(10_000)).toBe('ready');

		let otherWroteInside: string | undefined;
		await db.transaction().execute(async (trx) => {
			const { rows } = await sql<{ n: number }>`select count(*) as n from person`.execute(trx);
			// The other instance writes now. With a plain `begin` its write lands at once and ours
			// below fails with SQLITE_BUSY; with `begin immediate` it waits for our commit.
			other!.postMessage('write');
			otherWroteInside = await instance.next(300);
			await sql`insert into person (name) values (${`after ${rows[0]!.n}`})`.execute(trx);
		});
		expect(otherWroteInside).toBeUndefined();
		expect(await instance.next(10_000)).toBe('written');
		const { rows } = await sql<{ name: string }>`select name from person order by id`.execute(db);
		expect(rows.map((r) => r.name)).toEqual(['first', 'after 1', 'from the other instance']);
	});
});
