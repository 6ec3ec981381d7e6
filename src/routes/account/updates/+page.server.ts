import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { invalid, parseForm } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import { TOPIC_LIST_FIELDS, chooseTopicsSchema } from '$lib/server/updates/updates.schema';
import {
	chooseMemberTopics,
	stopMemberUpdates,
	topicsOffered,
	viewMemberUpdates
} from '$lib/server/updates/updates.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const db = app().database.db;
	return {
		subscription: await refusedAs403(() => viewMemberUpdates(db, user, user.email)),
		topics: await topicsOffered(db),
		emailVerified: user.emailVerified
	};
};

export const actions: Actions = {
	topics: async (event) => {
		const user = requireUser(event);
		const form = parseForm(chooseTopicsSchema, await event.request.formData(), {
			listFields: TOPIC_LIST_FIELDS
		});
		if (!form.ok) return invalid(form.values, form.errors);
		const result = await refusedAs403(() =>
			chooseMemberTopics(app().database.db, user, user.email, form.data)
		);
		if (result.ok) return { saved: true };
		if (result.reason === 'invalid') return invalid(form.values, result.errors);
		return invalid(
			form.values,
			{
				form: 'Your address cannot get email updates from this site. Contact the site to ask why.'
			},
			409
		);
	},
	stop: async (event) => {
		const user = requireUser(event);
		await refusedAs403(() => stopMemberUpdates(app().database.db, user, user.email));
		return { stopped: true };
	}
};
