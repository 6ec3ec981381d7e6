import { expect, it } from 'vitest';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import { DEMO_ORGANISATIONS, seedProfilesAndOrganisations } from './organisations.demo';
import { getMembersForAdmins, listOrganisations } from './organisations.service';
import { SYSTEM_ACTOR } from '../auth/auth.permissions';

describeEachDatabase('demo profiles and organisations', (ctx) => {
	it('seeds every organisation with an admin, and seeding again changes nothing', async () => {
		const people = [];
		for (let i = 0; i < 5; i++) people.push(await createTestUser(ctx.db));
		await seedProfilesAndOrganisations(ctx.db, people);
		const snapshot = async () => ({
			organisations: await ctx.db.selectFrom('organisation').selectAll().orderBy('slug').execute(),
			members: await ctx.db
				.selectFrom('organisation_member')
				.selectAll()
				.orderBy('organisation_id')
				.orderBy('user_id')
				.execute(),
			profiles: await ctx.db.selectFrom('profile').selectAll().orderBy('user_id').execute()
		});
		const first = await snapshot();
		await seedProfilesAndOrganisations(ctx.db, people);
		expect(await snapshot()).toEqual(first);

		expect((await listOrganisations(ctx.db))?.total).toBe(DEMO_ORGANISATIONS.length);
		expect(first.profiles).toHaveLength(5);
		for (const demo of DEMO_ORGANISATIONS) {
			const view = await getMembersForAdmins(ctx.db, SYSTEM_ACTOR, demo.slug);
			expect(view?.adminCount, demo.slug).toBeGreaterThanOrEqual(1);
			expect(view?.members.length, demo.slug).toBeGreaterThanOrEqual(2);
		}
	});
});
