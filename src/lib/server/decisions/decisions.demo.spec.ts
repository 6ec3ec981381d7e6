import { expect, it } from 'vitest';
import { describeEachDatabase } from '../testing/databases';
import { seedDemo } from '../demo/demo';
import { DEMO_DECISION_SLUGS, seedDecisions } from './decisions.demo';
import { viewDecision } from './decisions.service';

describeEachDatabase('decisions demo', (ctx) => {
	it('seeds a blocked first round, a second round that passed and an open dot vote, once', async () => {
		const people = await seedDemo(ctx.db);
		await seedDecisions(ctx.db);
		expect(await ctx.db.selectFrom('decision').select('id').execute()).toHaveLength(4);
		const admin = people.find((p) => p.role === 'administrator')!;
		const actor = {
			id: admin.id,
			name: admin.name,
			email: admin.email,
			emailVerified: true,
			role: admin.role
		};
		const first = await viewDecision(
			ctx.db,
			actor,
			DEMO_DECISION_SLUGS.firstRound,
			'Europe/London'
		);
		expect(first?.decision.result).toBe('not-passed');
		expect(first?.summary.blocks).toBe(1);
		expect(first?.next?.slug).toBe(DEMO_DECISION_SLUGS.secondRound);
		const second = await viewDecision(
			ctx.db,
			actor,
			DEMO_DECISION_SLUGS.secondRound,
			'Europe/London'
		);
		expect(second?.decision.result).toBe('passed');
		expect(second?.previous?.slug).toBe(DEMO_DECISION_SLUGS.firstRound);
		const dots = await viewDecision(ctx.db, actor, DEMO_DECISION_SLUGS.dotVote, 'Europe/London');
		expect(dots?.decision.open).toBe(true);
		expect(dots?.summary.tallies.map((t) => t.text)).toEqual([
			'3 dots',
			'4 dots',
			'1 dot',
			'1 dot'
		]);
		expect(dots?.may.respond).toBe(true);
		expect(dots?.may.facilitate).toBe(true);
	});
});
