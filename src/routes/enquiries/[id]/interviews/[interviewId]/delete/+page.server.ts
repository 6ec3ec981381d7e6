import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { deleteInterview, viewInterview } from '$lib/server/enquiries/participants.service';
import { refusedAs403 } from '$lib/server/http/refusals';
import type { Actions, PageServerLoad } from './$types';

const NOT_FOUND = 'We could not find that interview.';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const view = await refusedAs403(() =>
		viewInterview(app().database.db, user, event.params.id, event.params.interviewId)
	);
	if (!view) error(404, NOT_FOUND);
	return {
		enquiry: view.enquiry,
		interview: { id: view.interview.id, title: view.interview.title },
		excerpts: view.excerpts
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const result = await refusedAs403(() =>
			deleteInterview(app().database.db, user, event.params.id, event.params.interviewId)
		);
		if (!result.ok) error(404, NOT_FOUND);
		redirect(303, `/enquiries/${event.params.id}/interviews?notice=deleted`);
	}
};
