import { error } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { loadThread } from '$lib/server/comments/comments.service';
import { threadSlotNotes } from '$lib/server/comments/comments.slots';
import { notePostPage } from '$lib/server/posts/post-page.shared';
import { isVideoHidden } from '$lib/server/moderation/moderation.service';
import { readPost } from '$lib/server/posts/blog.service';
import { videoForPost } from '$lib/server/videos/videos.service';
import type { PageServerLoad } from './$types';

/** Made once: making a formatter costs far more than using one. */
let dateFormat: { timeZone: string; format: Intl.DateTimeFormat } | undefined;
function formatDate(iso: string, timeZone: string): string {
	if (dateFormat?.timeZone !== timeZone) {
		const format = new Intl.DateTimeFormat('en-GB', {
			day: 'numeric',
			month: 'long',
			year: 'numeric',
			timeZone
		});
		dateFormat = { timeZone, format };
	}
	return dateFormat.format.format(new Date(iso));
}

export const load: PageServerLoad = async ({ locals, params, url: address }) => {
	const { config, database } = app();
	const commentsPage = Math.max(1, Math.min(10_000, Number(address.searchParams.get('page')) || 1));
	// The comments are read alongside the post: loadThread answers only for a public post, and
	// what it finds is used only once readPost has said this viewer may read the post.
	const threadRead = loadThread(
		database.db,
		locals.user,
		params.slug,
		commentsPage,
		undefined,
		config.timeZone
	);
	// Visitors get 404 for a post that is not public, so nobody learns a draft exists.
	const post = await readPost(database.db, locals.user, params.slug).catch(async (failure) => {
		await threadRead.catch(() => undefined);
		throw failure;
	});
	if (!post) {
		await threadRead.catch(() => undefined);
		error(404, 'Page not found');
	}
	const date = (iso: string) => formatDate(iso, config.timeZone);
	const url = `${config.origin}/blog/${post.slug}`;
	// The video (unless moderation hid it) and the comments (public posts only), side by side.
	const [video, thread] = await Promise.all([
		videoForPost(database.db, post.id).then(async (found) =>
			found && !(await isVideoHidden(database.db, found.id)) ? found : null
		),
		threadRead.then((read) => (post.isPublic ? read : undefined))
	]);
	// A render that may be shared among members (cache/shared-pages.ts) notes what that needs.
	if (locals.sharedRender) {
		notePostPage(
			locals.sharedRender.notes,
			{ isPublic: post.isPublic, hidden: !!post.hidden, authorId: post.authorId },
			thread ? threadSlotNotes(thread, `/blog/${post.slug}`) : null
		);
	}
	const authorQs = post.authorId ? `?author=${encodeURIComponent(post.authorId)}` : '';
	return {
		post: {
			...post,
			date: post.publishedAt ? date(post.publishedAt) : null,
			related: post.related.map((r) => ({ ...r, date: date(r.publishedAt) }))
		},
		url,
		video,
		thread: thread ?? null,
		editing: address.searchParams.get('edit'),
		replying: address.searchParams.get('reply'),
		notice: address.searchParams.get('notice'),
		/** "Load video" was pressed: the page comes back with the player framed (no script needed). */
		videoLoaded: address.searchParams.get('video') === 'load',
		// og:image: the largest width, as an absolute address.
		image: post.picture ? new URL(post.picture.src, config.origin).href : null,
		feeds: {
			atom: '/blog/feed.atom',
			rss: '/blog/feed.rss',
			author: post.authorId ? `/blog/feed.atom${authorQs}` : null
		}
	};
};
