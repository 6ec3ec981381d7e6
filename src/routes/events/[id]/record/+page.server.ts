import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { formValues, invalid } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import { formatEventWhen } from '$lib/server/events/event-time';
import {
	getEventForManaging,
	recordFormValues,
	writeRecord
} from '$lib/server/events/events.service';
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
		when: formatEventWhen(found.starts_at, found.ends_at, app().config.timeZone),
		started: found.starts_at <= new Date().toISOString(),
		cancelled: found.status === 'cancelled',
		placesTaken: found.places_taken,
		values: recordFormValues(found)
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const values = formValues(await event.request.formData());
		const result = await refusedAs403(() =>
			writeRecord(app().database.db, user, event.params.id, values)
		);
		if (!result.ok) {
			if (result.reason === 'not_found') error(404, 'Page not found');
			return invalid(values, result.errors);
		}
		redirect(303, `/events/${event.params.id}?notice=recorded`);
	}
};
