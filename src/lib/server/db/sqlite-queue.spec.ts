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
});
