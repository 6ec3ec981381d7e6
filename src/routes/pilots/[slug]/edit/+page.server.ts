import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { allErrors, parseForm } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import { PILOT_NOT_FOUND, refusal } from '$lib/server/pilots/pilots.http';
import { pilotEditSchema } from '$lib/server/pilots/pilots.schema';
import { pilotForEditing, pilotFormChoices, updatePilot } from '$lib/server/pilots/pilots.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const { db } = app().database;
	const editing = await refusedAs403(() => pilotForEditing(db, user, event.params.slug));
	if (!editing) error(404, PILOT_NOT_FOUND);
	const choices = await pilotFormChoices(db, user);
	// An organisation the pilot already runs for stays a choice, even if they have since left it.
	return {
		pilot: { slug: editing.pilot.slug, title: editing.pilot.title },
		values: editing.values,
		choices
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const form = parseForm(pilotEditSchema, await event.request.formData(), {
			listFields: ['serviceAreas']
		});
		if (!form.ok)
			return refusal(event, form.values, {
				ok: false,
				reason: 'invalid',
				errors: allErrors(pilotEditSchema, form.errors, {})
			});
		const result = await refusedAs403(() =>
			updatePilot(app().database.db, user, event.params.slug, form.data)
		);
		if (!result.ok) return refusal(event, form.values, result);
		redirect(303, `/pilots/${result.slug}?notice=saved`);
	}
};
