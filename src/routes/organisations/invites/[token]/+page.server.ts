import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { noStore, requireUser } from '$lib/server/auth/auth.http';
import { invalid } from '$lib/server/forms';
import { acceptInvite, viewInvite } from '$lib/server/organisations/organisations.service';
import type { Actions, PageServerLoad } from './$types';

const REFUSALS = {
	used: 'This invitation has already been used. Each invitation works once.',
	expired: 'This invitation has expired. Ask an admin of the organisation to invite you again.',
	'wrong-person':
		'This invitation was sent to a different email address from the one you are signed in with.',
	'not-found': 'We cannot find this invitation. It may have been withdrawn.'
} as const;

export const load: PageServerLoad = async (event) => {
	// The address holds a one-time token: never keep it in a cache.
	noStore(event);
	const invite = await viewInvite(app().database.db, event.locals.user, event.params.token);
	if (!invite) error(404, 'Page not found');
	return {
		invite,
		signedInAs: event.locals.user
			? { email: event.locals.user.email, emailVerified: event.locals.user.emailVerified }
			: null,
		next: encodeURIComponent(event.url.pathname)
	};
};

export const actions: Actions = {
	// No noStore here: after a refusal the load runs too, and it sets no-store (twice is an error).
	default: async (event) => {
		const user = requireUser(event);
		const result = await acceptInvite(app().database.db, user, event.params.token);
		if (result.ok) redirect(303, `/organisations/${result.organisation.slug}?notice=joined`);
		return invalid(
			{},
			{ form: REFUSALS[result.reason] },
			result.reason === 'not-found' ? 404 : 409
		);
	}
};
