import { expect, it } from 'vitest';
import { verifyPassword } from 'better-auth/crypto';
import { describeEachDatabase } from '../testing/databases';
import { DEMO_CONTACT, DEMO_PASSWORD, DEMO_PEOPLE, seedDemo, seedDemoPeople } from './demo';
import { readContactDetails } from '../admin/contact.service';
import { seedProfilesAndOrganisations } from '../organisations/organisations.demo';
import { roundInput } from '../assessments/results.service';
import { scoreRound } from '../assessments/scoring';

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
		// Events of every format, a full one with a waitlist, a café with votes, a programme.
		const events = await ctx.db.selectFrom('event').select(['format_id', 'status']).execute();
		expect(new Set(events.map((e) => e.format_id)).size).toBe(6);
		expect(events.some((e) => e.status === 'completed')).toBe(true);
		expect(events.length).toBe(8);
		const waiting = await ctx.db
			.selectFrom('event_registration')
			.select('id')
			.where('status', '=', 'waitlisted')
			.execute();
		expect(waiting.length).toBe(2);
		const dots = await ctx.db
			.selectFrom('event_cafe_dot')
			.select(['user_id', (eb) => eb.fn.sum<number>('dots').as('given')])
			.groupBy('user_id')
			.execute();
		expect(dots.map((d) => Number(d.given))).toEqual([3, 3, 3, 3]);
		const talks = await ctx.db.selectFrom('event_talk').select('status').execute();
		expect(talks.filter((t) => t.status === 'accepted')).toHaveLength(2);

		// A co-production check with two rounds, 42 responses and a gap of 20 points or more.
		const responses = await ctx.db
			.selectFrom('assessment_response')
			.select(['round_id', (eb) => eb.fn.countAll<number>().as('n')])
			.groupBy('round_id')
			.orderBy('round_id')
			.execute();
		expect(responses.map((r) => Number(r.n))).toEqual([18, 24]);
		const round = responses[1]!.round_id;
		const input = await roundInput(
			ctx.db,
			await ctx.db
				.selectFrom('assessment_round')
				.selectAll()
				.where('id', '=', round)
				.executeTakeFirstOrThrow(),
			await ctx.db.selectFrom('assessment').selectAll().executeTakeFirstOrThrow()
		);
		const results = scoreRound(input);
		expect(results.gaps.some((g) => g.highlighted)).toBe(true);

		// Contact details to show in the footer, the accessibility statement and privacy notice.
		expect(await readContactDetails(ctx.db)).toEqual(DEMO_CONTACT);

		// No welcome mail to made-up addresses.
		const mail = await ctx.db
			.selectFrom('mail_outbox')
			.select((eb) => eb.fn.countAll().as('n'))
			.executeTakeFirstOrThrow();
		expect(Number(mail.n)).toBe(0);
	});
});

/**
 * What each demo person is said to be (`who`, printed by `npm run demo`) and the words their
 * profile must use for it. A new demo person needs a line here, so their profile is checked too.
 */
const ROLE_WORDS: Record<string, RegExp> = {
	'runs this CoLab': /\brun this CoLab\b/i,
	'curates events and content': /\bcurate\b/i,
	'a carer': /\ba carer\b/i,
	'uses mental health services': /\buse mental health services\b/i,
	'council commissioning manager': /\bcommissioning manager\b/i,
	volunteer: /\bvolunteer\b/i
};

describeEachDatabase('demo people', (ctx) => {
	it('have profiles and organisations that match who they are said to be', async () => {
		const people = await seedDemoPeople(ctx.db);
		await seedProfilesAndOrganisations(ctx.db, people);
		const profiles = await ctx.db.selectFrom('profile').select(['user_id', 'bio']).execute();
		const memberships = await ctx.db
			.selectFrom('organisation_member')
			.innerJoin('organisation', 'organisation.id', 'organisation_member.organisation_id')
			.select(['organisation_member.user_id', 'organisation.slug'])
			.execute();
		for (const [index, person] of people.entries()) {
			const pattern = ROLE_WORDS[person.who];
			expect(pattern, `a role-word check for "${person.who}"`).toBeDefined();
			const bio = profiles.find((p) => p.user_id === person.id)?.bio ?? '';
			expect(bio, `${person.name}, ${person.who}`).toMatch(pattern!);
			// Nobody's profile claims another person's role.
			for (const [who, other] of Object.entries(ROLE_WORDS)) {
				if (who !== person.who) expect(bio, `${person.name} is not "${who}"`).not.toMatch(other);
			}
			// Everyone after the first (who admins every organisation) is in the ones they name.
			if (index === 0) continue;
			const theirs = memberships.filter((m) => m.user_id === person.id).map((m) => m.slug);
			expect(theirs.sort(), person.name).toEqual([...person.organisations].sort());
		}
	});
});
