import { error } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { readPost } from '$lib/server/posts/blog.service';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	const { config, database } = app();
	// Visitors get 404 for a post that is not public, so nobody learns a draft exists.
	const post = await readPost(database.db, locals.user, params.slug);
	if (!post) error(404, 'Page not found');
	const date = (iso: string) =>
		new Date(iso).toLocaleDateString('en-GB', {
			day: 'numeric',
			month: 'long',
			year: 'numeric',
			timeZone: config.timeZone
		});
	const url = `${config.origin}/blog/${post.slug}`;
	const authorQs = post.authorId ? `?author=${encodeURIComponent(post.authorId)}` : '';
	return {
		post: {
			...post,
			date: post.publishedAt ? date(post.publishedAt) : null,
			related: post.related.map((r) => ({ ...r, date: date(r.publishedAt) }))
		},
		url,
		// og:image: the largest width, as an absolute address.
		image: post.picture ? new URL(post.picture.src, config.origin).href : null,
		feeds: {
			atom: '/blog/feed.atom',
			rss: '/blog/feed.rss',
			author: post.authorId ? `/blog/feed.atom${authorQs}` : null
		}
	};
};
