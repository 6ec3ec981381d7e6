import { error } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { feedHeaders, loadBlogFeed, toAtom } from '$lib/server/posts/blog.feeds';
import { parseBlogQuery } from '$lib/server/posts/blog.service';
import type { RequestHandler } from './$types';

/** The newest public posts as Atom: the whole blog, or ?theme=, ?author=, ?organisation=. */
export const GET: RequestHandler = async ({ url }) => {
	const { config, database } = app();
	const feed = await loadBlogFeed(database.db, config, parseBlogQuery(url.searchParams));
	if (!feed) error(404, 'There is no feed for that theme, person or organisation.');
	return new Response(toAtom(feed), { headers: feedHeaders('application/atom+xml') });
};
