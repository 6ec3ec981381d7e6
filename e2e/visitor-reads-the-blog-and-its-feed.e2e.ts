import { test, expect } from './fixtures';
import { openServerDatabase } from './support/direct-database';
import { markContentChanged } from '../src/lib/server/cache/content-version';
import { insertTestPost, insertTestTheme } from '../src/lib/server/posts/blog.testing';
import { createTestUser } from '../src/lib/server/testing/factories';

// Rosa reads the blog without an account. She narrows it to one theme, opens a post about the
// Knowledge Café, finds plain links to share it, and follows the blog in her feed reader: the
// feed lists the post and links back to it, and search engines find it in the sitemap. A draft
// stays out of all of them.
test('a visitor browses the blog by theme, reads a post, and finds it in the feed', async ({
	page,
	colab,
	axe
}) => {
	test.setTimeout(180_000);
	const stamp = Date.now();
	const database = openServerDatabase(colab);
	let post: { slug: string; title: string };
	let other: { slug: string; title: string };
	let draft: { slug: string; title: string };
	const themeName = `Loneliness ${stamp}`;
	try {
		const author = await createTestUser(database.db, { name: 'Ines Okafor' });
		const loneliness = await insertTestTheme(database.db, { name: themeName });
		const housing = await insertTestTheme(database.db, { name: `Housing ${stamp}` });
		post = await insertTestPost(database.db, {
			authorId: author.id,
			title: `What the café taught us ${stamp}`,
			body: `People came for the tea and stayed for the talk.\n\n${'We listened. '.repeat(150)}`,
			wordCount: 452,
			themeIds: [loneliness.id]
		});
		other = await insertTestPost(database.db, {
			authorId: author.id,
			title: `Finding a home ${stamp}`,
			publishedAt: new Date(Date.now() - 5 * 3_600_000).toISOString(),
			themeIds: [housing.id]
		});
		draft = await insertTestPost(database.db, {
			authorId: author.id,
			title: `Not ready yet ${stamp}`,
			status: 'draft',
			publishedAt: null,
			themeIds: [loneliness.id]
		});
		await markContentChanged(database.db);
	} finally {
		await database.close();
	}

	await page.goto('/blog');
	await expect(page.getByRole('heading', { level: 1, name: 'Blog' })).toBeVisible();
	await expect(page.getByRole('link', { name: post.title })).toBeVisible();
	await expect(page.getByRole('link', { name: other.title })).toBeVisible();
	await expect(page.getByRole('link', { name: draft.title })).toHaveCount(0);
	await expect(page.locator('link[rel="alternate"][type="application/atom+xml"]')).toHaveAttribute(
		'href',
		'/blog/feed.atom'
	);
	await axe(page);

	// The filters are a plain GET form: the filtered list has its own address and its own feed.
	await page.getByText('Filter posts').click();
	await page.getByLabel('Theme').selectOption({ label: themeName });
	await page.getByRole('button', { name: 'Show posts' }).click();
	await expect(page).toHaveURL(/\/blog\?theme=/);
	await expect(
		page.getByRole('heading', { level: 1, name: `Posts on ${themeName}` })
	).toBeVisible();
	await expect(page.getByRole('link', { name: post.title })).toBeVisible();
	await expect(page.getByRole('link', { name: other.title })).toHaveCount(0);
	const themeFeed = await page
		.locator('link[rel="alternate"][type="application/atom+xml"]')
		.getAttribute('href');
	expect(themeFeed).toMatch(/^\/blog\/feed\.atom\?theme=/);
	await axe(page);

	await page.getByRole('link', { name: post.title }).click();
	await expect(page.getByRole('heading', { level: 1, name: post.title })).toBeVisible();
	await expect(page.getByText('By Ines Okafor')).toBeVisible();
	await expect(page.getByText('3 minutes to read')).toBeVisible();
	await expect(page.getByRole('link', { name: themeName })).toBeVisible();
	await expect(page.locator('meta[property="og:title"]')).toHaveAttribute('content', post.title);
	await expect(page.locator('meta[property="og:description"]')).toHaveAttribute(
		'content',
		'People came for the tea and stayed for the talk.'
	);
	await expect(page.locator('meta[property="og:url"]')).toHaveAttribute(
		'content',
		`${colab.url}/blog/${post.slug}`
	);
	const share = page.getByRole('region', { name: 'Share this post' });
	await expect(share.getByLabel('Link to this post')).toHaveValue(`${colab.url}/blog/${post.slug}`);
	// The post page sends no script (members share one render of it), so, as on an event's page,
	// the link is shown in full to select and copy, without a "Copy link" button.
	await expect(share.getByRole('button', { name: 'Copy link' })).toHaveCount(0);
	const linkedIn = share.getByRole('link', { name: 'Share on LinkedIn (opens LinkedIn)' });
	await expect(linkedIn).toHaveAttribute(
		'href',
		`https://www.linkedin.com/sharing/share-offsite/?url=${encodeURIComponent(`${colab.url}/blog/${post.slug}`)}`
	);
	await expect(share.getByRole('link', { name: /^Share on Mastodon/ })).toHaveAttribute(
		'href',
		/^\/share\/mastodon\?text=/
	);
	// No script or picture from another site on the page.
	const foreign = await page.evaluate(() =>
		[...document.querySelectorAll('script[src], img[src], iframe')]
			.map((e) => e.getAttribute('src') ?? '')
			.filter((src) => /^https?:/.test(src) && !src.startsWith(location.origin))
	);
	expect(foreign).toEqual([]);
	await axe(page);

	// Mastodon: our own page asks for her server, then sends her to its share page.
	await share.getByRole('link', { name: /^Share on Mastodon/ }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Share on Mastodon' })).toBeVisible();
	await expect(page.getByLabel('What to share')).toHaveValue(
		`${post.title} ${colab.url}/blog/${post.slug}`
	);
	await page.getByLabel('Your Mastodon server').fill('not a server');
	await page.getByRole('button', { name: 'Go to Mastodon' }).click();
	await expect(
		page.getByRole('link', { name: /Enter a server name like mastodon.social/ })
	).toBeVisible();
	await expect(page.getByLabel('What to share')).toHaveValue(
		`${post.title} ${colab.url}/blog/${post.slug}`
	);
	await axe(page);

	// The feed lists the post and links back to it; the draft is not in it.
	const feed = await page.request.get('/blog/feed.atom');
	expect(feed.status()).toBe(200);
	expect(feed.headers()['content-type']).toContain('application/atom+xml');
	const read = await page.evaluate(
		(text) => {
			const doc = new DOMParser().parseFromString(text, 'application/xml');
			return {
				broken: doc.getElementsByTagName('parsererror').length > 0,
				titles: [...doc.getElementsByTagName('entry')].map(
					(e) => e.getElementsByTagName('title')[0]?.textContent
				),
				links: [...doc.getElementsByTagName('entry')].map((e) =>
					e.getElementsByTagName('link')[0]?.getAttribute('href')
				)
			};
		},
		await feed.text()
	);
	expect(read.broken).toBe(false);
	expect(read.titles).toContain(post.title);
	expect(read.titles).not.toContain(draft.title);
	const link = read.links[read.titles.indexOf(post.title)]!;
	expect(link).toBe(`${colab.url}/blog/${post.slug}`);
	const rss = await page.request.get('/blog/feed.rss' + themeFeed!.slice('/blog/feed.atom'.length));
	expect(rss.status()).toBe(200);
	expect(await rss.text()).toContain(`<link>${colab.url}/blog/${post.slug}</link>`);

	await page.goto(new URL(link).pathname);
	await expect(page.getByRole('heading', { level: 1, name: post.title })).toBeVisible();

	// A draft is not there for visitors.
	const missing = await page.goto(`/blog/${draft.slug}`);
	expect(missing?.status()).toBe(404);

	// Search engines find the post in the sitemap, and robots.txt says where the sitemap is.
	const sitemap = await (await page.request.get('/sitemap.xml')).text();
	expect(sitemap).toContain(`<loc>${colab.url}/blog/${post.slug}</loc>`);
	expect(sitemap).not.toContain(draft.slug);
	const robots = await (await page.request.get('/robots.txt')).text();
	expect(robots).toContain(`Sitemap: ${colab.url}/sitemap.xml`);
	expect(robots).toContain('Disallow: /admin');
});
