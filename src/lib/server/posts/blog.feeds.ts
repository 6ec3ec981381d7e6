import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { nowIso } from '../ids';
import { markdownExcerpt, renderMarkdown } from '../markdown';
import { listPostsForFeed } from './blog.repository';
import { blogQueryString, FORMER_MEMBER, resolveBlogFilters, type BlogQuery } from './blog.service';

/**
 * The blog as Atom and RSS feeds, for the whole blog, one theme, one author or one
 * organisation (the same filters as /blog, in the query string). Written by hand: every value
 * is escaped, and characters XML cannot hold are dropped, so the feed is always well formed.
 */

/** Entries in a feed: the newest posts. */
export const FEED_ENTRIES = 20;

// Characters XML 1.0 does not allow at all (control characters other than tab and newlines).
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Text for XML content or a double-quoted attribute. */
export function xml(value: string): string {
	return value
		.replace(NOT_XML, '')
		.replaceAll('&', '&amp;')
		.replaceAll('<', '&lt;')
		.replaceAll('>', '&gt;')
		.replaceAll('"', '&quot;')
		.replaceAll("'", '&apos;');
}

export interface FeedEntry {
	url: string;
	title: string;
	author: string;
	publishedAt: string;
	updatedAt: string;
	summary: string;
	html: string;
}

export interface Feed {
	title: string;
	description: string;
	/** The page the feed follows (/blog with the same filters). */
	pageUrl: string;
	/** The feed's own addresses. */
	atomUrl: string;
	rssUrl: string;
	updatedAt: string;
	entries: FeedEntry[];
}

/**
 * The feed for a set of filters, or undefined when a filter names a theme, person or
 * organisation that is not there. Only public posts are in it.
 */
export async function loadBlogFeed(
	db: Kysely<DB>,
	site: { origin: string; siteName: string },
	query: BlogQuery,
	now = nowIso()
): Promise<Feed | undefined> {
	const resolved = await resolveBlogFilters(db, query);
	if (resolved.missing) return undefined;
	const rows = await listPostsForFeed(db, resolved.filters, now, FEED_ENTRIES);
	const named = [
		resolved.theme && `on ${resolved.theme.name}`,
		resolved.author && `by ${resolved.author.name}`,
		resolved.organisation && `from ${resolved.organisation.name}`
	].filter(Boolean);
	const title = `Blog${named.length ? ` posts ${named.join(', ')}` : ''} – ${site.siteName}`;
	const qs = blogQueryString(query);
	const blog = `${site.origin}/blog`;
	return {
		title,
		description: named.length
			? `The newest posts ${named.join(', ')} on ${site.siteName}.`
			: `The newest posts on ${site.siteName}.`,
		pageUrl: `${blog}${qs}`,
		atomUrl: `${blog}/feed.atom${qs}`,
		rssUrl: `${blog}/feed.rss${qs}`,
		updatedAt: rows[0]?.published_at ?? new Date(0).toISOString(),
		entries: rows.map((r) => ({
			url: `${blog}/${r.slug}`,
			title: r.title,
			author: r.author_name ?? FORMER_MEMBER,
			publishedAt: r.published_at!,
			// A later edit, but never before it went public (a scheduled post was saved earlier).
			updatedAt: r.updated_at > r.published_at! ? r.updated_at : r.published_at!,
			summary: markdownExcerpt(r.body, 300),
			html: renderMarkdown(r.body)
		}))
	};
}

/** A feed as Atom 1.0. */
export function toAtom(feed: Feed): string {
	const entries = feed.entries
		.map(
			(e) => `	<entry>
		<id>${xml(e.url)}</id>
		<title>${xml(e.title)}</title>
		<link rel="alternate" type="text/html" href="${xml(e.url)}"/>
		<author><name>${xml(e.author)}</name></author>
		<published>${xml(e.publishedAt)}</published>
		<updated>${xml(e.updatedAt)}</updated>
		<summary>${xml(e.summary)}</summary>
		<content type="html">${xml(e.html)}</content>
	</entry>`
		)
		.join('\n');
	return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
	<id>${xml(feed.atomUrl)}</id>
	<title>${xml(feed.title)}</title>
	<subtitle>${xml(feed.description)}</subtitle>
	<link rel="self" type="application/atom+xml" href="${xml(feed.atomUrl)}"/>
	<link rel="alternate" type="text/html" href="${xml(feed.pageUrl)}"/>
	<updated>${xml(feed.updatedAt)}</updated>
${entries}
</feed>
`;
}

/** A feed as RSS 2.0 (dates in RFC 822 form, as RSS wants). */
export function toRss(feed: Feed): string {
	const date = (iso: string) => new Date(iso).toUTCString();
	const items = feed.entries
		.map(
			(e) => `		<item>
			<title>${xml(e.title)}</title>
			<link>${xml(e.url)}</link>
			<guid isPermaLink="true">${xml(e.url)}</guid>
			<dc:creator>${xml(e.author)}</dc:creator>
			<pubDate>${xml(date(e.publishedAt))}</pubDate>
			<description>${xml(e.html)}</description>
		</item>`
		)
		.join('\n');
	return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
	<channel>
		<title>${xml(feed.title)}</title>
		<link>${xml(feed.pageUrl)}</link>
		<description>${xml(feed.description)}</description>
		<atom:link rel="self" type="application/rss+xml" href="${xml(feed.rssUrl)}"/>
		<lastBuildDate>${xml(date(feed.updatedAt))}</lastBuildDate>
${items}
	</channel>
</rss>
`;
}

/** Headers for a feed: cacheable by readers and proxies for five minutes. */
export function feedHeaders(contentType: string): Record<string, string> {
	return {
		'content-type': `${contentType}; charset=utf-8`,
		'cache-control': 'public, max-age=300'
	};
}
