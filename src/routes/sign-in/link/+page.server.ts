import { fail, redirect } from '@sveltejs/kit';
import { invalid, parseForm } from '$lib/server/forms';
import { accounts, clientOf, noStore, tooManyAttempts } from '$lib/server/auth/auth.http';
import { emailOnlySchema, tokenSchema } from '$lib/server/auth/auth.schema';
import { requestSignInLink, signInWithLink } from '$lib/server/auth/auth.service';
import type { Actions, PageServerLoad } from './$types';

// Opening the emailed link shows a button rather than signing in at once: the link works only
// once, and mail scanners that open links must not use it up.
export const load: PageServerLoad = (event) => {
	noStore(event);
	return { token: event.url.searchParams.get('token') ?? '' };
};

export const actions: Actions = {
	request: async (event) => {
		const form = parseForm(emailOnlySchema, await event.request.formData());
		if (!form.ok) return invalid(form.values, form.errors);
		const result = await requestSignInLink(accounts(), clientOf(event), form.data);
		if (!result.ok) return tooManyAttempts(event, form.values, result.retryAfterSeconds);
		return { sent: true, values: form.values };
	},
	use: async (event) => {
		const form = parseForm(tokenSchema, await event.request.formData());
		if (!form.ok) return fail(400, { linkFailed: true });
		const result = await signInWithLink(accounts(), clientOf(event), form.data.token);
		if (!result.ok) return fail(400, { linkFailed: true });
		redirect(303, '/account');
	}
};
