import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { noStore } from '$lib/server/auth/auth.http';
import { updatesSite } from '$lib/server/updates/updates.http';
import {
	CONFIRM_LIFETIME_DAYS,
	confirmUpdates,
	viewConfirmation,
	type LinkRefusal
} from '$lib/server/updates/updates.service';
import type { Actions, PageServerLoad } from './$types';

/** Plain words for each way a confirmation link can fail (an error page, never a 500). */
function refuse(reason: LinkRefusal): never {
	if (reason === 'expired')
		error(
			410,
			`This link has expired. Links work for ${CONFIRM_LIFETIME_DAYS} days: sign up again to get a new one.`
		);
	if (reason === 'blocked')
		error(
			403,
			'This address cannot get email updates from this site. Contact the site to ask why.'
		);
	error(
		404,
		'This confirmation link is not valid. It may have been used already: if you confirmed, you get updates and your welcome email has a link to your choices.'
	);
}

export const load: PageServerLoad = async (event) => {
	// The address holds a one-time secret: never keep it in a cache.
	noStore(event);
	const view = await viewConfirmation(app().database.db, event.params.token);
	if (!view.ok) refuse(view.reason);
	return { email: view.email, topics: view.topics };
};

export const actions: Actions = {
	// Only this POST confirms: a mail scanner that opens the link confirms nothing.
	default: async (event) => {
		const result = await confirmUpdates(app().database.db, updatesSite(), event.params.token);
		if (!result.ok) refuse(result.reason);
		redirect(303, `/updates/preferences/${result.token}?notice=confirmed`);
	}
};
