import { redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { formValues, invalid } from '$lib/server/forms';
import { createOrganisation } from '$lib/server/organisations/organisations.service';
import { pictureField, pictureFieldHint, uploadLimit } from '$lib/server/uploads/uploads';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	requireUser(event);
	return { pictureHint: pictureFieldHint(uploadLimit(app().config)) };
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const form = await event.request.formData();
		const values = formValues(form);
		const logo = pictureField(app().config, form, 'logo');
		const result = await createOrganisation(app().database.db, user, values, logo);
		if (!result.ok) return invalid(values, result.errors);
		redirect(303, `/organisations/${result.organisation.slug}?notice=created`);
	}
};
