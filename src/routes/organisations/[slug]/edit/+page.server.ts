import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { formValues, invalid } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import { pictureField, pictureFieldHint, uploadLimit } from '$lib/server/uploads/uploads';
import {
	getOrganisationForEditing,
	organisationLogo,
	updateOrganisation
} from '$lib/server/organisations/organisations.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const organisation = await refusedAs403(() =>
		getOrganisationForEditing(app().database.db, user, event.params.slug)
	);
	if (!organisation) error(404, 'Page not found');
	return {
		organisation,
		logo: await organisationLogo(app().database.db, organisation),
		pictureHint: pictureFieldHint(uploadLimit(app().config))
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const { db } = app().database;
		const organisation = await refusedAs403(() =>
			getOrganisationForEditing(db, user, event.params.slug)
		);
		if (!organisation) error(404, 'Page not found');
		const form = await event.request.formData();
		const values = formValues(form);
		const logo = pictureField(app().config, form, 'logo');
		const result = await refusedAs403(() =>
			updateOrganisation(db, user, organisation.id, values, logo)
		);
		if (result.ok) redirect(303, `/organisations/${organisation.slug}?notice=updated`);
		if (result.reason === 'invalid') return invalid(values, result.errors);
		error(404, 'Page not found');
	}
};
