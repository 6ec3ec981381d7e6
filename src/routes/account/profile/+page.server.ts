import { redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { formValues, invalid } from '$lib/server/forms';
import { getOwnProfile, updateProfile } from '$lib/server/profiles/profiles.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const profile = await getOwnProfile(app().database.db, user);
	return { profile, saved: event.url.searchParams.has('saved') };
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const values = formValues(await event.request.formData());
		const result = await updateProfile(app().database.db, user, values);
		if (!result.ok) return invalid(values, result.errors);
		redirect(303, '/account/profile?saved');
	}
};
