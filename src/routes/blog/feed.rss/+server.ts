import { error } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { feedHeaders, loadBlogFeed, toRss } from '$lib/server/posts/blog.feeds';
import { parseBlogQuery } from '$lib/server/posts/blog.service';
import type { RequestHandler } from './$types';

/** The newest public posts as RSS 2.0: the whole blog, or ?theme=, ?author=, ?organisation=. */
export const GET: RequestHandler = async ({ url }) => {
	const { config, database } = app();
	const feed = await loadBlogFeed(database.db, config, parseBlogQuery(url.searchParams));
	if (!feed) error(404, 'There is no feed for that theme, person or organisation.');
	return new Response(toRss(feed), { headers: feedHeaders('application/rss+xml') });
};
