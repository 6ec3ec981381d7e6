import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser, tooManyAttempts } from '$lib/server/auth/auth.http';
import { formValues, invalid } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import { eventsSite } from '$lib/server/events/events.http';
import { getEventForManaging, messageAttendees } from '$lib/server/events/events.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const found = await refusedAs403(() =>
		getEventForManaging(app().database.db, user, event.params.id)
	);
	if (!found) error(404, 'Page not found');
	const sent = event.url.searchParams.get('sent');
	return {
		id: found.id,
		title: found.title,
		placesTaken: found.places_taken,
		sent: sent && /^\d+$/.test(sent) ? Number(sent) : null
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const values = formValues(await event.request.formData());
		const result = await refusedAs403(() =>
			messageAttendees(app().database.db, eventsSite(), user, event.params.id, values)
		);
		if (!result.ok) {
			if (result.reason === 'not_found') error(404, 'Page not found');
			if (result.reason === 'rate-limited') {
				return tooManyAttempts(event, values, result.retryAfterSeconds);
			}
			return invalid(values, result.errors);
		}
		redirect(303, `/events/${event.params.id}/message?sent=${result.told}`);
	}
};
