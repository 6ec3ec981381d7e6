import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { ENQUIRY_NOT_FOUND, enquiryRefusal } from '$lib/server/enquiries/enquiries.http';
import { interviewFileHint, readInterviewForm } from '$lib/server/enquiries/participants.http';
import { interviewFormFor, recordInterview } from '$lib/server/enquiries/participants.service';
import { formValues, invalid } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const form = await refusedAs403(() => interviewFormFor(app().database.db, user, event.params.id));
	if (!form) error(404, ENQUIRY_NOT_FOUND);
	return {
		...form,
		fileHint: interviewFileHint(),
		initial: {
			participant_id: event.url.searchParams.get('participant') ?? '',
			interviewer_id: user.id,
			kind: 'notes'
		}
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const db = app().database.db;
		// Who is asking, before any time is spent opening a file.
		const allowed = await refusedAs403(() => interviewFormFor(db, user, event.params.id));
		if (!allowed) error(404, ENQUIRY_NOT_FOUND);
		const data = await event.request.formData();
		const values = formValues(data);
		const read = await readInterviewForm(data, values);
		if (!read.ok) return invalid(values, read.errors);
		const result = await refusedAs403(() =>
			recordInterview(db, user, event.params.id, values, read.body)
		);
		if (!result.ok) return enquiryRefusal(event, values, result);
		redirect(303, `/enquiries/${event.params.id}/interviews/${result.id}?notice=recorded`);
	}
};
