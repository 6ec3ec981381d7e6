import { error, redirect } from '@sveltejs/kit';
import { invalid, parseForm } from '$lib/server/forms';
import { accounts, clientOf, noStore, tooManyAttempts } from '$lib/server/auth/auth.http';
import { setupSchema } from '$lib/server/auth/auth.schema';
import { completeSetup, isSetupNeeded } from '$lib/server/auth/setup.service';
import type { Actions, PageServerLoad } from './$types';

const DONE = 'CoLab is already set up. Sign in instead.';

export const load: PageServerLoad = async (event) => {
	noStore(event);
	if (!(await isSetupNeeded(accounts().db))) error(404, DONE);
};

export const actions: Actions = {
	default: async (event) => {
		const form = parseForm(setupSchema, await event.request.formData(), {
			omit: ['password', 'code']
		});
		if (!form.ok) return invalid(form.values, form.errors);
		const result = await completeSetup(accounts(), clientOf(event), form.data);
		if (result.ok) redirect(303, '/account?changed=set-up');
		if (result.reason === 'rate-limited')
			return tooManyAttempts(event, form.values, result.retryAfterSeconds);
		if (result.reason === 'already-set-up') error(404, DONE);
		return invalid(form.values, {
			code: 'That setup code is not right. Use the code printed most recently in the terminal.'
		});
	}
};
