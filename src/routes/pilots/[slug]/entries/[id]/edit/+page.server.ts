import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { allErrors, parseForm } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import { PILOT_NOT_FOUND, refusal } from '$lib/server/pilots/pilots.http';
import { entrySchema } from '$lib/server/pilots/pilots.schema';
import { editEntry, entryForEditing } from '$lib/server/pilots/pilots.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const editing = await refusedAs403(() =>
		entryForEditing(app().database.db, user, event.params.slug, event.params.id)
	);
	if (!editing) error(404, PILOT_NOT_FOUND);
	return editing;
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const form = parseForm(entrySchema, await event.request.formData());
		if (!form.ok)
			return refusal(event, form.values, {
				ok: false,
				reason: 'invalid',
				errors: allErrors(entrySchema, form.errors, {})
			});
		const result = await refusedAs403(() =>
			editEntry(app().database.db, user, event.params.slug, event.params.id, form.data, {
				timeZone: app().config.timeZone
			})
		);
		if (!result.ok) return refusal(event, form.values, result);
		redirect(303, `/pilots/${event.params.slug}?notice=edited#entry-${event.params.id}`);
	}
};
