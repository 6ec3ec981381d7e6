import { expect, it } from 'vitest';
import { seedDemoPeople } from '../demo/demo';
import { libraryVocabulary } from '../library/tags.service';
import { updateProfile } from '../profiles/profiles.service';
import type { SearchRegistration } from '../search/search.registry';
import { searchDocuments, type SearchViewer } from '../search/search.repository';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import { deleteAccount } from '../your-data/your-data.service';
import { seedChampions } from './champions.demo';
import { CHAMPION_SEARCH } from './champions.search';
import { changeMyChampionStatus, turnDownChampion, volunteer } from './champions.service';
import { createTestChampion, volunteerForm } from './champions.testing';

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

describeEachDatabase('champions in search', (ctx) => {
	async function find(query: string, viewer = visitor) {
		return searchDocuments(ctx.db, {
			query,
			kinds: ['champion'],
			visibleTo: viewer,
			limit: 50,
			offset: 0
		});
	}

	it('finds a confirmed champion by name, what they help with and what they know; never their phone', async () => {
		const curator = await createTestUser(ctx.db, { role: 'curator' });
		const words = await libraryVocabulary(ctx.db);
		const area = words.serviceAreas[0]!;
		const { id } = await createTestChampion(ctx.db, curator, {
			name: 'Priya Champion',
			form: {
				helpWith: 'Running accessible workshops.',
				contactBy: 'phone',
				phone: '07700 900123'
			}
		});
		expect((await find('priya')).results).toMatchObject([
			{ kind: 'champion', docId: id, path: `/champions/${id}`, title: 'Priya Champion' }
		]);
		expect((await find('accessible workshops')).total).toBe(1);
		expect((await find(`"${area.label}"`)).total).toBe(1);
		expect((await find('07700')).total).toBe(0);
		const themed = await searchDocuments(ctx.db, {
			query: 'priya',
			theme: area.slug,
			visibleTo: visitor,
			limit: 10,
			offset: 0
		});
		expect(themed.total).toBe(1);
	});

	it('keeps offers waiting for a curator or turned down out of everyone’s results and counts', async () => {
		const curator = await createTestUser(ctx.db, { role: 'curator' });
		const hopeful = await createTestUser(ctx.db, { name: 'Hopeful Helper' });
		const offer = await volunteer(ctx.db, hopeful, await volunteerForm(ctx.db));
		if (!offer.ok) throw new Error('not saved');
		for (const viewer of [visitor, member]) expect((await find('hopeful', viewer)).total).toBe(0);
		await turnDownChampion(ctx.db, curator, offer.id, 'Not now.');
		expect((await find('hopeful', member)).total).toBe(0);
	});

	it('follows changes to the offer and the champion’s name, and leaves while paused or stepped down', async () => {
		const curator = await createTestUser(ctx.db, { role: 'curator' });
		const { user } = await createTestChampion(ctx.db, curator, { name: 'Dana Doer' });
		await volunteer(
			ctx.db,
			user,
			await volunteerForm(ctx.db, { helpWith: 'Writing easy read leaflets.' })
		);
		expect((await find('leaflets')).total).toBe(1);
		await updateProfile(ctx.db, user, { name: 'Dana Maker', pronouns: '', bio: '', show: [] });
		expect((await find('maker')).results.map((r) => r.title)).toEqual(['Dana Maker']);
		expect((await find('doer')).total).toBe(0);

		await changeMyChampionStatus(ctx.db, user, 'pause');
		expect((await find('leaflets')).total).toBe(0);
		await changeMyChampionStatus(ctx.db, user, 'resume');
		expect((await find('leaflets')).total).toBe(1);
		await changeMyChampionStatus(ctx.db, user, 'step-down');
		expect((await find('leaflets', member)).total).toBe(0);
	});

	it('leaves search when the champion deletes their account', async () => {
		const curator = await createTestUser(ctx.db, { role: 'curator' });
		const { user } = await createTestChampion(ctx.db, curator, { name: 'Lee Leaving' });
		expect((await find('leaving')).total).toBe(1);
		await deleteAccount(ctx.db, user.id, { contributions: 'keep-as-former-member' });
		expect((await find('leaving')).total).toBe(0);
	});

	it('indexes the demo’s confirmed champions as they are seeded, and only those', async () => {
		await seedDemoPeople(ctx.db);
		await seedChampions(ctx.db);
		const confirmed = await ctx.db
			.selectFrom('champion')
			.select('id')
			.where('status', '=', 'confirmed')
			.execute();
		expect(confirmed.length).toBeGreaterThan(0);
		const docs = await ctx.db
			.selectFrom('search_document')
			.select('doc_id')
			.where('kind', '=', 'champion')
			.execute();
		expect(new Set(docs.map((d) => d.doc_id))).toEqual(new Set(confirmed.map((c) => c.id)));
	});

	it('lists the confirmed champions for a reindex, a batch at a time in a stable order', async () => {
		const curator = await createTestUser(ctx.db, { role: 'curator' });
		for (const name of ['Ann One', 'Bea Two', 'Cy Three'])
			await createTestChampion(ctx.db, curator, { name });
		const waiting = await createTestUser(ctx.db);
		await volunteer(ctx.db, waiting, await volunteerForm(ctx.db));
		const ids = await reindexIds(ctx.db, CHAMPION_SEARCH, 2);
		expect(await reindexIds(ctx.db, CHAMPION_SEARCH, 2)).toEqual(ids);
		const docs = await ctx.db
			.selectFrom('search_document')
			.select('doc_id')
			.where('kind', '=', 'champion')
			.execute();
		expect(ids).toHaveLength(docs.length);
		expect(new Set(ids)).toEqual(new Set(docs.map((d) => d.doc_id)));
	});
});
