import { invalid, parseForm } from '$lib/server/forms';
import { accounts, clientOf, tooManyAttempts } from '$lib/server/auth/auth.http';
import { emailOnlySchema } from '$lib/server/auth/auth.schema';
import { requestPasswordReset } from '$lib/server/auth/auth.service';
import type { Actions } from './$types';

export const actions: Actions = {
	default: async (event) => {
		const form = parseForm(emailOnlySchema, await event.request.formData());
		if (!form.ok) return invalid(form.values, form.errors);
		const result = await requestPasswordReset(accounts(), clientOf(event), form.data);
		if (!result.ok) return tooManyAttempts(event, form.values, result.retryAfterSeconds);
		return { sent: true, values: form.values };
	}
};
