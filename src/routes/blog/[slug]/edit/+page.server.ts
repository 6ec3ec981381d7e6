import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { refusedAs403 } from '$lib/server/http/refusals';
import { utcToLocal } from '$lib/server/events/event-time';
import { canReviewPosts } from '$lib/server/posts/posts.permissions';
import { editorActions, editorData } from '$lib/server/posts/posts.http';
import {
	featurePost,
	findPostForEditing,
	statusLabel,
	unpublishPost
} from '$lib/server/posts/posts.service';
import { writingHints } from '$lib/server/posts/posts.writing-hints';
import type { Actions, PageServerLoad } from './$types';

const NOTICES: Record<string, string> = {
	saved: 'Your draft is saved. Nobody else sees it until you publish.',
	published: 'Your post is published.',
	scheduled: 'Your post is scheduled. It appears at the time you chose.',
	waiting:
		'Thank you. A curator reads new members’ posts before they appear; we will email you if anything needs changing.',
	unpublished: 'Your post is unpublished. Only you and curators can see it now.',
	featured: 'The post is featured on the home page.',
	unfeatured: 'The post is no longer featured.'
};

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const found = await refusedAs403(() =>
		findPostForEditing(app().database.db, user, event.params.slug)
	);
	if (!found) error(404, 'Page not found');
	const { post, themeIds } = found;
	const now = new Date().toISOString();
	const scheduled = post.status === 'published' && !!post.published_at && post.published_at > now;
	const local =
		scheduled && post.published_at ? utcToLocal(post.published_at, app().config.timeZone) : null;
	return {
		...(await editorData(event)),
		post: {
			slug: post.slug,
			title: post.title,
			status: post.status,
			statusLabel: statusLabel(post, now),
			published: post.status === 'published',
			featured: !!post.featured_at,
			version: post.version
		},
		initial: {
			title: post.title,
			body: post.body,
			themes: themeIds,
			organisationId: post.organisation_id ?? '',
			eventId: post.event_id ?? '',
			publishAt: local ? `${local.date}T${local.time}` : ''
		},
		hints: writingHints(post.body),
		canFeature: canReviewPosts(user),
		notice: NOTICES[event.url.searchParams.get('notice') ?? ''] ?? null
	};
};

export const actions: Actions = {
	...editorActions((event) => event.params.slug),
	unpublish: async (event) => {
		const user = requireUser(event);
		const post = await refusedAs403(() =>
			unpublishPost(app().database.db, user, event.params.slug ?? '')
		);
		if (!post) error(404, 'Page not found');
		redirect(303, `/blog/${post.slug}/edit?notice=unpublished`);
	},
	feature: async (event) => {
		const user = requireUser(event);
		const featured = (await event.request.formData()).get('featured') === 'yes';
		const post = await refusedAs403(() =>
			featurePost(app().database.db, user, event.params.slug ?? '', featured)
		);
		if (!post) error(404, 'Page not found');
		redirect(303, `/blog/${post.slug}/edit?notice=${featured ? 'featured' : 'unfeatured'}`);
	}
};
