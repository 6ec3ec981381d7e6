import { expect, it } from 'vitest';
import { seedDemoPeople } from '../demo/demo';
import type { SearchRegistration } from '../search/search.registry';
import { searchDocuments, type SearchViewer } from '../search/search.repository';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import { deleteAccount } from '../your-data/your-data.service';
import { seedPilots } from './pilots.demo';
import type { PilotInput } from './pilots.schema';
import { PILOT_SEARCH, pilotTeamAudience } from './pilots.search';
import {
	addEntry,
	addTeamMember,
	editEntry,
	removeTeamMember,
	startPilot,
	updatePilot
} from './pilots.service';
import { entryValues, pilotValues } from './pilots.testing';

const SITE = { timeZone: 'Europe/London', now: '2026-12-01T10:00:00.000Z' };
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

describeEachDatabase('pilots in search', (ctx) => {
	async function find(query: string, viewer = visitor) {
		return searchDocuments(ctx.db, {
			query,
			kinds: ['pilot'],
			visibleTo: viewer,
			limit: 50,
			offset: 0
		});
	}

	/** A signed-in person as search sees them, with the audience keys they hold for pilots. */
	async function asPerson(userId: string): Promise<SearchViewer> {
		return { signedIn: true, audiences: await PILOT_SEARCH.audiencesFor!(ctx.db, userId) };
	}

	async function started(overrides: Partial<PilotInput> = {}) {
		const owner = await createTestUser(ctx.db);
		const result = await startPilot(ctx.db, owner, pilotValues(overrides));
		if (!result.ok) throw new Error(result.reason);
		return { owner, ...result };
	}

	function edit(pilotInput: Partial<PilotInput> & { status?: 'running' | 'finished' } = {}) {
		return { ...pilotValues(), status: 'running' as const, ...pilotInput };
	}

	it('finds a public pilot by its summary as plain text, with its service areas', async () => {
		const { id, slug } = await started({ title: 'Lantern walks' });
		const page = await find('evening drop-in');
		expect(page.results).toMatchObject([{ kind: 'pilot', docId: id, path: `/pilots/${slug}` }]);
		const doc = await ctx.db
			.selectFrom('search_document')
			.select(['body', 'themes', 'visibility'])
			.where('kind', '=', 'pilot')
			.where('doc_id', '=', id)
			.executeTakeFirstOrThrow();
		expect(doc.body).not.toContain('**');
		expect(doc).toMatchObject({ themes: 'carers-and-unpaid-care', visibility: 'public' });
	});

	it('follows edits of the pilot and of its log', async () => {
		const { owner, slug } = await started({ title: 'Tea club' });
		await updatePilot(ctx.db, owner, slug, edit({ title: 'Coffee club' }));
		expect((await find('tea')).total).toBe(0);
		expect((await find('coffee')).total).toBe(1);
		const added = await addEntry(
			ctx.db,
			owner,
			slug,
			entryValues({ learned: 'Biscuits brought people in.' }),
			SITE
		);
		if (!added.ok) throw new Error(added.reason);
		expect((await find('biscuits')).total).toBe(1);
		await editEntry(
			ctx.db,
			owner,
			slug,
			added.id,
			entryValues({ learned: 'Scones brought people in.' }),
			SITE
		);
		expect((await find('biscuits')).total).toBe(0);
		expect((await find('scones')).total).toBe(1);
	});

	it('shows a members-only pilot to members and not to visitors, nor in their count', async () => {
		await started({ title: 'Members allotment', visibility: 'members' });
		expect(await find('allotment', visitor)).toEqual({ results: [], total: 0, capped: false });
		expect((await find('allotment', member)).total).toBe(1);
	});

	it('shows a team-only pilot to its owner and team, to no other member and to no visitor', async () => {
		const { owner, slug, id } = await started({ title: 'Secret garden', visibility: 'team' });
		const teammate = await createTestUser(ctx.db);
		const outsider = await createTestUser(ctx.db);
		await addTeamMember(ctx.db, owner, slug, teammate.email);

		expect(await find('secret garden', visitor)).toEqual({ results: [], total: 0, capped: false });
		expect(await find('secret garden', member)).toEqual({ results: [], total: 0, capped: false });
		expect(await find('secret garden', await asPerson(outsider.id))).toEqual({
			results: [],
			total: 0,
			capped: false
		});
		expect((await find('secret garden', await asPerson(owner.id))).total).toBe(1);
		expect(await PILOT_SEARCH.audiencesFor!(ctx.db, teammate.id)).toEqual([pilotTeamAudience(id)]);
		const found = await find('secret garden', await asPerson(teammate.id));
		expect(found.results.map((r) => r.docId)).toEqual([id]);
		expect(found.total).toBe(1);

		// Off the team, the key goes with them.
		await removeTeamMember(ctx.db, owner, slug, teammate.id);
		expect((await find('secret garden', await asPerson(teammate.id))).total).toBe(0);

		// Opened to everyone, then narrowed again.
		await updatePilot(ctx.db, owner, slug, edit({ title: 'Secret garden', visibility: 'public' }));
		expect((await find('secret garden', visitor)).total).toBe(1);
		await updatePilot(ctx.db, owner, slug, edit({ title: 'Secret garden', visibility: 'team' }));
		expect((await find('secret garden', visitor)).total).toBe(0);
		expect((await find('secret garden', member)).total).toBe(0);
	});

	it('leaves search when its owner leaves with nobody else on the team, and loses their entries', async () => {
		const { owner } = await started({ title: 'Knitting circle' });
		const other = await started({ title: 'Sewing circle' });
		await addTeamMember(ctx.db, other.owner, other.slug, owner.email);
		await addEntry(ctx.db, owner, other.slug, entryValues({ learned: 'Thimbles help.' }), SITE);
		expect((await find('thimbles')).total).toBe(1);
		await deleteAccount(ctx.db, owner.id, { contributions: 'remove' });
		expect((await find('knitting')).total).toBe(0);
		expect((await find('thimbles')).total).toBe(0);
		expect((await find('sewing')).total).toBe(1);
	});

	it('indexes the demo’s pilots as they are seeded, each for whoever may open it', async () => {
		await seedDemoPeople(ctx.db);
		await seedPilots(ctx.db);
		const pilots = await ctx.db.selectFrom('pilot').select(['id', 'visibility']).execute();
		expect(pilots.length).toBeGreaterThan(0);
		const docs = await ctx.db
			.selectFrom('search_document')
			.select(['doc_id', 'visibility'])
			.where('kind', '=', 'pilot')
			.execute();
		expect(new Map(docs.map((d) => [d.doc_id, d.visibility]))).toEqual(
			new Map(
				pilots.map((p) => [p.id, p.visibility === 'team' ? pilotTeamAudience(p.id) : p.visibility])
			)
		);
	});

	it('lists every pilot for a reindex, a batch at a time in a stable order', async () => {
		await started({ title: 'One' });
		await started({ title: 'Two', visibility: 'members' });
		await started({ title: 'Three', visibility: 'team' });
		const ids = await reindexIds(ctx.db, PILOT_SEARCH, 2);
		expect(await reindexIds(ctx.db, PILOT_SEARCH, 2)).toEqual(ids);
		const docs = await ctx.db
			.selectFrom('search_document')
			.select('doc_id')
			.where('kind', '=', 'pilot')
			.execute();
		expect(ids).toHaveLength(docs.length);
		expect(new Set(ids)).toEqual(new Set(docs.map((d) => d.doc_id)));
	});
});
