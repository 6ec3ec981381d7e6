import { expect, it } from 'vitest';
import { verifyPassword } from 'better-auth/crypto';
import { describeEachDatabase } from '../testing/databases';
import { DEMO_PASSWORD, DEMO_PEOPLE, seedDemo } from './demo';

describeEachDatabase('demo seed', (ctx) => {
	it('creates people of every role with the demo password, and can run twice', async () => {
		const first = await seedDemo(ctx.db);
		const second = await seedDemo(ctx.db);
		expect(first.every((p) => p.created)).toBe(true);
		expect(second.every((p) => !p.created)).toBe(true);
		expect(second.map((p) => p.id)).toEqual(first.map((p) => p.id));

		const users = await ctx.db.selectFrom('app_user').select(['email', 'role']).execute();
		expect(users).toHaveLength(DEMO_PEOPLE.length);
		expect(new Set(users.map((u) => u.role))).toEqual(
			new Set(['administrator', 'curator', 'member'])
		);
		const account = await ctx.db
			.selectFrom('auth_account')
			.select('password')
			.where('user_id', '=', first[0]!.id)
			.executeTakeFirstOrThrow();
		expect(await verifyPassword({ hash: account.password!, password: DEMO_PASSWORD })).toBe(true);

		const organisations = await ctx.db
			.selectFrom('organisation')
			.select((eb) => eb.fn.countAll().as('n'))
			.executeTakeFirstOrThrow();
		expect(Number(organisations.n)).toBeGreaterThanOrEqual(3);
		// No welcome mail to made-up addresses.
		const mail = await ctx.db
			.selectFrom('mail_outbox')
			.select((eb) => eb.fn.countAll().as('n'))
			.executeTakeFirstOrThrow();
		expect(Number(mail.n)).toBe(0);
	});
});
