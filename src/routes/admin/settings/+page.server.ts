import { redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireAdministrator } from '$lib/server/admin/admin.http';
import { readContactDetails, saveContactDetails } from '$lib/server/admin/contact.service';
import { formValues, invalid } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import { readEventSettings, saveEventSettings } from '$lib/server/events/events.settings';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireAdministrator(event);
	const { db } = app().database;
	const saved = event.url.searchParams.get('saved');
	return {
		settings: await readEventSettings(db),
		contact: await readContactDetails(db),
		saved: saved === 'contact' ? ('contact' as const) : saved === null ? null : ('events' as const)
	};
};

export const actions: Actions = {
	events: async (event) => {
		const user = requireAdministrator(event);
		const values = formValues(await event.request.formData());
		const result = await refusedAs403(() => saveEventSettings(app().database.db, user, values));
		if (!result.ok) return invalid(values, result.errors);
		redirect(303, '/admin/settings?saved');
	},
	contact: async (event) => {
		const user = requireAdministrator(event);
		const values = formValues(await event.request.formData());
		const result = await refusedAs403(() => saveContactDetails(app().database.db, user, values));
		if (!result.ok) return invalid(values, result.errors);
		redirect(303, '/admin/settings?saved=contact#contact');
	}
};
