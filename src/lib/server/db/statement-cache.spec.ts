import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql, type Generated } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cachingStatements, type CachingSqliteDatabase } from './statement-cache';

type Tables = { note: { id: Generated<number>; body: string } };

// SQLite only: PostgreSQL has no prepare step in Kysely's driver, so there is nothing to cache.
describe('prepared statement cache (SQLite)', () => {
	let sqlite: SQLite.Database;
	let handle: CachingSqliteDatabase;
	let db: Kysely<Tables>;
	let prepared: string[];

	function open(maxSize?: number) {
		sqlite = new SQLite(':memory:');
		sqlite.exec('create table note (id integer primary key, body text not null unique)');
		prepared = [];
		const prepare = sqlite.prepare.bind(sqlite);
		vi.spyOn(sqlite, 'prepare').mockImplementation((text: string) => {
			prepared.push(text);
			return prepare(text);
		});
		handle = cachingStatements(sqlite, maxSize);
		db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: handle }) });
	}

	beforeEach(() => open());
	afterEach(async () => {
		await db.destroy();
	});

	const insert = (executor: Kysely<Tables>, body: string) =>
		executor.insertInto('note').values({ body }).execute();
	const bodies = async (executor: Kysely<Tables> = db) =>
		(await executor.selectFrom('note').select('body').orderBy('id').execute()).map((r) => r.body);

	it('prepares a query once and reuses it with new parameters', async () => {
		await insert(db, 'one');
		await insert(db, 'two');
		await insert(db, 'three');
		expect(await bodies()).toEqual(['one', 'two', 'three']);
		expect(await bodies()).toEqual(['one', 'two', 'three']);
		expect(prepared.filter((text) => text.startsWith('insert'))).toHaveLength(1);
		expect(prepared.filter((text) => text.startsWith('select'))).toHaveLength(1);
		expect(handle.cachedStatements).toBe(2);
	});

	it('keeps at most maxSize statements, dropping the least recently used', async () => {
		await db.destroy();
		open(2);
		const byId = (id: number) =>
			db
				.selectFrom('note')
				.select('id')
				.where(
					'id',
					'in',
					Array.from({ length: id }, (_, i) => i)
				)
				.execute();
		await byId(1);
		await byId(2);
		await byId(1); // now the most recent
		await byId(3); // drops byId(2)
		expect(handle.cachedStatements).toBe(2);
		expect(prepared).toHaveLength(3);
		await byId(1);
		expect(prepared).toHaveLength(3);
		await byId(2);
		expect(prepared).toHaveLength(4);
		expect(handle.cachedStatements).toBe(2);
	});

	it('refuses a size below one', () => {
		expect(() => cachingStatements(sqlite, 0)).toThrow(/at least 1/);
	});

	it('rolls back and commits transactions with reused statements', async () => {
		await insert(db, 'before');
		await expect(
			db.transaction().execute(async (trx) => {
				await insert(trx, 'inside');
				expect(await bodies(trx)).toEqual(['before', 'inside']);
				throw new Error('roll back');
			})
		).rejects.toThrow('roll back');
		expect(await bodies()).toEqual(['before']);

		await db.transaction().execute(async (trx) => {
			await insert(trx, 'kept');
		});
		expect(await bodies()).toEqual(['before', 'kept']);
		// Same insert, same select, and begin/commit/rollback each prepared once.
		expect(prepared.filter((text) => text.startsWith('insert'))).toHaveLength(1);
		expect(prepared.filter((text) => text === 'begin')).toHaveLength(1);
	});

	it('rolls back to a savepoint with reused statements', async () => {
		const trx = await db.startTransaction().execute();
		await insert(trx, 'a');
		const inner = await trx.savepoint('inner').execute();
		await insert(inner, 'b');
		await inner.rollbackToSavepoint('inner').execute();
		await insert(trx, 'c');
		await trx.commit().execute();
		expect(await bodies()).toEqual(['a', 'c']);
	});

	it('uses a statement again after it failed', async () => {
		await insert(db, 'unique');
		await expect(insert(db, 'unique')).rejects.toThrow(/UNIQUE/);
		await insert(db, 'another');
		expect(await bodies()).toEqual(['unique', 'another']);
		expect(prepared.filter((text) => text.startsWith('insert'))).toHaveLength(1);
	});

	it('gives a query a fresh statement while the same query is being streamed', () => {
		sqlite.exec("insert into note (body) values ('x'), ('y')");
		const text = 'select body from note order by id';
		const streamed = handle.prepare(text);
		const rows = streamed.iterate([]);
		expect(rows.next().value).toEqual({ body: 'x' });
		// Kysely holds the connection while it streams, so this cannot happen through it today;
		// the cache must not hand out a statement that is still stepping through rows.
		const other = handle.prepare(text);
		expect(other).not.toBe(streamed);
		expect(other.all([])).toEqual([{ body: 'x' }, { body: 'y' }]);
		expect(rows.next().value).toEqual({ body: 'y' });
		expect(rows.next().done).toBe(true);
		expect(handle.prepare(text)).toBe(streamed);
	});

	it('reuses a streamed statement once the stream ends, also when it ends early', async () => {
		for (const body of ['x', 'y', 'z']) await insert(db, body);
		const query = db.selectFrom('note').select('body').orderBy('id');
		const all: string[] = [];
		for await (const row of query.stream()) all.push(row.body);
		expect(all).toEqual(['x', 'y', 'z']);
		for await (const row of query.stream()) {
			expect(row.body).toBe('x');
			break;
		}
		expect((await query.execute()).map((r) => r.body)).toEqual(['x', 'y', 'z']);
		expect(prepared.filter((text) => text.startsWith('select'))).toHaveLength(1);
	});

	it('sees a schema change made after a statement was kept', async () => {
		await insert(db, 'old');
		expect(await bodies()).toEqual(['old']);
		await sql`alter table note add column extra text`.execute(db);
		await sql`update note set body = 'new'`.execute(db);
		expect(await bodies()).toEqual(['new']);
	});

	it('forgets its statements when the database closes', async () => {
		await insert(db, 'one');
		expect(handle.cachedStatements).toBeGreaterThan(0);
		await db.destroy();
		expect(handle.cachedStatements).toBe(0);
		expect(sqlite.open).toBe(false);
		open();
	});
});
