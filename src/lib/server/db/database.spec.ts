import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeEachDatabase } from '../testing/databases';
import { checkDatabase } from './health';
import { openDatabase, postgresTimestampToIso } from './database';

describeEachDatabase('database', (ctx) => {
	it('answers the health check with its engine name', async () => {
		const result = await checkDatabase(ctx.database);
		expect(result).toEqual({ ok: true, dialect: ctx.dialect });
	});

	it('returns timestamps as ISO strings and counts as numbers on both engines', async () => {
		const at = '2026-11-26T09:30:00.000Z';
		await ctx.db
			.insertInto('rate_limit')
			.values({ key: 'spec:types', count: 2, window_started_at: at })
			.execute();
		const row = await ctx.db
			.selectFrom('rate_limit')
			.select(['window_started_at', (eb) => eb.fn.countAll().as('n')])
			.where('key', '=', 'spec:types')
			.groupBy('window_started_at')
			.executeTakeFirstOrThrow();
		expect(row.window_started_at).toBe(at);
		expect(row.n).toBe(1);
	});

	it('enforces foreign keys', async () => {
		const fk =
			ctx.dialect === 'sqlite'
				? await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(ctx.db)
				: null;
		if (fk) expect(fk.rows[0]?.foreign_keys).toBe(1);
		else expect(ctx.dialect).toBe('postgres');
	});
});

describe('health check', () => {
	it('reports an unreachable database with a reason', async () => {
		const database = openDatabase({ databaseUrl: 'postgres://postgres@127.0.0.1:1/nowhere' });
		try {
			const result = await checkDatabase(database, 1500);
			expect(result.ok).toBe(false);
			expect(result).toMatchObject({
				dialect: 'postgres',
				reason: expect.stringMatching(/unreachable/)
			});
		} finally {
			await database.close();
		}
	});
});

describe('postgresTimestampToIso', () => {
	it('reads the formats PostgreSQL sends', () => {
		expect(postgresTimestampToIso('2026-11-26 09:30:00+00')).toBe('2026-11-26T09:30:00.000Z');
		expect(postgresTimestampToIso('2026-11-26 09:30:00.123+05:30')).toBe(
			'2026-11-26T04:00:00.123Z'
		);
		expect(postgresTimestampToIso('2026-03-29 01:30:00')).toBe('2026-03-29T01:30:00.000Z');
	});
});
