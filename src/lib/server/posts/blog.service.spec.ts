import { describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../auth/auth.permissions';
import { publishedEvent, testMember } from '../events/events.testing';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import { nowIso } from '../ids';
import type { PostCursor } from './blog.repository';
import {
	countWords,
	firstParagraph,
	formatPostCursor,
	listBlogFilterChoices,
	listBlogPage,
	listFeaturedPosts,
	parseBlogQuery,
	parsePostCursor,
	readingMinutes,
	readPost,
	resolveBlogFilters
} from './blog.service';
import { insertTestOrganisation, insertTestPost, insertTestTheme } from './blog.testing';

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

describe('reading time', () => {
	it('is the words over 200, rounded up, and at least one minute', () => {
		expect(readingMinutes(0)).toBe(1);
		expect(readingMinutes(1)).toBe(1);
		expect(readingMinutes(200)).toBe(1);
		expect(readingMinutes(201)).toBe(2);
		expect(readingMinutes(1000)).toBe(5);
	});

	it('counts words a reader reads, not markup or link addresses', () => {
		expect(
			countWords('# A title\n\nSome **bold** words and [a link](https://example.org/x).')
		).toBe(8);
		expect(countWords('')).toBe(0);
	});
});

describe('first paragraph', () => {
	it('skips headings and images and gives plain text', () => {
		const body =
			'# Heading\n\n![A photo](/media/x/640.webp)\n\nWe **met** at the [library](https://x.org).\n\nMore.';
		expect(firstParagraph(body)).toBe('We met at the library (https://x.org/).');
	});
});

describe('cursors and filters in addresses', () => {
	it('reads back what it writes, and refuses what it did not', () => {
		const cursor = { publishedAt: '2026-12-01T09:00:00.000Z', id: 'abc_DEF-123' };
		expect(parsePostCursor(formatPostCursor(cursor))).toEqual(cursor);
		expect(parsePostCursor('2026-12-01~x')).toBeUndefined();
		expect(parsePostCursor("2026-12-01T09:00:00.000Z~a'; drop")).toBeUndefined();
	});

	it('drops filter values that could not be a slug or an id', () => {
		const q = parseBlogQuery(new URLSearchParams('theme=housing&author=<script>&organisation='));
		expect(q).toEqual({ theme: 'housing', author: undefined, organisation: undefined });
	});
});

describeEachDatabase('the blog as readers see it', (ctx) => {
	it('lists public posts only, newest first', async () => {
		const theme = await insertTestTheme(ctx.db);
		const themeIds = [theme.id];
		const older = await insertTestPost(ctx.db, { publishedAt: hoursAgo(5), themeIds });
		const newer = await insertTestPost(ctx.db, { publishedAt: hoursAgo(1), themeIds });
		const hidden = [
			await insertTestPost(ctx.db, { status: 'draft', publishedAt: null, themeIds }),
			await insertTestPost(ctx.db, { status: 'waiting', publishedAt: null, themeIds }),
			await insertTestPost(ctx.db, { status: 'unpublished', publishedAt: hoursAgo(3), themeIds }),
			await insertTestPost(ctx.db, { status: 'declined', publishedAt: null, themeIds }),
			await insertTestPost(ctx.db, { publishedAt: hoursAgo(-2), themeIds }),
			await insertTestPost(ctx.db, { publishedAt: hoursAgo(2), hiddenAt: hoursAgo(1), themeIds })
		];
		const { posts } = await listBlogPage(ctx.db, { themeId: theme.id });
		expect(posts.map((p) => p.id)).toEqual([newer.id, older.id]);
		for (const h of hidden) expect(posts.map((p) => p.id)).not.toContain(h.id);
	});

	it('filters by theme, author and organisation, and says when a filter names nothing', async () => {
		const author = await createTestUser(ctx.db, { name: 'Ada Author' });
		const other = await createTestUser(ctx.db);
		const org = await insertTestOrganisation(ctx.db, 'Riverside Carers');
		const housing = await insertTestTheme(ctx.db, { name: 'Housing' });
		const health = await insertTestTheme(ctx.db, { name: 'Health' });
		const a = await insertTestPost(ctx.db, {
			authorId: author.id,
			organisationId: org.id,
			themeIds: [housing.id, health.id]
		});
		const b = await insertTestPost(ctx.db, { authorId: other.id, themeIds: [health.id] });
		const c = await insertTestPost(ctx.db, { authorId: author.id, themeIds: [housing.id] });

		const ids = async (query: Record<string, string>) => {
			const r = await resolveBlogFilters(ctx.db, query);
			expect(r.missing).toBe(false);
			return (await listBlogPage(ctx.db, r.filters)).posts.map((p) => p.id).sort();
		};
		expect(await ids({ theme: housing.slug })).toEqual([a.id, c.id].sort());
		expect(await ids({ theme: health.slug })).toEqual([a.id, b.id].sort());
		expect(await ids({ author: author.id })).toEqual([a.id, c.id].sort());
		expect(await ids({ organisation: org.slug })).toEqual([a.id]);
		expect(await ids({ theme: health.slug, author: author.id })).toEqual([a.id]);
		expect((await resolveBlogFilters(ctx.db, { theme: 'no-such-theme' })).missing).toBe(true);

		const card = (await listBlogPage(ctx.db, { organisationId: org.id })).posts[0]!;
		expect(card.author).toBe('Ada Author');
		expect(card.organisation).toEqual({ slug: org.slug, name: 'Riverside Carers' });
		expect(card.themes.map((t) => t.name)).toEqual(['Health', 'Housing']);

		const choices = await listBlogFilterChoices(ctx.db);
		expect(choices.authors.map((x) => x.id)).toEqual(expect.arrayContaining([author.id, other.id]));
		expect(choices.organisations.map((x) => x.id)).toContain(org.id);
	});

	it('shows the first picture on cards, at every width, largest as the main address', async () => {
		const theme = await insertTestTheme(ctx.db);
		const imageId = 'blogpictureimage000001';
		await ctx.db
			.insertInto('image')
			.values({
				id: imageId,
				width: 1280,
				height: 853,
				widths: '320,640,1280',
				storage: 'database',
				created_at: nowIso()
			})
			.execute();
		const post = await insertTestPost(ctx.db, { firstImageId: imageId, themeIds: [theme.id] });
		const card = (await listBlogPage(ctx.db, { themeId: theme.id })).posts[0]!;
		expect(card.picture?.src).toBe(`/media/${imageId}/1280.webp`);
		expect(card.picture?.srcset).toBe(
			`/media/${imageId}/320.webp 320w, /media/${imageId}/640.webp 640w, /media/${imageId}/1280.webp 1280w`
		);
		expect((await readPost(ctx.db, null, post.slug))?.picture?.src).toBe(
			`/media/${imageId}/1280.webp`
		);
	});

	it('names a deleted author "a former member"', async () => {
		const theme = await insertTestTheme(ctx.db);
		await insertTestPost(ctx.db, { authorId: null, themeIds: [theme.id] });
		const { posts } = await listBlogPage(ctx.db, { themeId: theme.id });
		expect(posts[0]!.author).toBe('a former member');
	});

	it('pages forwards and back without gaps or repeats, even when posts share a time', async () => {
		const theme = await insertTestTheme(ctx.db);
		const sameTime = hoursAgo(30);
		const made = [];
		for (let i = 0; i < 11; i++) {
			made.push(
				await insertTestPost(ctx.db, {
					// Five share one time, so only the id can order them.
					publishedAt: i < 5 ? sameTime : hoursAgo(10 + i),
					themeIds: [theme.id]
				})
			);
		}
		const filters = { themeId: theme.id };
		const seen: string[][] = [];
		let position: { after?: PostCursor; before?: PostCursor } = {};
		for (;;) {
			const page = await listBlogPage(ctx.db, filters, position, { limit: 3 });
			seen.push(page.posts.map((p) => p.id));
			if (!page.older) break;
			position = { after: page.older };
		}
		const all = seen.flat();
		expect(all).toHaveLength(11);
		expect(new Set(all).size).toBe(11);
		expect(seen.map((s) => s.length)).toEqual([3, 3, 3, 2]);
		const full = (await listBlogPage(ctx.db, filters, {}, { limit: 50 })).posts.map((p) => p.id);
		expect(all).toEqual(full);

		// Back from the last page, with Previous, gives the same pages in reverse.
		const back: string[][] = [];
		let page = await listBlogPage(ctx.db, filters, position, { limit: 3 });
		back.push(page.posts.map((p) => p.id));
		while (page.newer) {
			page = await listBlogPage(ctx.db, filters, { before: page.newer }, { limit: 3 });
			back.push(page.posts.map((p) => p.id));
		}
		expect(back.reverse()).toEqual(seen);
		expect(page.newer).toBeNull();
	});

	it('shows featured posts, the most recently featured first, public ones only', async () => {
		const first = await insertTestPost(ctx.db, { featuredAt: hoursAgo(3) });
		const second = await insertTestPost(ctx.db, { featuredAt: hoursAgo(1) });
		const draft = await insertTestPost(ctx.db, {
			status: 'draft',
			publishedAt: null,
			featuredAt: hoursAgo(0.5)
		});
		const featured = (await listFeaturedPosts(ctx.db, 10)).map((p) => p.id);
		expect(featured.indexOf(second.id)).toBeLessThan(featured.indexOf(first.id));
		expect(featured).not.toContain(draft.id);
		expect((await listFeaturedPosts(ctx.db, 1)).length).toBe(1);
	});

	it('reads a public post for anyone, with its themes, event and reading time', async () => {
		const author = await createTestUser(ctx.db, { name: 'Bo Writer' });
		const host = await testMember(ctx.db, 'curator');
		const { event } = await publishedEvent(ctx.db, { title: 'Carers’ café' }, host);
		const theme = await insertTestTheme(ctx.db, { name: 'Care' });
		const post = await insertTestPost(ctx.db, {
			authorId: author.id,
			eventId: event.id,
			body: 'Hello <script>alert(1)</script> **world**.',
			wordCount: 450,
			themeIds: [theme.id]
		});
		const page = await readPost(ctx.db, null, post.slug);
		expect(page?.isPublic).toBe(true);
		expect(page?.author).toBe('Bo Writer');
		expect(page?.minutes).toBe(3);
		expect(page?.themes).toEqual([{ slug: theme.slug, name: 'Care' }]);
		expect(page?.event).toEqual({ id: event.id, title: 'Carers’ café' });
		expect(page?.html).toContain('<strong>world</strong>');
		expect(page?.html).not.toContain('<script');
		expect(page?.canEdit).toBe(false);
	});

	it('hides a post that is not public from visitors and other members, not from its author or curators', async () => {
		const author = await createTestUser(ctx.db);
		const member = await createTestUser(ctx.db);
		const curator = await createTestUser(ctx.db, { role: 'curator' });
		const posts = [
			await insertTestPost(ctx.db, { authorId: author.id, status: 'draft', publishedAt: null }),
			await insertTestPost(ctx.db, { authorId: author.id, status: 'waiting', publishedAt: null }),
			await insertTestPost(ctx.db, { authorId: author.id, publishedAt: hoursAgo(-5) }),
			await insertTestPost(ctx.db, { authorId: author.id, hiddenAt: hoursAgo(0.1) })
		];
		for (const post of posts) {
			expect(await readPost(ctx.db, null, post.slug)).toBeUndefined();
			expect(await readPost(ctx.db, member, post.slug)).toBeUndefined();
			const own = await readPost(ctx.db, author, post.slug);
			expect(own?.isPublic).toBe(false);
			expect(own?.canEdit).toBe(true);
			expect((await readPost(ctx.db, curator, post.slug))?.canEdit).toBe(true);
		}
		expect((await readPost(ctx.db, author, posts[2]!.slug))?.scheduled).toBe(true);
		expect((await readPost(ctx.db, curator, posts[3]!.slug))?.hidden).toBe(true);
		// The command line acts for administrators, who keep the blog with curators.
		expect((await readPost(ctx.db, SYSTEM_ACTOR, posts[0]!.slug))?.canEdit).toBe(true);
		expect(await readPost(ctx.db, null, 'no-such-post')).toBeUndefined();
	});

	it('relates up to three public posts by shared theme, most themes in common first', async () => {
		const [t1, t2, t3] = [
			await insertTestTheme(ctx.db),
			await insertTestTheme(ctx.db),
			await insertTestTheme(ctx.db)
		];
		const post = await insertTestPost(ctx.db, { themeIds: [t1.id, t2.id] });
		const both = await insertTestPost(ctx.db, {
			publishedAt: hoursAgo(9),
			themeIds: [t1.id, t2.id]
		});
		const oneNew = await insertTestPost(ctx.db, { publishedAt: hoursAgo(2), themeIds: [t1.id] });
		const oneOld = await insertTestPost(ctx.db, { publishedAt: hoursAgo(7), themeIds: [t2.id] });
		const oneOlder = await insertTestPost(ctx.db, { publishedAt: hoursAgo(8), themeIds: [t2.id] });
		const draft = await insertTestPost(ctx.db, {
			status: 'draft',
			publishedAt: null,
			themeIds: [t1.id, t2.id]
		});
		const unrelated = await insertTestPost(ctx.db, { themeIds: [t3.id] });
		const related = (await readPost(ctx.db, null, post.slug))!.related.map((r) => r.slug);
		expect(related).toEqual([both.slug, oneNew.slug, oneOld.slug]);
		expect(related).not.toContain(oneOlder.slug);
		expect(related).not.toContain(draft.slug);
		expect(related).not.toContain(unrelated.slug);
		expect(related).not.toContain(post.slug);
	});
});
