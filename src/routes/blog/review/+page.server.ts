import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { invalid, parseForm } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import { declineSchema } from '$lib/server/posts/posts.schema';
import {
	approvePost,
	declinePost,
	featurePost,
	listReviewQueue,
	POSTS_PAGE_SIZE
} from '$lib/server/posts/posts.service';
import type { Actions, PageServerLoad } from './$types';

const NOTICES: Record<string, string> = {
	approved: 'The post is published. Its author can see it under their posts.',
	declined: 'The post is declined, and its author has an email with your reason.',
	featured: 'The post is featured on the home page.',
	unfeatured: 'The post is no longer featured.'
};

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const asked = Number(event.url.searchParams.get('page') ?? '1');
	const page = Number.isInteger(asked) && asked >= 1 && asked <= 10_000 ? asked : 1;
	const db = app().database.db;
	const queue = await refusedAs403(() => listReviewQueue(db, user, page));
	return {
		waiting: queue.rows,
		recent: queue.recent,
		page,
		pageCount: Math.max(1, Math.ceil(queue.total / POSTS_PAGE_SIZE)),
		notice: NOTICES[event.url.searchParams.get('notice') ?? ''] ?? null
	};
};

export const actions: Actions = {
	approve: async (event) => {
		const user = requireUser(event);
		const slug = String((await event.request.formData()).get('slug') ?? '');
		const post = await refusedAs403(() => approvePost(app().database.db, user, slug));
		if (!post) error(404, 'This post is not waiting any more.');
		redirect(303, '/blog/review?notice=approved');
	},
	decline: async (event) => {
		const user = requireUser(event);
		const data = await event.request.formData();
		const slug = String(data.get('slug') ?? '');
		const form = parseForm(declineSchema, data);
		if (!form.ok)
			return invalid({ ...form.values }, { [`reason-${slug}`]: form.errors.reason ?? '' });
		const { config } = app();
		const post = await refusedAs403(() =>
			declinePost(app().database.db, user, slug, form.data.reason, {
				siteName: config.siteName,
				origin: config.origin
			})
		);
		if (!post) error(404, 'This post is not waiting any more.');
		redirect(303, '/blog/review?notice=declined');
	},
	feature: async (event) => {
		const user = requireUser(event);
		const data = await event.request.formData();
		const featured = data.get('featured') === 'yes';
		const post = await refusedAs403(() =>
			featurePost(app().database.db, user, String(data.get('slug') ?? ''), featured)
		);
		if (!post) error(404, 'This post is not published.');
		redirect(303, `/blog/review?notice=${featured ? 'featured' : 'unfeatured'}`);
	}
};
