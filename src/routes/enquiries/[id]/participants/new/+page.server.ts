import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { ENQUIRY_NOT_FOUND, enquiryRefusal } from '$lib/server/enquiries/enquiries.http';
import { PERSPECTIVE_OPTIONS, QUOTE_OPTIONS } from '$lib/server/enquiries/participants.choices';
import { participantFormFor, recordParticipant } from '$lib/server/enquiries/participants.service';
import { formValues } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const form = await refusedAs403(() =>
		participantFormFor(app().database.db, user, event.params.id)
	);
	if (!form) error(404, ENQUIRY_NOT_FOUND);
	return { ...form, perspectives: PERSPECTIVE_OPTIONS, quotes: QUOTE_OPTIONS };
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const values = formValues(await event.request.formData());
		const result = await refusedAs403(() =>
			recordParticipant(app().database.db, user, event.params.id, values)
		);
		if (!result.ok) return enquiryRefusal(event, values, result);
		redirect(303, `/enquiries/${event.params.id}/participants/${result.id}?notice=recorded`);
	}
};
