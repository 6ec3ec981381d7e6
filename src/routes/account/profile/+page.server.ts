import { redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { formValues, invalid } from '$lib/server/forms';
import { getOwnProfile, updateProfile } from '$lib/server/profiles/profiles.service';
import { pictureField, pictureFieldHint, uploadLimit } from '$lib/server/uploads/uploads';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const profile = await getOwnProfile(app().database.db, user);
	return {
		profile,
		saved: event.url.searchParams.has('saved'),
		pictureHint: pictureFieldHint(uploadLimit(app().config))
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const form = await event.request.formData();
		const values = formValues(form);
		const avatar = pictureField(app().config, form, 'avatar');
		const result = await updateProfile(app().database.db, user, values, avatar);
		if (!result.ok) return invalid(values, result.errors);
		redirect(303, '/account/profile?saved');
	}
};
