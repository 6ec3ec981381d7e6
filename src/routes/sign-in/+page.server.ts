import { redirect } from '@sveltejs/kit';
import { invalid, parseForm } from '$lib/server/forms';
import { accounts, clientOf, tooManyAttempts } from '$lib/server/auth/auth.http';
import { safeNextPath, signInSchema } from '$lib/server/auth/auth.schema';
import { signIn } from '$lib/server/auth/auth.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, safeNextPath(url.searchParams.get('next')));
};

export const actions: Actions = {
	default: async (event) => {
		const form = parseForm(signInSchema, await event.request.formData(), { omit: ['password'] });
		if (!form.ok) return invalid(form.values, form.errors);
		const result = await signIn(accounts(), clientOf(event), form.data);
		if (result.ok) redirect(303, safeNextPath(event.url.searchParams.get('next')));
		if (result.reason === 'rate-limited')
			return tooManyAttempts(event, form.values, result.retryAfterSeconds);
		if (result.reason === 'unconfirmed')
			return invalid(
				form.values,
				{
					form: 'You need to confirm your email address before you can sign in. We have sent you a new link: check your email.'
				},
				403
			);
		return invalid(
			form.values,
			{ form: 'The email address or password is not right. Check them and try again.' },
			400
		);
	}
};
