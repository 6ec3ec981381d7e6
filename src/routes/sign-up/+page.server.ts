import { redirect } from '@sveltejs/kit';
import { invalid, parseForm } from '$lib/server/forms';
import { accounts, clientOf, tooManyAttempts } from '$lib/server/auth/auth.http';
import { signUpSchema } from '$lib/server/auth/auth.schema';
import { signUp } from '$lib/server/auth/auth.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	if (locals.user) redirect(303, '/account');
};

export const actions: Actions = {
	default: async (event) => {
		const form = parseForm(signUpSchema, await event.request.formData(), { omit: ['password'] });
		if (!form.ok) return invalid(form.values, form.errors);
		const result = await signUp(accounts(), clientOf(event), form.data);
		if (!result.ok) return tooManyAttempts(event, form.values, result.retryAfterSeconds);
		// The same page whether or not the address already had an account.
		redirect(303, '/sign-up/check-email');
	}
};
