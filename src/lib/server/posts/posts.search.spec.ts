import { expect, it } from 'vitest';
import { seedDemoPeople } from '../demo/demo';
import { decideOnReport, reportContent } from '../moderation/moderation.service';
import { HIDE_AFTER_REPORTS_SETTING } from '../moderation/moderation.settings';
import type { SearchRegistration } from '../search/search.registry';
import { searchDocuments, type SearchViewer } from '../search/search.repository';
import { writeSetting } from '../settings/settings.repository';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import { deleteAccount } from '../your-data/your-data.service';
import { insertTestTheme } from './blog.testing';
import { DEMO_POSTS, seedPosts } from './posts.demo';
import type { PostInput } from './posts.schema';
import { POST_SEARCH } from './posts.search';
import { approvePost, declinePost, savePost, unpublishPost } from './posts.service';

const ZONE = 'Europe/London';
const SITE = { siteName: 'CoLab Test', origin: 'https://colab.test' };
const visitor: SearchViewer = { signedIn: false, audiences: [] };
const member: SearchViewer = { signedIn: true, audiences: [] };

function input(overrides: Partial<PostInput> = {}): PostInput {
	return {
		title: 'Harvest from the allotment',
		body: 'We grew **squash** and [beans](https://example.test) together.\n\n- one\n- two',
		themes: [],
		organisationId: '',
		eventId: '',
		publishAt: '',
		website: '',
		...overrides
	};
}

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

describeEachDatabase('posts in search', (ctx) => {
	async function find(query: string, viewer = visitor, now?: string) {
		return searchDocuments(ctx.db, {
			query,
			kinds: ['post'],
			visibleTo: viewer,
			limit: 50,
			offset: 0,
			now
		});
	}

	async function published(overrides: Partial<PostInput> = {}) {
		const curator = await createTestUser(ctx.db, { role: 'curator' });
		const saved = await savePost(ctx.db, curator, input(overrides), {
			intent: 'publish',
			timeZone: ZONE
		});
		if (!saved.ok) throw new Error(JSON.stringify(saved.errors));
		return saved.post;
	}

	it('finds a published post by its words, as plain text, with its themes and date', async () => {
		const theme = await insertTestTheme(ctx.db, { slug: 'growing-food' });
		const post = await published({ title: 'Courgette glut', themes: [theme.id] });
		const page = await find('courgette', visitor);
		expect(page.total).toBe(1);
		expect(page.results[0]).toMatchObject({
			kind: 'post',
			docId: post.id,
			title: 'Courgette glut',
			path: `/blog/${post.slug}`
		});
		const doc = await ctx.db
			.selectFrom('search_document')
			.selectAll()
			.where('kind', '=', 'post')
			.where('doc_id', '=', post.id)
			.executeTakeFirstOrThrow();
		expect(doc.body).not.toContain('**');
		expect(doc.body).toContain('squash');
		expect(doc.themes).toBe('growing-food');
		expect(doc.visibility).toBe('public');
		expect(String(doc.starts_at)).not.toBe('null');
		const filtered = await searchDocuments(ctx.db, {
			query: 'courgette',
			theme: 'growing-food',
			visibleTo: visitor,
			limit: 10,
			offset: 0
		});
		expect(filtered.total).toBe(1);
	});

	it('follows an edit, and disappears when unpublished', async () => {
		const curator = await createTestUser(ctx.db, { role: 'curator' });
		const saved = await savePost(ctx.db, curator, input({ title: 'Marrow contest' }), {
			intent: 'publish',
			timeZone: ZONE
		});
		if (!saved.ok) throw new Error('not saved');
		await savePost(ctx.db, curator, input({ title: 'Pumpkin contest' }), {
			slug: saved.post.slug,
			intent: 'draft',
			timeZone: ZONE
		});
		expect((await find('marrow')).total).toBe(0);
		expect((await find('pumpkin')).results.map((r) => r.title)).toEqual(['Pumpkin contest']);
		await unpublishPost(ctx.db, curator, saved.post.slug);
		expect((await find('pumpkin', member)).total).toBe(0);
		// Published again, it is back.
		await savePost(ctx.db, curator, input({ title: 'Pumpkin contest' }), {
			slug: saved.post.slug,
			intent: 'publish',
			timeZone: ZONE
		});
		expect((await find('pumpkin')).total).toBe(1);
	});

	it('keeps drafts, waiting and declined posts out of everyone’s results and counts', async () => {
		const author = await createTestUser(ctx.db);
		const curator = await createTestUser(ctx.db, { role: 'curator' });
		await savePost(ctx.db, author, input({ title: 'Draft about parsnips' }), {
			intent: 'draft',
			timeZone: ZONE
		});
		const waiting = await savePost(ctx.db, author, input({ title: 'Waiting about parsnips' }), {
			intent: 'publish',
			timeZone: ZONE
		});
		if (!waiting.ok || !waiting.waiting) throw new Error('expected a waiting post');
		for (const viewer of [visitor, member]) expect((await find('parsnips', viewer)).total).toBe(0);

		await declinePost(ctx.db, curator, waiting.post.slug, 'Not yet.', SITE);
		expect((await find('parsnips', member)).total).toBe(0);

		const again = await savePost(ctx.db, author, input({ title: 'Second try on parsnips' }), {
			intent: 'publish',
			timeZone: ZONE
		});
		if (!again.ok) throw new Error('not saved');
		await approvePost(ctx.db, curator, again.post.slug);
		expect((await find('parsnips', visitor)).results.map((r) => r.title)).toEqual([
			'Second try on parsnips'
		]);
	});

	it('holds a scheduled post back until its time', async () => {
		const curator = await createTestUser(ctx.db, { role: 'curator' });
		const saved = await savePost(
			ctx.db,
			curator,
			input({ title: 'Turnip news', publishAt: '2099-01-01T09:00' }),
			{ intent: 'publish', timeZone: ZONE }
		);
		if (!saved.ok || !saved.scheduled) throw new Error('expected a scheduled post');
		expect((await find('turnip', member)).total).toBe(0);
		expect((await find('turnip', visitor, '2099-01-02T00:00:00.000Z')).total).toBe(1);
	});

	it('leaves search while moderation hides it, and comes back when restored', async () => {
		const curator = await createTestUser(ctx.db, { role: 'curator' });
		const saved = await savePost(ctx.db, curator, input({ title: 'Beetroot offer' }), {
			intent: 'publish',
			timeZone: ZONE
		});
		if (!saved.ok) throw new Error('not saved');
		const reporter = await createTestUser(ctx.db);
		await writeSetting(ctx.db, HIDE_AFTER_REPORTS_SETTING, '1');
		try {
			const reported = await reportContent(
				ctx.db,
				reporter,
				{ kind: 'post', id: saved.post.id },
				{ reason: 'spam', note: '', website: '' }
			);
			expect(reported).toEqual({ ok: true, hidden: true });
		} finally {
			await writeSetting(ctx.db, HIDE_AFTER_REPORTS_SETTING, '3');
		}
		for (const viewer of [visitor, member]) expect((await find('beetroot', viewer)).total).toBe(0);
		await decideOnReport(ctx.db, curator, SITE, {
			kind: 'post',
			id: saved.post.id,
			decision: 'restore',
			message: 'Fine.'
		});
		expect((await find('beetroot')).total).toBe(1);
	});

	it('removes the posts of someone who deletes their account with them, and keeps the others', async () => {
		const leaving = await createTestUser(ctx.db, { role: 'curator' });
		const staying = await createTestUser(ctx.db, { role: 'curator' });
		for (const who of [leaving, staying])
			await savePost(ctx.db, who, input({ title: `Radish diary by ${who.id}` }), {
				intent: 'publish',
				timeZone: ZONE
			});
		expect((await find('radish')).total).toBe(2);
		await deleteAccount(ctx.db, leaving.id, { contributions: 'remove' });
		expect((await find('radish')).results.map((r) => r.title)).toEqual([
			`Radish diary by ${staying.id}`
		]);
		await deleteAccount(ctx.db, staying.id, { contributions: 'keep-as-former-member' });
		expect((await find('radish')).total).toBe(1);
	});

	it('indexes the demo’s posts as they are seeded', async () => {
		await seedDemoPeople(ctx.db);
		await seedPosts(ctx.db);
		const seeded = await ctx.db
			.selectFrom('post')
			.select('id')
			.where(
				'id',
				'in',
				DEMO_POSTS.map((p) => p.id)
			)
			.execute();
		expect(seeded.length).toBeGreaterThan(0);
		const docs = await ctx.db
			.selectFrom('search_document')
			.select('doc_id')
			.where('kind', '=', 'post')
			.where(
				'doc_id',
				'in',
				seeded.map((p) => p.id)
			)
			.execute();
		expect(docs.length).toBe(seeded.length);
	});

	it('lists every findable post for a reindex, a batch at a time in a stable order', async () => {
		const curator = await createTestUser(ctx.db, { role: 'curator' });
		await savePost(ctx.db, curator, input({ title: 'Not for reindex' }), {
			intent: 'draft',
			timeZone: ZONE
		});
		await published({ title: 'One' });
		await published({ title: 'Two' });
		await published({ title: 'Three' });
		const ids = await reindexIds(ctx.db, POST_SEARCH, 2);
		expect(await reindexIds(ctx.db, POST_SEARCH, 2)).toEqual(ids);
		expect(new Set(ids).size).toBe(ids.length);
		const indexed = await ctx.db
			.selectFrom('search_document')
			.select('doc_id')
			.where('kind', '=', 'post')
			.execute();
		expect(new Set(ids)).toEqual(new Set(indexed.map((d) => d.doc_id)));
	});
});
