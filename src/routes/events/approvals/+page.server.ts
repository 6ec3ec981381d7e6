import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { formValues } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import { formatEventWhen } from '$lib/server/events/event-time';
import { eventsSite } from '$lib/server/events/events.http';
import { listPendingEvents } from '$lib/server/events/events.queries';
import { approveEvent } from '$lib/server/events/events.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const pending = await refusedAs403(() => listPendingEvents(app().database.db, user));
	const { timeZone } = app().config;
	return {
		pending: pending.map((p) => ({ ...p, when: formatEventWhen(p.starts_at, null, timeZone) }))
	};
};

export const actions: Actions = {
	approve: async (event) => {
		const user = requireUser(event);
		const values = formValues(await event.request.formData());
		const id = typeof values.event === 'string' ? values.event : '';
		const result = await refusedAs403(() =>
			approveEvent(app().database.db, eventsSite(), user, id)
		);
		if (!result.ok) error(404, 'That event no longer exists.');
		redirect(303, `/events/${id}?notice=approved`);
	}
};
