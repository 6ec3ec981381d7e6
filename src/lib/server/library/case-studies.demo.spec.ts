import { expect, it } from 'vitest';
import { seedDemo } from '../demo/demo';
import { describeEachDatabase } from '../testing/databases';
import { DEMO_CASE_STUDIES } from './case-studies.demo';
import { caseStudyHistory, libraryPage, viewCaseStudy } from './case-studies.service';

describeEachDatabase('the demo’s case studies', (ctx) => {
	it('spans stages, areas and themes, cites the demo check’s round, and can run twice', async () => {
		await seedDemo(ctx.db);
		await seedDemo(ctx.db);
		const page = await libraryPage(ctx.db, {});
		expect(page.cards).toHaveLength(6);
		expect(new Set(page.cards.map((c) => c.stage)).size).toBeGreaterThanOrEqual(4);
		expect(new Set(page.cards.map((c) => c.status)).size).toBe(4);
		expect(new Set(page.cards.flatMap((c) => c.serviceAreas)).size).toBeGreaterThanOrEqual(8);

		const cited = await viewCaseStudy(ctx.db, null, DEMO_CASE_STUDIES.withHistory);
		expect(cited?.view.round).toMatchObject({ title: 'Riverside day centre', number: 2 });
		expect((await caseStudyHistory(ctx.db, DEMO_CASE_STUDIES.withHistory))?.entries).toHaveLength(
			2
		);

		const named = await viewCaseStudy(ctx.db, null, DEMO_CASE_STUDIES.published);
		expect(named?.people.map((p) => p.role)).toEqual(['Carer who co-chaired the workshops']);

		const states = await ctx.db
			.selectFrom('case_study')
			.select(['review_state'])
			.where('published_version', 'is', null)
			.execute();
		expect(states.map((s) => s.review_state).sort()).toEqual(['draft', 'returned', 'waiting']);
	});
});
