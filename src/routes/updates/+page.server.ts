import { app } from '$lib/server/app';
import { tooManyAttempts } from '$lib/server/auth/auth.http';
import { invalid, parseForm } from '$lib/server/forms';
import { updatesSite } from '$lib/server/updates/updates.http';
import { TOPIC_LIST_FIELDS, signUpForUpdatesSchema } from '$lib/server/updates/updates.schema';
import { signUpForUpdates, topicsOffered } from '$lib/server/updates/updates.service';
import type { Actions, PageServerLoad } from './$types';

/** What the page can say after a redirect here (a fixed list: nothing from the address is shown). */
const NOTICES = {
	removed: 'Your address is removed. We will not send you updates.'
} as const;

export const load: PageServerLoad = async ({ url }) => {
	const notice = url.searchParams.get('notice');
	return {
		topics: await topicsOffered(app().database.db),
		notice: notice && notice in NOTICES ? NOTICES[notice as keyof typeof NOTICES] : null
	};
};

export const actions: Actions = {
	default: async (event) => {
		const form = parseForm(signUpForUpdatesSchema, await event.request.formData(), {
			listFields: TOPIC_LIST_FIELDS
		});
		if (!form.ok) return invalid(form.values, form.errors);
		const result = await signUpForUpdates(
			app().database.db,
			updatesSite(),
			form.data,
			event.getClientAddress()
		);
		if (result.ok) return { sent: true, email: form.data.email };
		if (result.reason === 'rate-limited')
			return tooManyAttempts(event, form.values, result.retryAfterSeconds);
		return invalid(form.values, result.errors);
	}
};
