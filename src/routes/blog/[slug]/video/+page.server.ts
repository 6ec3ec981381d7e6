import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { formValues, invalid } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import { bodySizeLimit } from '$lib/server/http/body-guard';
import { BodyRefused, readMultipartForm, type StreamedForm } from '$lib/server/videos/multipart';
import type { VideoStore } from '$lib/server/videos/video-files';
import {
	getVideoPage,
	mayChangeVideo,
	removeVideo,
	saveVideo,
	videoFieldHint,
	videoLimit,
	videoStoreFor
} from '$lib/server/videos/videos.service';
import type { Actions, PageServerLoad } from './$types';

/** The form's fields and files: a multipart body streamed (the video to disk), else as usual. */
async function readVideoForm(
	request: Request,
	store: VideoStore,
	limit: number
): Promise<StreamedForm> {
	const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
	if (type !== 'multipart/form-data') {
		return { fields: await request.formData(), files: new Map(), cleanup: async () => {} };
	}
	try {
		return await readMultipartForm(request, {
			toDisk: ['file'],
			folder: store.folder,
			// One byte more than the limit, so a larger file is known to be too large.
			diskLimit: limit + 1,
			memoryLimit: 4 * 1024 * 1024,
			bodyLimit: bodySizeLimit()
		});
	} catch (failure) {
		if (failure instanceof BodyRefused) {
			error(failure.problem.status, {
				message: failure.problem.message,
				advice: failure.problem.advice
			});
		}
		throw failure;
	}
}

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
		const config = app().config;
		const { db } = app().database;
		const store = videoStoreFor(config);
		const limit = videoLimit(config);
		// Who may change the video is checked before the body is read: nobody else's upload is
		// taken in. The form is then read as it arrives, the video straight to disk.
		if (!(await refusedAs403(() => mayChangeVideo(db, user, event.params.slug)))) {
			error(404, 'Page not found');
		}
		const form = await readVideoForm(event.request, store, limit);
		try {
			const values = formValues(form.fields);
			const result = await refusedAs403(() =>
				saveVideo(db, store, limit, user, event.params.slug, values, {
					video: form.files.get('file') ?? form.fields.get('file'),
					captions: form.fields.get('captions')
				})
			);
			if (!result.ok) {
				if (result.reason === 'not_found') error(404, 'Page not found');
				return invalid(values, result.errors);
			}
		} finally {
			await form.cleanup();
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
