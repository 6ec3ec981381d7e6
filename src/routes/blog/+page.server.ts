import { error } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import {
	blogQueryString,
	formatPostCursor,
	listBlogFilterChoices,
	listBlogPage,
	parseBlogQuery,
	parsePostCursor,
	resolveBlogFilters,
	type BlogPosition
} from '$lib/server/posts/blog.service';
import type { PostCursor } from '$lib/server/posts/blog.repository';
import type { PageServerLoad } from './$types';

const BROKEN_LINK =
	'This link to a page of posts is not complete. Start again from the first page of the blog.';

/** Where the address says the page starts: the first page, or after or before a post. */
function readPosition(url: URL): { page: number; position: BlogPosition } {
	const params = url.searchParams;
	const after = params.get('after');
	const before = params.get('before');
	if (after === null && before === null) return { page: 1, position: {} };
	const page = Number(params.get('page') ?? '');
	const cursor = parsePostCursor(after ?? before ?? '');
	if (!cursor || (after !== null && before !== null) || !Number.isInteger(page) || page < 2)
		error(400, BROKEN_LINK);
	return { page, position: after !== null ? { after: cursor } : { before: cursor } };
}

export const load: PageServerLoad = async ({ url }) => {
	const { db } = app().database;
	const { timeZone } = app().config;
	const query = parseBlogQuery(url.searchParams);
	const { page, position } = readPosition(url);
	const [resolved, choices] = await Promise.all([
		resolveBlogFilters(db, query),
		listBlogFilterChoices(db)
	]);
	const list = resolved.missing
		? { posts: [], newer: null, older: null }
		: await listBlogPage(db, resolved.filters, position);
	const qs = blogQueryString(query);
	const href = (n: number, key?: 'after' | 'before', cursor?: PostCursor) => {
		const params = new URLSearchParams(qs);
		if (n > 1 && key && cursor) {
			params.set(key, formatPostCursor(cursor));
			params.set('page', String(n));
		}
		const s = params.toString();
		return `/blog${s ? `?${s}` : ''}`;
	};
	const date = (iso: string) =>
		new Date(iso).toLocaleDateString('en-GB', {
			day: 'numeric',
			month: 'long',
			year: 'numeric',
			timeZone
		});
	const named = [
		resolved.theme && `on ${resolved.theme.name}`,
		resolved.author && `by ${resolved.author.name}`,
		resolved.organisation && `from ${resolved.organisation.name}`
	].filter((s): s is string => !!s);
	return {
		query,
		filtered: !!qs,
		missing: resolved.missing,
		named,
		choices,
		page,
		posts: list.posts.map((p) => ({ ...p, date: date(p.publishedAt) })),
		links: {
			first: href(1),
			// Page 2's Previous goes to the first page's plain address.
			previous: list.newer ? href(page - 1, 'before', list.newer) : null,
			next: list.older ? href(page + 1, 'after', list.older) : null
		},
		feeds: { atom: `/blog/feed.atom${qs}`, rss: `/blog/feed.rss${qs}` }
	};
};
