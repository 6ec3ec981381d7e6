import { expect, it } from 'vitest';
import { describeEachDatabase } from '../testing/databases';
import { seedDemo } from '../demo/demo';
import { seedChampions } from './champions.demo';
import { listChampions, reviewChampions } from './champions.service';
import { viewRequest } from './requests.service';
import { isPerson } from '../auth/auth.permissions';

describeEachDatabase('champions demo', (ctx) => {
	it('seeds champions in every status and a request in each state, once', async () => {
		const people = await seedDemo(ctx.db);
		await seedChampions(ctx.db);
		const statuses = await ctx.db.selectFrom('champion').select('status').execute();
		expect(new Set(statuses.map((s) => s.status))).toEqual(
			new Set(['confirmed', 'paused', 'waiting'])
		);
		expect(statuses).toHaveLength(5);
		const requests = await ctx.db
			.selectFrom('champion_request')
			.select(['status', 'flagged_at'])
			.execute();
		expect(new Set(requests.map((r) => r.status))).toEqual(
			new Set(['open', 'accepted', 'declined', 'returned', 'closed'])
		);
		expect(requests.filter((r) => r.flagged_at)).toHaveLength(1);
		expect((await listChampions(ctx.db, {}, 1)).total).toBe(3);
		const curator = people.find((p) => p.role === 'curator')!;
		const actor = {
			id: curator.id,
			name: curator.name,
			email: curator.email,
			role: curator.role
		} as Parameters<typeof reviewChampions>[1];
		expect(isPerson(actor)).toBe(true);
		const review = await reviewChampions(ctx.db, actor);
		expect(review.waiting).toHaveLength(1);
		expect(review.flagged).toHaveLength(1);
		const tom = people.find((p) => p.email === 'tom@demo.colab.example')!;
		const closed = await viewRequest(
			ctx.db,
			{ ...actor, id: tom.id, role: 'member' } as typeof actor,
			'demo-request-closed'
		);
		expect(closed?.entries.map((e) => e.kind)).toEqual([
			'asked',
			'suggested',
			'accepted',
			'message',
			'closed'
		]);
	});
});
