import { expect, it } from 'vitest';
import type { SessionUser } from '../auth/auth.types';
import { publishedEvent } from '../events/events.testing';
import { searchDocuments, type SearchViewer } from '../search/search.repository';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import { deleteAccount } from '../your-data/your-data.service';
import { seedProfilesAndOrganisations } from './organisations.demo';
import { ORGANISATION_SEARCH } from './organisations.search';
import { createOrganisation, updateOrganisation } from './organisations.service';

const VIEWERS: SearchViewer[] = [
	{ signedIn: false, audiences: [] },
	{ signedIn: true, audiences: [] }
];
const SITE = { siteName: 'CoLab Test', origin: 'http://colab.test' };

describeEachDatabase('organisations in search', (ctx) => {
	/** What visitors and members find: the same, with a count that agrees. */
	async function everyoneFinds(query: string, ids: string[], kind = 'organisation') {
		for (const visibleTo of VIEWERS) {
			const page = await searchDocuments(ctx.db, {
				query,
				kinds: [kind],
				visibleTo,
				limit: 50,
				offset: 0
			});
			expect(page.results.map((r) => r.docId)).toEqual(ids);
			expect(page.total).toBe(ids.length);
		}
	}

	async function organisation(admin: SessionUser, name: string, description: string) {
		const result = await createOrganisation(ctx.db, admin, { name, description, website: '' });
		if (!result.ok) throw new Error(JSON.stringify(result));
		return result.organisation;
	}

	it('finds a new organisation by name and description, and follows an edit', async () => {
		const admin = await createTestUser(ctx.db);
		const org = await organisation(admin, 'Borough Zephyrcarers', 'We support wombatfolk.');
		await everyoneFinds('zephyrcarers', [org.id]);
		await everyoneFinds('wombatfolk', [org.id]);
		const doc = await ctx.db
			.selectFrom('search_document')
			.selectAll()
			.where('kind', '=', 'organisation')
			.where('doc_id', '=', org.id)
			.executeTakeFirstOrThrow();
		expect(doc).toMatchObject({
			path: `/organisations/${org.slug}`,
			organisation_id: org.id,
			visibility: 'public'
		});
		const edited = await updateOrganisation(ctx.db, admin, org.id, {
			name: 'Borough Quokkacarers',
			description: 'We support everyone.',
			website: ''
		});
		expect(edited.ok).toBe(true);
		await everyoneFinds('zephyrcarers', []);
		await everyoneFinds('wombatfolk', []);
		await everyoneFinds('quokkacarers', [org.id]);
	});

	it('removes a deleted organisation and takes its name off its events', async () => {
		const admin = await createTestUser(ctx.db, { role: 'curator' });
		const org = await organisation(admin, 'Lonely Narwhalgroup', 'Only one member.');
		const { event } = await publishedEvent(
			ctx.db,
			{ organisation: org.id, title: 'Narwhalgroup evening' },
			admin
		);
		const eventDoc = () =>
			ctx.db
				.selectFrom('search_document')
				.select('organisation_id')
				.where('kind', '=', 'event')
				.where('doc_id', '=', event.id)
				.executeTakeFirst();
		expect(await eventDoc()).toEqual({ organisation_id: org.id });
		// Another member hosts it now, so the event outlives the organisation's last member.
		const other = await createTestUser(ctx.db);
		await ctx.db
			.updateTable('event')
			.set({ host_id: other.id })
			.where('id', '=', event.id)
			.execute();
		await deleteAccount(ctx.db, admin.id, { contributions: 'remove', site: SITE });
		await everyoneFinds('lonely narwhalgroup', []);
		await everyoneFinds('narwhalgroup evening', [event.id], 'event');
		expect(await eventDoc()).toEqual({ organisation_id: null });
	});

	it('keeps an organisation whose last member leaves but keeps their contributions', async () => {
		const admin = await createTestUser(ctx.db);
		const org = await organisation(admin, 'Kept Ibexgroup', 'Stays.');
		await deleteAccount(ctx.db, admin.id, { contributions: 'keep-as-former-member', site: SITE });
		await everyoneFinds('ibexgroup', [org.id]);
	});

	it('indexes the demo organisations as they are seeded', async () => {
		const people = [];
		for (let i = 0; i < 3; i++) people.push(await createTestUser(ctx.db));
		await seedProfilesAndOrganisations(ctx.db, people);
		const all = await ctx.db.selectFrom('organisation').select('id').execute();
		const indexed = await ctx.db
			.selectFrom('search_document')
			.select('doc_id')
			.where('kind', '=', 'organisation')
			.execute();
		expect(indexed.map((r) => r.doc_id).sort()).toEqual(all.map((r) => r.id).sort());
	});

	it('rebuilds the same documents, a page at a time in id order', async () => {
		const ids: string[] = [];
		let after: string | null = null;
		for (;;) {
			const batch = await ORGANISATION_SEARCH.listForReindex(ctx.db, { after, limit: 2 });
			if (!batch.rows.length) break;
			expect(batch.rows.length).toBeLessThanOrEqual(2);
			for (const row of batch.rows) {
				if (ORGANISATION_SEARCH.toDocument(row)) ids.push(row.id);
			}
			after = batch.lastId;
		}
		expect(new Set(ids).size).toBe(ids.length);
		const indexed = await ctx.db
			.selectFrom('search_document')
			.select('doc_id')
			.where('kind', '=', 'organisation')
			.execute();
		expect(ids.length).toBeGreaterThan(3);
		expect(indexed.map((r) => r.doc_id).sort()).toEqual([...ids].sort());
	});
});
