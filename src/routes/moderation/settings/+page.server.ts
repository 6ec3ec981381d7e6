import { redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { formValues, invalid } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import {
	readTrustSettings,
	saveTrustSettings
} from '$lib/server/moderation/moderation.settings.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	return {
		settings: await refusedAs403(() => readTrustSettings(app().database.db, user)),
		saved: event.url.searchParams.has('saved')
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const values = formValues(await event.request.formData());
		const result = await refusedAs403(() => saveTrustSettings(app().database.db, user, values));
		if (!result.ok) return invalid(values, result.errors);
		redirect(303, '/moderation/settings?saved');
	}
};
