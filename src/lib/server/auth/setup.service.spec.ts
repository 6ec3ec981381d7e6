import { describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../testing/databases';
import { accountsFor, visitor } from './auth.testing';
import {
	completeSetup,
	generateSetupCode,
	hasSetupCode,
	isSetupNeeded,
	normaliseSetupCode,
	prepareSetupCode
} from './setup.service';

const admin = { name: 'First Admin', email: 'first@example.org', password: 'set me up please' };

describeEachDatabase('first-run setup', (ctx) => {
	it('makes a one-time code while nobody has an account, storing only its hash', async () => {
		expect(await isSetupNeeded(ctx.db)).toBe(true);
		const code = await prepareSetupCode(ctx.db);
		expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
		const stored = await ctx.db.selectFrom('instance_setting').select(['key', 'value']).execute();
		expect(JSON.stringify(stored)).not.toContain(normaliseSetupCode(code!));
		// A restart replaces it.
		const next = await prepareSetupCode(ctx.db);
		expect(next).not.toBe(code);
	});

	it('refuses a wrong code and creates nothing', async () => {
		await prepareSetupCode(ctx.db);
		const result = await completeSetup(accountsFor(ctx.database), visitor(), {
			...admin,
			code: 'AAAAAAAAAAAA'
		});
		expect(result).toEqual({ ok: false, reason: 'wrong-code' });
		expect(await isSetupNeeded(ctx.db)).toBe(true);
	});

	it('creates the first administrator exactly once, even when two people try at once', async () => {
		const accounts = accountsFor(ctx.database);
		const code = (await prepareSetupCode(ctx.db))!;
		const typed = code.toLowerCase().replaceAll('-', ' ');
		const clientA = visitor('192.0.2.1');
		const [a, b] = await Promise.all([
			completeSetup(accounts, clientA, { ...admin, code: normaliseSetupCode(typed) }),
			completeSetup(accounts, visitor('192.0.2.2'), {
				...admin,
				email: 'second@example.org',
				code: normaliseSetupCode(typed)
			})
		]);
		expect([a, b].filter((r) => r.ok)).toHaveLength(1);
		expect([a, b].find((r) => !r.ok)).toMatchObject({ ok: false });

		const users = await ctx.db.selectFrom('app_user').selectAll().execute();
		expect(users).toHaveLength(1);
		expect(users[0]).toMatchObject({ role: 'administrator' });
		expect(Boolean(users[0]!.email_verified)).toBe(true);
		expect(await hasSetupCode(ctx.db)).toBe(false);
		expect(await isSetupNeeded(ctx.db)).toBe(false);
		const sessions = await ctx.db.selectFrom('auth_session').select('user_id').execute();
		expect(sessions).toEqual([{ user_id: users[0]!.id }]);
	});

	it('is done afterwards: the old code is refused and no new one is made', async () => {
		expect(
			await completeSetup(accountsFor(ctx.database), visitor(), {
				...admin,
				email: 'late@example.org',
				code: 'AAAAAAAAAAAA'
			})
		).toEqual({ ok: false, reason: 'already-set-up' });
		expect(await prepareSetupCode(ctx.db)).toBeNull();
	});
});

describe('setup codes', () => {
	it('are 12 characters from an alphabet without look-alikes', () => {
		const codes = new Set(Array.from({ length: 200 }, generateSetupCode));
		expect(codes.size).toBe(200);
		for (const code of codes) expect(normaliseSetupCode(code)).toMatch(/^[A-HJKMNP-Z2-9]{12}$/);
	});
});
