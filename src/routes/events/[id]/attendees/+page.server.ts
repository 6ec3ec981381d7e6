import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { formValues } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import { getAttendees, setCheckedIn } from '$lib/server/events/attendees.service';
import { formatEventWhen } from '$lib/server/events/event-time';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const list = await refusedAs403(() => getAttendees(app().database.db, user, event.params.id));
	if (!list) error(404, 'Page not found');
	return {
		...list,
		when: formatEventWhen(list.event.starts_at, null, app().config.timeZone)
	};
};

export const actions: Actions = {
	checkIn: async (event) => {
		const user = requireUser(event);
		const values = formValues(await event.request.formData());
		const registration = typeof values.registration === 'string' ? values.registration : '';
		const result = await refusedAs403(() =>
			setCheckedIn(
				app().database.db,
				user,
				event.params.id,
				registration,
				values.checkedIn === 'yes'
			)
		);
		if (!result.ok) error(404, 'That person is not on the list.');
		redirect(303, `/events/${event.params.id}/attendees#person-${registration}`);
	}
};
