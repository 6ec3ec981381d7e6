import { describe, expect, it } from 'vitest';
import { publishedEvent, testMember } from '../events/events.testing';
import { nowIso } from '../ids';
import { insertTestOrganisation, insertTestPost } from '../posts/blog.testing';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import {
	robotsTxt,
	SITEMAP_BATCH,
	sitemapEntries,
	sitemapXml,
	STATIC_PAGES
} from './sitemap.service';

async function paths(gen: AsyncGenerator<{ path: string }>) {
	const out: string[] = [];
	for await (const e of gen) out.push(e.path);
	return out;
}

describe('robots.txt', () => {
	it('keeps private parts out and points at the sitemap', () => {
		const text = robotsTxt('https://colab.test');
		expect(text).toContain('Disallow: /admin');
		expect(text).toContain('Disallow: /account');
		expect(text).toContain('Disallow: /me');
		expect(text).toContain('Sitemap: https://colab.test/sitemap.xml');
		expect(text).not.toMatch(/^Disallow: \/blog$/m);
	});
});

describeEachDatabase('the sitemap', (ctx) => {
	it('lists every public page and nothing that is not public', async () => {
		const { event } = await publishedEvent(ctx.db, {}, await testMember(ctx.db, 'curator'));
		const { event: unlisted } = await publishedEvent(ctx.db, { visibility: 'unlisted' });
		const post = await insertTestPost(ctx.db);
		const draft = await insertTestPost(ctx.db, { status: 'draft', publishedAt: null });
		const hidden = await insertTestPost(ctx.db, { hiddenAt: nowIso() });
		const org = await insertTestOrganisation(ctx.db);
		const shown = await createTestUser(ctx.db);
		const quiet = await createTestUser(ctx.db);
		await ctx.db
			.insertInto('profile')
			.values([
				{
					user_id: shown.id,
					bio: 'I help run the café.',
					pronouns: null,
					show_bio: 1,
					show_pronouns: 0,
					show_organisations: 0,
					show_email: 0,
					avatar_image_id: null,
					updated_at: nowIso()
				},
				{
					user_id: quiet.id,
					bio: 'Private.',
					pronouns: null,
					show_bio: 0,
					show_pronouns: 0,
					show_organisations: 0,
					show_email: 0,
					avatar_image_id: null,
					updated_at: nowIso()
				}
			])
			.execute();

		const all = await paths(sitemapEntries(ctx.db));
		for (const p of STATIC_PAGES) expect(all).toContain(p);
		expect(all).toContain(`/events/${event.id}`);
		expect(all).not.toContain(`/events/${unlisted.id}`);
		expect(all).toContain(`/blog/${post.slug}`);
		expect(all).not.toContain(`/blog/${draft.slug}`);
		expect(all).not.toContain(`/blog/${hidden.slug}`);
		expect(all).toContain(`/organisations/${org.slug}`);
		expect(all).toContain(`/people/${shown.id}`);
		expect(all).not.toContain(`/people/${quiet.id}`);
		expect(new Set(all).size).toBe(all.length);

		let doc = '';
		for await (const chunk of sitemapXml(ctx.db, 'https://colab.test')) doc += chunk;
		expect(doc).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<urlset /);
		expect(doc).toContain(`<loc>https://colab.test/blog/${post.slug}</loc>`);
		expect(doc.trimEnd().endsWith('</urlset>')).toBe(true);
		expect(doc.match(/<url>/g)?.length).toBe(all.length);
	});

	it('reads past one batch without losing or repeating a post', async () => {
		const made = new Set<string>();
		const rows = [];
		for (let i = 0; i < SITEMAP_BATCH + 5; i++) {
			const id = `sitemap-${String(i).padStart(5, '0')}`;
			rows.push({
				id,
				slug: id,
				author_id: null,
				organisation_id: null,
				event_id: null,
				title: id,
				body: 'x',
				word_count: 1,
				first_image_id: null,
				status: 'published' as const,
				published_at: '2026-01-01T00:00:00.000Z',
				featured_at: null,
				comments_closed: 0,
				hidden_at: null,
				version: 1,
				created_at: '2026-01-01T00:00:00.000Z',
				updated_at: '2026-01-01T00:00:00.000Z'
			});
			made.add(`/blog/${id}`);
		}
		for (let i = 0; i < rows.length; i += 200)
			await ctx.db
				.insertInto('post')
				.values(rows.slice(i, i + 200))
				.execute();
		const listed = (await paths(sitemapEntries(ctx.db))).filter((p) => made.has(p));
		expect(listed).toHaveLength(made.size);
		expect(new Set(listed).size).toBe(made.size);
	});
});
