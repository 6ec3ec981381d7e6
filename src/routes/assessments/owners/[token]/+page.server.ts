import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { noStore, requireUser } from '$lib/server/auth/auth.http';
import { invalid } from '$lib/server/forms';
import {
	acceptCoOwnerInvitation,
	viewCoOwnerInvitation
} from '$lib/server/assessments/co-owners.service';
import type { Actions, PageServerLoad } from './$types';

const REFUSALS = {
	expired: 'This invitation has expired. Ask an owner of the check to invite you again.',
	'wrong-person':
		'This invitation was sent to a different email address from the one you are signed in with (or that address is not confirmed yet).',
	'not-found': 'We cannot find this invitation. It may have been used or replaced by a newer one.'
} as const;

/** The page an emailed co-owner invitation opens. Nothing changes until "Accept" is pressed. */
export const load: PageServerLoad = async (event) => {
	// The address holds a one-time token: never keep it in a cache.
	noStore(event);
	const invitation = await viewCoOwnerInvitation(app().database.db, event.params.token);
	if (!invitation) error(404, REFUSALS['not-found']);
	const user = event.locals.user;
	return {
		invitation: {
			assessmentTitle: invitation.assessmentTitle,
			inviterName: invitation.inviterName,
			expired: invitation.expired,
			forYou: !!user && user.email.toLowerCase() === invitation.email
		},
		signedIn: !!user,
		next: encodeURIComponent(event.url.pathname)
	};
};

export const actions: Actions = {
	// No noStore here: after a refusal the load runs too, and it sets no-store.
	default: async (event) => {
		const user = requireUser(event);
		const result = await acceptCoOwnerInvitation(app().database.db, user, event.params.token);
		if (result.ok) redirect(303, `/assessments/${result.assessmentId}?notice=joined`);
		return invalid(
			{},
			{ form: REFUSALS[result.reason] },
			result.reason === 'not-found' ? 404 : 409
		);
	}
};
