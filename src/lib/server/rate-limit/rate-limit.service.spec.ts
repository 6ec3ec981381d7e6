import { describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../testing/databases';
import {
	consumeRateLimit,
	consumeRateLimits,
	describeWait,
	pruneRateLimits,
	rateLimitKey
} from './rate-limit.service';

const rule = { limit: 3, windowSeconds: 60 };

describeEachDatabase('rate limits', (ctx) => {
	it('allows attempts up to the limit, then refuses with the time left in the window', async () => {
		const start = new Date('2026-11-26T10:00:00.000Z');
		const results = [];
		for (let i = 0; i < 4; i++) results.push(await consumeRateLimit(ctx.db, 'a', rule, start));
		expect(results.map((r) => r.ok)).toEqual([true, true, true, false]);

		const later = new Date(start.getTime() + 45_500);
		expect(await consumeRateLimit(ctx.db, 'a', rule, later)).toEqual({
			ok: false,
			retryAfterSeconds: 15
		});
	});

	it('starts a new window once the old one has ended', async () => {
		const start = new Date('2026-11-26T11:00:00.000Z');
		for (let i = 0; i < 4; i++) await consumeRateLimit(ctx.db, 'b', rule, start);
		const after = new Date(start.getTime() + 60_000);
		expect(await consumeRateLimit(ctx.db, 'b', rule, after)).toEqual({ ok: true });
		const row = await ctx.db
			.selectFrom('rate_limit')
			.selectAll()
			.where('key', '=', 'b')
			.executeTakeFirstOrThrow();
		expect(row).toEqual({ key: 'b', count: 1, window_started_at: after.toISOString() });
	});

	it('keeps keys apart', async () => {
		const now = new Date('2026-11-26T12:00:00.000Z');
		for (let i = 0; i < 3; i++) await consumeRateLimit(ctx.db, 'c1', rule, now);
		expect((await consumeRateLimit(ctx.db, 'c1', rule, now)).ok).toBe(false);
		expect((await consumeRateLimit(ctx.db, 'c2', rule, now)).ok).toBe(true);
	});

	it('counts every one of 50 parallel attempts: exactly 10 of them get through', async () => {
		const now = new Date();
		const results = await Promise.all(
			Array.from({ length: 50 }, () =>
				consumeRateLimit(ctx.db, 'parallel', { limit: 10, windowSeconds: 60 }, now)
			)
		);
		expect(results.filter((r) => r.ok)).toHaveLength(10);
		const row = await ctx.db
			.selectFrom('rate_limit')
			.select('count')
			.where('key', '=', 'parallel')
			.executeTakeFirstOrThrow();
		expect(row.count).toBe(50);
	});

	it('refuses when any of several keys is over, with the longest wait', async () => {
		const now = new Date('2026-11-26T13:00:00.000Z');
		const short = { limit: 1, windowSeconds: 30 };
		const long = { limit: 1, windowSeconds: 600 };
		await consumeRateLimits(
			ctx.db,
			[
				{ key: 'd-ip', rule: short },
				{ key: 'd-email', rule: long }
			],
			now
		);
		expect(
			await consumeRateLimits(
				ctx.db,
				[
					{ key: 'd-ip', rule: short },
					{ key: 'd-email', rule: long }
				],
				now
			)
		).toEqual({ ok: false, retryAfterSeconds: 600 });
	});

	it('prunes windows that ended more than a day ago', async () => {
		const old = new Date('2020-01-01T00:00:00.000Z');
		await consumeRateLimit(ctx.db, 'old', rule, old);
		await consumeRateLimit(ctx.db, 'fresh', rule);
		expect(await pruneRateLimits(ctx.db)).toBeGreaterThanOrEqual(1);
		const keys = (await ctx.db.selectFrom('rate_limit').select('key').execute()).map((r) => r.key);
		expect(keys).not.toContain('old');
		expect(keys).toContain('fresh');
	});
});

describe('rate limit keys and waits', () => {
	it('hashes emails, ignoring case and spaces, and keeps addresses readable', () => {
		expect(rateLimitKey('sign-in', 'email', ' Sam@Example.org ')).toBe(
			rateLimitKey('sign-in', 'email', 'sam@example.org')
		);
		expect(rateLimitKey('sign-in', 'email', 'sam@example.org')).not.toContain('sam');
		expect(rateLimitKey('sign-in', 'ip', '10.0.0.1')).toBe('sign-in:ip:10.0.0.1');
	});

	it('describes waits in words', () => {
		expect(describeWait(1)).toBe('1 second');
		expect(describeWait(42)).toBe('42 seconds');
		expect(describeWait(61)).toBe('2 minutes');
		expect(describeWait(3600)).toBe('1 hour');
		expect(describeWait(3601)).toBe('2 hours');
	});
});
