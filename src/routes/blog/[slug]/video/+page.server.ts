import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { formValues, invalid } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import {
	getVideoPage,
	removeVideo,
	saveVideo,
	videoFieldHint,
	videoLimit,
	videoStoreFor
} from '$lib/server/videos/videos.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const page = await refusedAs403(() => getVideoPage(app().database.db, user, event.params.slug));
	if (!page) error(404, 'Page not found');
	return {
		post: { slug: page.post.slug, title: page.post.title },
		video: page.video,
		current: page.current,
		askForTranscript: page.askForTranscript,
		videoHint: videoFieldHint(videoLimit(app().config)),
		notice: event.url.searchParams.get('notice')
	};
};

export const actions: Actions = {
	save: async (event) => {
		const user = requireUser(event);
		const form = await event.request.formData();
		const values = formValues(form);
		const config = app().config;
		const result = await refusedAs403(() =>
			saveVideo(
				app().database.db,
				videoStoreFor(config),
				videoLimit(config),
				user,
				event.params.slug,
				values,
				{ video: form.get('file'), captions: form.get('captions') }
			)
		);
		if (!result.ok) {
			if (result.reason === 'not_found') error(404, 'Page not found');
			return invalid(values, result.errors);
		}
		redirect(303, `/blog/${event.params.slug}/video?notice=saved`);
	},
	remove: async (event) => {
		const user = requireUser(event);
		const result = await refusedAs403(() =>
			removeVideo(app().database.db, videoStoreFor(app().config), user, event.params.slug)
		);
		if (!result.ok) error(404, 'Page not found');
		redirect(303, `/blog/${event.params.slug}/video?notice=removed`);
	}
};
