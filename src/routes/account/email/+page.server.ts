import { invalid, parseForm } from '$lib/server/forms';
import { app } from '$lib/server/app';
import { sessionCacheFor } from '$lib/server/auth/session-cache';
import { accounts, clientOf, requireUser, tooManyAttempts } from '$lib/server/auth/auth.http';
import { changeEmailSchema } from '$lib/server/auth/auth.schema';
import { accountHasPassword, changeEmail } from '$lib/server/auth/auth.service';
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

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const form = parseForm(changeEmailSchema, await event.request.formData(), {
			omit: ['currentPassword']
		});
		if (!form.ok) return invalid(form.values, form.errors);
		const result = await changeEmail(accounts(), clientOf(event), user, form.data);
		if (result.ok) return { sent: true, values: form.values };
		if (result.reason === 'rate-limited')
			return tooManyAttempts(event, form.values, result.retryAfterSeconds);
		if (result.reason === 'same-email')
			return invalid(form.values, { newEmail: 'That is already your email address' });
		return invalid(form.values, { currentPassword: 'Your password is not right' });
	}
};
