import { redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser, tooManyAttempts } from '$lib/server/auth/auth.http';
import { formValues, invalid } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import { pictureField, pictureFieldHint, uploadLimit } from '$lib/server/uploads/uploads';
import { eventsSite } from '$lib/server/events/events.http';
import { createEvent, duplicateEventValues, listFormats } from '$lib/server/events/events.service';
import { organisationsActorMayRepresent } from '$lib/server/organisations/organisations.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const { db } = app().database;
	const from = event.url.searchParams.get('from');
	const [formats, organisations, copied] = await Promise.all([
		listFormats(db),
		organisationsActorMayRepresent(db, user.id),
		from ? duplicateEventValues(db, user, from, app().config.timeZone) : undefined
	]);
	return {
		formats,
		organisations: organisations.map((o) => ({ id: o.id, name: o.name })),
		copied: copied ?? null,
		timeZone: app().config.timeZone,
		pictureHint: pictureFieldHint(uploadLimit(app().config))
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const form = await event.request.formData();
		const values = formValues(form);
		const cover = pictureField(app().config, form, 'cover');
		const result = await refusedAs403(() =>
			createEvent(app().database.db, eventsSite(), user, values, undefined, cover)
		);
		if (!result.ok) {
			if (result.reason === 'rate-limited') {
				return tooManyAttempts(event, values, result.retryAfterSeconds);
			}
			return invalid(values, result.errors);
		}
		const notice = result.event.approval === 'pending' ? 'pending' : 'created';
		redirect(303, `/events/${result.event.id}?notice=${notice}`);
	}
};
