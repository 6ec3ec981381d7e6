import { error } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { noStore } from '$lib/server/auth/auth.http';
import { unsubscribeByLink, viewPreferences } from '$lib/server/updates/updates.service';
import type { Actions, PageServerLoad } from './$types';

const NOT_OURS =
	'This unsubscribe link is not valid. It may be from a very old email, or your address was already removed, in which case we send you nothing.';

export const load: PageServerLoad = async (event) => {
	noStore(event);
	const view = await viewPreferences(app().database.db, event.params.token);
	if (!view) error(404, NOT_OURS);
	return { email: view.email, subscribed: view.status === 'subscribed' && !view.suppressed };
};

export const actions: Actions = {
	/**
	 * The "Unsubscribe" button, and one-click unsubscribe (RFC 8058): a mail program POSTs
	 * `List-Unsubscribe=One-Click` here from its own servers, without cookies or an Origin
	 * (hooks.server.ts lets exactly this address through the origin check). Only the POST
	 * unsubscribes: a mail scanner opening the link changes nothing.
	 */
	default: async (event) => {
		const body = await event.request.formData();
		if (body.get('List-Unsubscribe') !== 'One-Click')
			error(400, 'This request did not say what to do. Use the Unsubscribe button on this page.');
		const result = await unsubscribeByLink(app().database.db, event.params.token);
		if (!result.ok) error(404, NOT_OURS);
		return { done: true, already: result.already };
	}
};
