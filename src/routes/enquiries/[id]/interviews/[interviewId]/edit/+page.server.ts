import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { enquiryRefusal } from '$lib/server/enquiries/enquiries.http';
import { interviewFileHint, readInterviewForm } from '$lib/server/enquiries/participants.http';
import {
	editInterview,
	interviewFormFor,
	viewInterview
} from '$lib/server/enquiries/participants.service';
import { formValues, invalid } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import type { Actions, PageServerLoad } from './$types';

const NOT_FOUND = 'We could not find that interview.';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const db = app().database.db;
	const view = await refusedAs403(() =>
		viewInterview(db, user, event.params.id, event.params.interviewId)
	);
	const choices = await refusedAs403(() => interviewFormFor(db, user, event.params.id));
	if (!view || !choices) error(404, NOT_FOUND);
	const i = view.interview;
	const team = choices.team.some((m) => m.value === i.interviewer_id)
		? choices.team
		: [{ value: '', label: 'Choose the interviewer' }, ...choices.team];
	return {
		enquiry: view.enquiry,
		viewer: view.viewer,
		interview: { id: i.id, title: i.title },
		bodyLocked: view.excerpts > 0,
		team,
		fileHint: interviewFileHint(),
		values: {
			interviewer_id: i.interviewer_id ?? '',
			title: i.title,
			held_on: i.held_on ?? '',
			kind: i.kind,
			body: view.excerpts > 0 ? '' : i.body
		}
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const db = app().database.db;
		const allowed = await refusedAs403(() => interviewFormFor(db, user, event.params.id));
		if (!allowed) error(404, NOT_FOUND);
		const data = await event.request.formData();
		const values = formValues(data);
		const keep = values.keep_body === '1';
		const read = keep ? null : await readInterviewForm(data, values);
		if (read && !read.ok) return invalid(values, read.errors);
		const result = await refusedAs403(() =>
			editInterview(
				db,
				user,
				event.params.id,
				event.params.interviewId,
				values,
				read ? read.body : 'unchanged'
			)
		);
		if (result.ok)
			redirect(
				303,
				`/enquiries/${event.params.id}/interviews/${event.params.interviewId}?notice=saved`
			);
		if (result.reason === 'not-found') error(404, NOT_FOUND);
		return enquiryRefusal(event, values, result);
	}
};
