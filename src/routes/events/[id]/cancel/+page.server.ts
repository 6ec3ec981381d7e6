import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { formValues, invalid } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import { eventsSite } from '$lib/server/events/events.http';
import { cancelEvent, getEventForManaging } from '$lib/server/events/events.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const found = await refusedAs403(() =>
		getEventForManaging(app().database.db, user, event.params.id)
	);
	if (!found) error(404, 'Page not found');
	return {
		id: found.id,
		title: found.title,
		status: found.status,
		placesTaken: found.places_taken
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const values = formValues(await event.request.formData());
		const result = await refusedAs403(() =>
			cancelEvent(app().database.db, eventsSite(), user, event.params.id, values)
		);
		if (!result.ok) {
			if (result.reason === 'not_found') error(404, 'Page not found');
			return invalid(values, result.errors);
		}
		redirect(303, `/events/${event.params.id}?notice=cancelled`);
	}
};
