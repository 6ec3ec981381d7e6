import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { enquiryRefusal } from '$lib/server/enquiries/enquiries.http';
import { viewParticipant, withdrawParticipant } from '$lib/server/enquiries/participants.service';
import { formValues } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const view = await refusedAs403(() =>
		viewParticipant(app().database.db, user, event.params.id, event.params.participantId)
	);
	if (!view) error(404, 'We could not find that participant.');
	if (view.participant.withdrawn_at)
		redirect(303, `/enquiries/${event.params.id}/participants/${event.params.participantId}`);
	return {
		enquiry: view.enquiry,
		viewer: view.viewer,
		participant: { id: view.participant.id, label: view.participant.label },
		interviews: view.interviews.length
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const values = formValues(await event.request.formData());
		const result = await refusedAs403(() =>
			withdrawParticipant(
				app().database.db,
				user,
				event.params.id,
				event.params.participantId,
				values
			)
		);
		if (result.ok) redirect(303, `/enquiries/${event.params.id}/participants?notice=withdrawn`);
		if (result.reason === 'not-found') error(404, 'We could not find that participant.');
		return enquiryRefusal(event, values, result, {
			withdrawn: 'This person has already withdrawn.'
		});
	}
};
