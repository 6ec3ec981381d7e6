import { error, redirect } from '@sveltejs/kit';
import { invalid, parseForm } from '$lib/server/forms';
import { parseContactDetails, writeContactDetails } from '$lib/server/admin/contact.service';
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
		const formData = await event.request.formData();
		const form = parseForm(setupSchema, formData, { omit: ['password', 'code'] });
		// The contact details are optional here, but checked with the rest: every problem at once.
		const contact = parseContactDetails(form.values);
		if (!form.ok || !contact.ok)
			return invalid(form.values, {
				...(form.ok ? {} : form.errors),
				...(contact.ok ? {} : contact.errors)
			});
		const details = contact.details;
		const given = !!(details.email || details.phone || details.address);
		const result = await completeSetup(
			accounts(),
			clientOf(event),
			form.data,
			given
				? (trx, administrator) =>
						writeContactDetails(
							trx,
							{
								id: administrator.id,
								name: administrator.name,
								email: administrator.email,
								emailVerified: true,
								role: 'administrator'
							},
							details
						)
				: undefined
		);
		if (result.ok) redirect(303, `/account?changed=${given ? 'set-up' : 'set-up-no-contact'}`);
		if (result.reason === 'rate-limited')
			return tooManyAttempts(event, form.values, result.retryAfterSeconds);
		if (result.reason === 'already-set-up') error(404, DONE);
		return invalid(form.values, {
			code: 'That setup code is not right. Use the code printed most recently in the terminal.'
		});
	}
};
