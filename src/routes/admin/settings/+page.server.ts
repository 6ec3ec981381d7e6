import { redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireAdministrator } from '$lib/server/admin/admin.http';
import { formValues, invalid } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import { readEventSettings, saveEventSettings } from '$lib/server/events/events.settings';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireAdministrator(event);
	return {
		settings: await readEventSettings(app().database.db),
		saved: event.url.searchParams.has('saved')
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireAdministrator(event);
		const values = formValues(await event.request.formData());
		const result = await refusedAs403(() => saveEventSettings(app().database.db, user, values));
		if (!result.ok) return invalid(values, result.errors);
		redirect(303, '/admin/settings?saved');
	}
};
