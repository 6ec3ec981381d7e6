import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { invalid, parseForm } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import { sendBackSchema } from '$lib/server/library/case-studies.schema';
import {
	caseStudyForReview,
	publishCaseStudy,
	sendBackCaseStudy
} from '$lib/server/library/case-studies.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const found = await refusedAs403(() =>
		caseStudyForReview(app().database.db, user, event.params.slug)
	);
	if (!found) error(404, 'Page not found');
	const { caseStudy, view, changes, authorName } = found;
	return {
		slug: caseStudy.slug,
		view,
		people: [] as Array<{ name: string; role: string }>,
		waiting: caseStudy.review_state === 'waiting',
		isUpdate: caseStudy.published_version !== null,
		author: authorName ?? 'A former member',
		changes: changes?.filter((l) => l.kind !== 'same') ?? null
	};
};

export const actions: Actions = {
	publish: async (event) => {
		const user = requireUser(event);
		const done = await refusedAs403(() =>
			publishCaseStudy(app().database.db, user, event.params.slug)
		);
		if (!done) error(404, 'This case study is not waiting any more.');
		redirect(303, '/library/review?notice=published');
	},
	sendBack: async (event) => {
		const user = requireUser(event);
		const form = parseForm(sendBackSchema, await event.request.formData());
		if (!form.ok) return invalid(form.values, form.errors);
		const { config } = app();
		const done = await refusedAs403(() =>
			sendBackCaseStudy(app().database.db, user, event.params.slug, form.data.message, {
				siteName: config.siteName,
				origin: config.origin
			})
		);
		if (!done) error(404, 'This case study is not waiting any more.');
		redirect(303, '/library/review?notice=sent-back');
	}
};
