import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { invalid, parseForm } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import {
	SETTINGS_LIST_FIELDS,
	notificationSettingsSchema
} from '$lib/server/notifications/notifications.schema';
import {
	saveNotificationSettings,
	viewNotificationSettings
} from '$lib/server/notifications/notifications.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	return {
		settings: await refusedAs403(() => viewNotificationSettings(app().database.db, user, user.id))
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const form = parseForm(notificationSettingsSchema, await event.request.formData(), {
			listFields: SETTINGS_LIST_FIELDS
		});
		if (!form.ok) return invalid(form.values, form.errors);
		await refusedAs403(() => saveNotificationSettings(app().database.db, user, user.id, form.data));
		return { saved: true };
	}
};
