import { expect, it } from 'vitest';
import { seedDemoPeople } from '../demo/demo';
import type { SearchRegistration } from '../search/search.registry';
import { searchDocuments, type SearchViewer } from '../search/search.repository';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import { deleteAccount } from '../your-data/your-data.service';
import { seedCaseStudies } from './case-studies.demo';
import { CASE_STUDY_SEARCH } from './case-studies.search';
import { publishCaseStudy, saveCaseStudy, sendBackCaseStudy } from './case-studies.service';
import { caseStudyInput } from './case-studies.testing';

const SITE = { siteName: 'CoLab Test', origin: 'https://colab.test' };
const visitor: SearchViewer = { signedIn: false, audiences: [] };
const member: SearchViewer = { signedIn: true, audiences: [] };

/** Every id a reindex would visit, `limit` at a time, checking each batch's size. */
async function reindexIds<Row extends { id: string }>(
	db: Parameters<SearchRegistration<Row>['listForReindex']>[0],
	registration: SearchRegistration<Row>,
	limit: number
): Promise<string[]> {
	const ids: string[] = [];
	let after: string | null = null;
	for (;;) {
		const batch = await registration.listForReindex(db, { after, limit });
		if (!batch.rows.length) return ids;
		expect(batch.rows.length).toBeLessThanOrEqual(limit);
		ids.push(...batch.rows.map((r) => r.id));
		after = batch.lastId;
	}
}

describeEachDatabase('case studies in search', (ctx) => {
	async function find(query: string, viewer = visitor) {
		return searchDocuments(ctx.db, {
			query,
			kinds: ['case-study'],
			visibleTo: viewer,
			limit: 50,
			offset: 0
		});
	}

	async function submitted(title: string) {
		const author = await createTestUser(ctx.db);
		const saved = await saveCaseStudy(ctx.db, author, caseStudyInput({ title }), {
			intent: 'submit'
		});
		if (!saved.ok) throw new Error(JSON.stringify(saved.errors));
		return { author, caseStudy: saved.caseStudy };
	}

	it('is found only once a curator publishes it, with its words and service areas', async () => {
		const curator = await createTestUser(ctx.db, { role: 'curator' });
		const author = await createTestUser(ctx.db);
		const draft = await saveCaseStudy(ctx.db, author, caseStudyInput({ title: 'Kiln project' }), {
			intent: 'draft'
		});
		if (!draft.ok) throw new Error('not saved');
		for (const viewer of [visitor, member]) expect((await find('kiln', viewer)).total).toBe(0);
		await saveCaseStudy(ctx.db, author, caseStudyInput({ title: 'Kiln project' }), {
			slug: draft.caseStudy.slug,
			intent: 'submit'
		});
		expect((await find('kiln', member)).total).toBe(0);

		await publishCaseStudy(ctx.db, curator, draft.caseStudy.slug);
		const page = await find('kiln');
		expect(page.results).toMatchObject([
			{ kind: 'case-study', docId: draft.caseStudy.id, path: `/library/${draft.caseStudy.slug}` }
		]);
		expect((await find('respite workshops')).total).toBe(1);
		const themed = await searchDocuments(ctx.db, {
			query: 'kiln',
			theme: 'carers-and-unpaid-care',
			visibleTo: visitor,
			limit: 10,
			offset: 0
		});
		expect(themed.total).toBe(1);
	});

	it('keeps showing the published version while changes wait, then follows the new one', async () => {
		const curator = await createTestUser(ctx.db, { role: 'curator' });
		const { author, caseStudy } = await submitted('Pottery group');
		await publishCaseStudy(ctx.db, curator, caseStudy.slug);
		await saveCaseStudy(ctx.db, author, caseStudyInput({ title: 'Ceramics group' }), {
			slug: caseStudy.slug,
			intent: 'submit'
		});
		expect((await find('pottery')).total).toBe(1);
		expect((await find('ceramics', member)).total).toBe(0);
		await sendBackCaseStudy(ctx.db, curator, caseStudy.slug, 'Say more.', SITE);
		expect((await find('pottery')).total).toBe(1);
		expect((await find('ceramics')).total).toBe(0);
		await saveCaseStudy(ctx.db, author, caseStudyInput({ title: 'Ceramics group' }), {
			slug: caseStudy.slug,
			intent: 'submit'
		});
		await publishCaseStudy(ctx.db, curator, caseStudy.slug);
		expect((await find('ceramics')).results.map((r) => r.title)).toEqual(['Ceramics group']);
		expect((await find('pottery')).total).toBe(0);
	});

	it('publishes a curator’s own case study to search at once', async () => {
		const curator = await createTestUser(ctx.db, { role: 'curator' });
		await saveCaseStudy(ctx.db, curator, caseStudyInput({ title: 'Weaving circle' }), {
			intent: 'submit'
		});
		expect((await find('weaving')).total).toBe(1);
	});

	it('leaves search when its author deletes their account with their contributions', async () => {
		const curator = await createTestUser(ctx.db, { role: 'curator' });
		const gone = await submitted('Quilting bee one');
		const kept = await submitted('Quilting bee two');
		await publishCaseStudy(ctx.db, curator, gone.caseStudy.slug);
		await publishCaseStudy(ctx.db, curator, kept.caseStudy.slug);
		await deleteAccount(ctx.db, gone.author.id, { contributions: 'remove' });
		await deleteAccount(ctx.db, kept.author.id, { contributions: 'keep-as-former-member' });
		expect((await find('quilting')).results.map((r) => r.title)).toEqual(['Quilting bee two']);
	});

	it('indexes the demo’s published case studies, and only those', async () => {
		await seedDemoPeople(ctx.db);
		await seedCaseStudies(ctx.db);
		const published = await ctx.db
			.selectFrom('case_study')
			.select('id')
			.where('published_version', 'is not', null)
			.execute();
		expect(published.length).toBeGreaterThan(0);
		const docs = await ctx.db
			.selectFrom('search_document')
			.select('doc_id')
			.where('kind', '=', 'case-study')
			.execute();
		expect(new Set(docs.map((d) => d.doc_id))).toEqual(new Set(published.map((p) => p.id)));
	});

	it('lists the published case studies for a reindex, a batch at a time in a stable order', async () => {
		const curator = await createTestUser(ctx.db, { role: 'curator' });
		for (const title of ['Batch one', 'Batch two', 'Batch three'])
			await saveCaseStudy(ctx.db, curator, caseStudyInput({ title }), { intent: 'submit' });
		await submitted('Not yet published');
		const ids = await reindexIds(ctx.db, CASE_STUDY_SEARCH, 2);
		expect(await reindexIds(ctx.db, CASE_STUDY_SEARCH, 2)).toEqual(ids);
		const docs = await ctx.db
			.selectFrom('search_document')
			.select('doc_id')
			.where('kind', '=', 'case-study')
			.execute();
		expect(ids).toHaveLength(docs.length);
		expect(new Set(ids)).toEqual(new Set(docs.map((d) => d.doc_id)));
	});
});
