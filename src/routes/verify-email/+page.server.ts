import { redirect } from '@sveltejs/kit';
import { invalid, parseForm } from '$lib/server/forms';
import { accounts, clientOf, noStore, tooManyAttempts } from '$lib/server/auth/auth.http';
import { emailOnlySchema } from '$lib/server/auth/auth.schema';
import { resendConfirmation, verifyEmail } from '$lib/server/auth/auth.service';
import type { Actions, PageServerLoad } from './$types';

// Confirming happens on opening the link (the token can be used again until it expires, so a
// mail scanner opening it first does no harm); it signs a new account in.
export const load: PageServerLoad = async (event) => {
	noStore(event);
	const token = event.url.searchParams.get('token');
	if (!token) return { outcome: 'no-token' as const };
	const result = await verifyEmail(accounts(), clientOf(event), token);
	if (!result.ok) return { outcome: result.reason };
	if (result.emailChanged) {
		if (event.locals.user) redirect(303, '/account?changed=email');
		return { outcome: 'email-changed' as const };
	}
	// Signed in just now: the account page welcomes them (and the header shows them signed in).
	if (result.signedIn) redirect(303, '/account?changed=confirmed');
	return { outcome: 'already-confirmed' as const };
};

export const actions: Actions = {
	resend: async (event) => {
		const form = parseForm(emailOnlySchema, await event.request.formData());
		if (!form.ok) return invalid(form.values, form.errors);
		const result = await resendConfirmation(accounts(), clientOf(event), form.data);
		if (!result.ok) return tooManyAttempts(event, form.values, result.retryAfterSeconds);
		return { sent: true, values: form.values };
	}
};
