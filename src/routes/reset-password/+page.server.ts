import { fail, redirect } from '@sveltejs/kit';
import { invalid, parseForm } from '$lib/server/forms';
import { accounts, clientOf, noStore } from '$lib/server/auth/auth.http';
import { resetPasswordSchema } from '$lib/server/auth/auth.schema';
import { isResetLinkUsable, resetPassword } from '$lib/server/auth/auth.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	noStore(event);
	const token = event.url.searchParams.get('token') ?? '';
	const usable = token ? await isResetLinkUsable(accounts().db, token) : false;
	return { token, usable };
};

export const actions: Actions = {
	default: async (event) => {
		const form = parseForm(resetPasswordSchema, await event.request.formData(), {
			omit: ['password']
		});
		if (!form.ok) {
			if (form.errors.token) return fail(400, { linkFailed: true });
			return invalid(form.values, form.errors);
		}
		const result = await resetPassword(accounts(), clientOf(event), form.data);
		if (!result.ok) return fail(400, { linkFailed: true });
		redirect(303, '/account?changed=password');
	}
};
