import { expect, it } from 'vitest';
import { seedDemoPeople } from '../demo/demo';
import { searchDocuments, type SearchViewer } from '../search/search.repository';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import { deleteAccount } from '../your-data/your-data.service';
import { seedIdeas } from './ideas.demo';
import { IDEA_SEARCH } from './ideas.search';
import { editIdea, moveIdea, postIdea, removeIdea } from './ideas.service';
import { ideaValues } from './ideas.testing';

type Person = Awaited<ReturnType<typeof createTestUser>>;

const visitor: SearchViewer = { signedIn: false, audiences: [] };
const member: SearchViewer = { signedIn: true, audiences: [] };

describeEachDatabase('ideas in search', (ctx) => {
	async function find(query: string, viewer = visitor) {
		const page = await searchDocuments(ctx.db, {
			query,
			kinds: ['idea'],
			visibleTo: viewer,
			limit: 20,
			offset: 0
		});
		return { paths: page.results.map((r) => r.path), total: page.total, page };
	}

	async function post(author: Person, title: string, body: string) {
		const result = await postIdea(ctx.db, author, ideaValues({ title, body }));
		if (!result.ok) throw new Error(JSON.stringify(result));
		return result.slug;
	}

	it('finds a posted idea for visitors and members, as plain text, and follows an edit', async () => {
		const author = await createTestUser(ctx.db);
		const slug = await post(author, 'A marmalade swap', 'Bring a jar of **marmalade**, take one.');
		for (const viewer of [visitor, member]) {
			const { paths, total, page } = await find('marmalade', viewer);
			expect(paths).toEqual([`/ideas/${slug}`]);
			expect(total).toBe(1);
			expect(page.results[0]!.type).toBe('new');
			expect(page.results[0]!.snippetHtml).not.toContain('**');
		}
		await editIdea(
			ctx.db,
			author,
			slug,
			ideaValues({ title: 'A chutney swap', body: 'Bring a jar of chutney.' })
		);
		expect((await find('marmalade')).total).toBe(0);
		expect((await find('chutney')).paths).toEqual([`/ideas/${slug}`]);
	});

	it('follows a stage change, and drops a removed idea from results and counts', async () => {
		const author = await createTestUser(ctx.db);
		const curator = await createTestUser(ctx.db, { role: 'curator' });
		const slug = await post(author, 'Seed library', 'Share tomato seeds with neighbours.');
		await moveIdea(ctx.db, curator, slug, { stage: 'gathering-support', note: 'Good one.' });
		expect((await find('tomato')).page.results[0]!.type).toBe('gathering-support');
		await removeIdea(ctx.db, author, slug);
		for (const viewer of [visitor, member]) expect((await find('tomato', viewer)).total).toBe(0);
	});

	it('drops the ideas of a deleted account that asked for its posts to go', async () => {
		const keeper = await createTestUser(ctx.db);
		const leaver = await createTestUser(ctx.db);
		const kept = await post(keeper, 'Walking netball', 'A gentle netball session.');
		await post(leaver, 'Netball league', 'A netball league for carers.');
		expect((await find('netball')).total).toBe(2);
		await deleteAccount(ctx.db, leaver.id, { contributions: 'remove' });
		expect((await find('netball')).paths).toEqual([`/ideas/${kept}`]);
	});

	it('lists ideas for a reindex in stable pages covering them all, and indexes the demo ideas', async () => {
		const all: string[] = [];
		let after: string | null = null;
		for (;;) {
			const batch: Awaited<ReturnType<typeof IDEA_SEARCH.listForReindex>> =
				await IDEA_SEARCH.listForReindex(ctx.db, { after, limit: 2 });
			if (!batch.rows.length) break;
			all.push(...batch.rows.map((r) => r.id));
			after = batch.lastId;
		}
		const ids = (await ctx.db.selectFrom('idea').select('id').orderBy('id').execute()).map(
			(r) => r.id
		);
		expect(all).toEqual(ids);

		await seedDemoPeople(ctx.db);
		await seedIdeas(ctx.db);
		const demo = await ctx.db
			.selectFrom('idea')
			.select(['slug'])
			.where('id', 'like', 'demo-%')
			.execute();
		expect(demo.length).toBeGreaterThan(0);
		const indexed = await ctx.db
			.selectFrom('search_document')
			.select('path')
			.where('kind', '=', 'idea')
			.execute();
		for (const d of demo) expect(indexed.map((r) => r.path)).toContain(`/ideas/${d.slug}`);
	});
});
