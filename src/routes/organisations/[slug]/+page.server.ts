import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { invalid } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import {
	leaveOrganisation,
	organisationLogo,
	viewOrganisation
} from '$lib/server/organisations/organisations.service';
import type { Actions, PageServerLoad } from './$types';

const NOTICES = {
	created: 'Your organisation has been added. You are its admin.',
	updated: 'The organisation’s details have been saved.',
	joined: 'You have joined this organisation.',
	left: 'You have left this organisation.',
	'stepped-down': 'You are now a member of this organisation, no longer an admin.'
} as const;

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const view = await viewOrganisation(app().database.db, locals.user, params.slug);
	if (!view) error(404, 'Page not found');
	const notice = url.searchParams.get('notice') ?? '';
	return {
		...view,
		logo: await organisationLogo(app().database.db, view.organisation),
		// Confirmations are for the person who just acted, never part of a shared public page.
		notice: locals.user && notice in NOTICES ? NOTICES[notice as keyof typeof NOTICES] : null
	};
};

export const actions: Actions = {
	leave: async (event) => {
		const user = requireUser(event);
		const { db } = app().database;
		const view = await viewOrganisation(db, user, event.params.slug);
		if (!view) error(404, 'Page not found');
		const result = await refusedAs403(() => leaveOrganisation(db, user, view.organisation.id));
		if (result.ok || result.reason === 'not-a-member')
			redirect(303, `/organisations/${view.organisation.slug}?notice=left`);
		if (result.reason === 'last-admin')
			return invalid(
				{},
				{
					form: 'You are this organisation’s only admin. Make someone else an admin before you leave.'
				},
				409
			);
		error(404, 'Page not found');
	}
};
