import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { noStore, requireUser } from '$lib/server/auth/auth.http';
import {
	acceptEnquiryInvitation,
	viewEnquiryInvitation
} from '$lib/server/enquiries/enquiries.service';
import { invalid } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

const REFUSALS = {
	used: 'This invitation has already been used. Each invitation works once.',
	cancelled: 'The enquiry’s lead withdrew this invitation. Ask them to invite you again.',
	expired: 'This invitation has expired. Ask the enquiry’s lead to invite you again.',
	'wrong-person':
		'This invitation was sent to a different email address from the one you are signed in with.',
	'not-found': 'We cannot find this invitation. It may have been withdrawn.'
} as const;

export const load: PageServerLoad = async (event) => {
	// The address holds a one-time token: never keep it in a cache.
	noStore(event);
	const invitation = await viewEnquiryInvitation(
		app().database.db,
		event.locals.user,
		event.params.token
	);
	if (!invitation) error(404, 'Page not found');
	return {
		invitation,
		signedInAs: event.locals.user
			? { email: event.locals.user.email, emailVerified: event.locals.user.emailVerified }
			: null,
		next: encodeURIComponent(event.url.pathname)
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const result = await acceptEnquiryInvitation(app().database.db, user, event.params.token);
		if (result.ok) redirect(303, `/enquiries/${result.enquiryId}?notice=joined`);
		return invalid(
			{},
			{ form: REFUSALS[result.reason] },
			result.reason === 'not-found' ? 404 : 409
		);
	}
};
