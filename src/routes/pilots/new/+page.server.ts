import { redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { allErrors, parseForm } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import { refusal } from '$lib/server/pilots/pilots.http';
import { pilotSchema } from '$lib/server/pilots/pilots.schema';
import { pilotFormChoices, startPilot } from '$lib/server/pilots/pilots.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	return { choices: await pilotFormChoices(app().database.db, user) };
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const form = parseForm(pilotSchema, await event.request.formData(), {
			listFields: ['serviceAreas']
		});
		if (!form.ok)
			return refusal(event, form.values, {
				ok: false,
				reason: 'invalid',
				errors: allErrors(pilotSchema, form.errors, {})
			});
		const result = await refusedAs403(() => startPilot(app().database.db, user, form.data));
		if (!result.ok) return refusal(event, form.values, result);
		redirect(303, `/pilots/${result.slug}?notice=started`);
	}
};
