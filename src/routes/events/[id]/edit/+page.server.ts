import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { formValues, invalid } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import { pictureField, pictureFieldHint, uploadLimit } from '$lib/server/uploads/uploads';
import { eventsSite } from '$lib/server/events/events.http';
import {
	eventCover,
	eventFormValues,
	getEventForManaging,
	listFormats,
	updateEvent
} from '$lib/server/events/events.service';
import { organisationsActorMayRepresent } from '$lib/server/organisations/organisations.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const { db } = app().database;
	const found = await refusedAs403(() => getEventForManaging(db, user, event.params.id));
	if (!found) error(404, 'Page not found');
	const [formats, organisations] = await Promise.all([
		listFormats(db),
		organisationsActorMayRepresent(db, user.id)
	]);
	const choices = organisations.map((o) => ({ id: o.id, name: o.name }));
	// A curator editing someone else's event keeps its organisation as a choice.
	if (found.organisation_id && !choices.some((o) => o.id === found.organisation_id)) {
		const current = await db
			.selectFrom('organisation')
			.select(['id', 'name'])
			.where('id', '=', found.organisation_id)
			.executeTakeFirst();
		if (current) choices.push(current);
	}
	return {
		id: found.id,
		title: found.title,
		status: found.status,
		values: eventFormValues(found, app().config.timeZone),
		formats,
		organisations: choices,
		timeZone: app().config.timeZone,
		cover: await eventCover(db, found),
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
			updateEvent(app().database.db, eventsSite(), user, event.params.id, values, undefined, cover)
		);
		if (!result.ok) {
			if (result.reason === 'not_found') error(404, 'Page not found');
			return invalid(values, result.errors);
		}
		redirect(303, `/events/${event.params.id}?notice=updated`);
	}
};
