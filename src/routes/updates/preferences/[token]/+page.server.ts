import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { noStore } from '$lib/server/auth/auth.http';
import { invalid, parseForm } from '$lib/server/forms';
import { TOPIC_LIST_FIELDS, chooseTopicsSchema } from '$lib/server/updates/updates.schema';
import {
	changeTopicsByLink,
	removeAddressByLink,
	topicsOffered,
	unsubscribeByLink,
	viewPreferences
} from '$lib/server/updates/updates.service';
import type { Actions, PageServerLoad } from './$types';

const NOT_OURS =
	'This link is not valid. It may be from an old email, or your address was removed. Sign up again at /updates if you want updates.';

const NOTICES = {
	confirmed: 'You are signed up. We have sent you a welcome email with a link back here.',
	unsubscribed: 'You are unsubscribed. We will not send you any more updates.'
} as const;

export const load: PageServerLoad = async (event) => {
	noStore(event);
	const db = app().database.db;
	const view = await viewPreferences(db, event.params.token);
	if (!view) error(404, NOT_OURS);
	const notice = event.url.searchParams.get('notice');
	return {
		subscription: view,
		topics: await topicsOffered(db),
		notice: notice && notice in NOTICES ? NOTICES[notice as keyof typeof NOTICES] : null
	};
};

export const actions: Actions = {
	topics: async (event) => {
		const form = parseForm(chooseTopicsSchema, await event.request.formData(), {
			listFields: TOPIC_LIST_FIELDS
		});
		if (!form.ok) return invalid(form.values, form.errors);
		const result = await changeTopicsByLink(app().database.db, event.params.token, form.data);
		if (result.ok) return { saved: true };
		if (result.reason === 'invalid') return invalid(form.values, result.errors);
		if (result.reason === 'not-found') error(404, NOT_OURS);
		return invalid(
			form.values,
			{
				form:
					result.reason === 'blocked'
						? 'This address cannot get email updates from this site.'
						: 'You are unsubscribed. To get updates again, sign up on the email updates page and confirm.'
			},
			409
		);
	},
	unsubscribe: async (event) => {
		const result = await unsubscribeByLink(app().database.db, event.params.token);
		if (!result.ok) error(404, NOT_OURS);
		redirect(303, `/updates/preferences/${event.params.token}?notice=unsubscribed`);
	},
	remove: async (event) => {
		const result = await removeAddressByLink(app().database.db, event.params.token);
		if (!result.ok) error(404, NOT_OURS);
		redirect(303, '/updates?notice=removed');
	}
};
