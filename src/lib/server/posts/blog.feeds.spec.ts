import { describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import { loadBlogFeed, toAtom, toRss, xml } from './blog.feeds';
import { insertTestPost, insertTestTheme } from './blog.testing';

const SITE = { origin: 'https://colab.test', siteName: 'CoLab & Friends' };

/**
 * Checks that a document is well-formed XML the strict way a feed reader does: one root, every
 * tag closed in order, attributes quoted, and no bare "<" or "&" in text. Returns the problem.
 */
function wellFormedProblem(doc: string): string | null {
	const body = doc.replace(/^<\?xml[^?]*\?>\s*/, '');
	const stack: string[] = [];
	let roots = 0;
	const token = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/gy;
	let m: RegExpExecArray | null;
	while ((m = token.exec(body))) {
		const [, closing, name, , selfClosing, text, stray] = m;
		if (stray) return `a "<" that starts no tag at ${m.index}`;
		if (text !== undefined) {
			const bad = text.match(/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/);
			if (bad) return `a bare "&" at ${m.index}`;
			if (stack.length === 0 && text.trim()) return 'text outside the root';
			continue;
		}
		if (closing) {
			if (stack.pop() !== name) return `</${name}> closes the wrong element`;
		} else if (!selfClosing) {
			if (stack.length === 0) roots++;
			stack.push(name!);
		} else if (stack.length === 0) roots++;
	}
	if (token.lastIndex !== 0 && token.lastIndex < body.length) return 'unreadable markup';
	if (stack.length) return `<${stack.at(-1)}> is never closed`;
	return roots === 1 ? null : `${roots} root elements`;
}

describe('the well-formedness check itself', () => {
	it('finds broken documents', () => {
		expect(wellFormedProblem('<a><b>x</b></a>')).toBeNull();
		expect(wellFormedProblem('<a><b>x</a></b>')).not.toBeNull();
		expect(wellFormedProblem('<a>x & y</a>')).not.toBeNull();
		expect(wellFormedProblem('<a>x < y</a>')).not.toBeNull();
		expect(wellFormedProblem('<a/><b/>')).not.toBeNull();
	});

	it('is what xml() makes of any text', () => {
		expect(wellFormedProblem(`<a>${xml('<b> & "c" \u0001\uFFFF</b>')}</a>`)).toBeNull();
		expect(xml('a\u0000b')).toBe('ab');
	});
});

describeEachDatabase('blog feeds', (ctx) => {
	it('lists public posts only, newest first, each linking back, in well-formed Atom and RSS', async () => {
		const author = await createTestUser(ctx.db, { name: 'Cy <Writer> & Co' });
		const theme = await insertTestTheme(ctx.db, { name: 'Feeds' });
		const older = await insertTestPost(ctx.db, {
			authorId: author.id,
			title: 'Older & <wiser>',
			body: 'Text with a [link](https://example.org/?a=1&b=2) and <img src=x onerror=alert(1)>.',
			publishedAt: new Date(Date.now() - 7_200_000).toISOString(),
			themeIds: [theme.id]
		});
		const newer = await insertTestPost(ctx.db, { title: 'Newer', themeIds: [theme.id] });
		const draft = await insertTestPost(ctx.db, {
			title: 'Draft',
			status: 'draft',
			publishedAt: null,
			themeIds: [theme.id]
		});
		const later = await insertTestPost(ctx.db, {
			publishedAt: new Date(Date.now() + 7_200_000).toISOString(),
			themeIds: [theme.id]
		});

		const feed = await loadBlogFeed(ctx.db, SITE, { theme: theme.slug });
		expect(feed?.title).toBe('Blog posts on Feeds – CoLab & Friends');
		expect(feed?.entries.map((e) => e.url)).toEqual([
			`https://colab.test/blog/${newer.slug}`,
			`https://colab.test/blog/${older.slug}`
		]);
		// Raw HTML in Markdown is shown as text, never as an element.
		expect(feed?.entries[1]?.html).not.toMatch(/<img[^>]*onerror/);

		const atom = toAtom(feed!);
		const rss = toRss(feed!);
		expect(wellFormedProblem(atom)).toBeNull();
		expect(wellFormedProblem(rss)).toBeNull();
		for (const doc of [atom, rss]) {
			expect(doc).toContain(`https://colab.test/blog/${older.slug}`);
			expect(doc).toContain('Older &amp; &lt;wiser&gt;');
			expect(doc).not.toContain(draft.slug);
			expect(doc).not.toContain(later.slug);
		}
		expect(atom).toContain(
			`<link rel="alternate" type="text/html" href="https://colab.test/blog/${older.slug}"/>`
		);
		expect(atom).toContain(`href="https://colab.test/blog/feed.atom?theme=${theme.slug}"`);
		expect(rss).toContain(`<guid isPermaLink="true">https://colab.test/blog/${newer.slug}</guid>`);
	});

	it('follows one author, and has no feed for someone who is not there', async () => {
		const author = await createTestUser(ctx.db, { name: 'Di Feed' });
		const mine = await insertTestPost(ctx.db, { authorId: author.id });
		await insertTestPost(ctx.db, {});
		const feed = await loadBlogFeed(ctx.db, SITE, { author: author.id });
		expect(feed?.title).toBe('Blog posts by Di Feed – CoLab & Friends');
		expect(feed?.entries.map((e) => e.url)).toEqual([`https://colab.test/blog/${mine.slug}`]);
		expect(await loadBlogFeed(ctx.db, SITE, { author: 'nobody-here' })).toBeUndefined();
		expect(await loadBlogFeed(ctx.db, SITE, { theme: 'no-such-theme' })).toBeUndefined();
	});

	it('is a valid empty feed when nothing is published', async () => {
		const theme = await insertTestTheme(ctx.db);
		const feed = await loadBlogFeed(ctx.db, SITE, { theme: theme.slug });
		expect(feed?.entries).toEqual([]);
		expect(wellFormedProblem(toAtom(feed!))).toBeNull();
		expect(wellFormedProblem(toRss(feed!))).toBeNull();
	});
});
