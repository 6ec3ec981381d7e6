import { redirect } from '@sveltejs/kit';
import { invalid, parseForm } from '$lib/server/forms';
import { app } from '$lib/server/app';
import { sessionCacheFor } from '$lib/server/auth/session-cache';
import { accounts, clientOf, requireUser, tooManyAttempts } from '$lib/server/auth/auth.http';
import { changePasswordSchema, setPasswordSchema } from '$lib/server/auth/auth.schema';
import { accountHasPassword, changePassword, setPassword } from '$lib/server/auth/auth.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	return {
		hasPassword: await accountHasPassword(
			app().database.db,
			user.id,
			sessionCacheFor(event.request)
		)
	};
};

const SECRETS = ['currentPassword', 'newPassword'];

export const actions: Actions = {
	change: async (event) => {
		const user = requireUser(event);
		const form = parseForm(changePasswordSchema, await event.request.formData(), {
			omit: SECRETS
		});
		if (!form.ok) return invalid(form.values, form.errors);
		const result = await changePassword(accounts(), clientOf(event), user, form.data);
		if (result.ok) redirect(303, '/account?changed=password');
		if (result.reason === 'rate-limited')
			return tooManyAttempts(event, form.values, result.retryAfterSeconds);
		return invalid(form.values, { currentPassword: 'Your current password is not right' });
	},
	set: async (event) => {
		const user = requireUser(event);
		const form = parseForm(setPasswordSchema, await event.request.formData(), { omit: SECRETS });
		if (!form.ok) return invalid(form.values, form.errors);
		const result = await setPassword(accounts(), clientOf(event), user, form.data);
		if (!result.ok)
			return invalid(form.values, { form: 'You already have a password. Change it instead.' });
		redirect(303, '/account?changed=password');
	}
};
