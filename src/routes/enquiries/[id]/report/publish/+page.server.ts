import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { invalid, parseForm } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import { isCurator } from '$lib/server/moderation/moderation.permissions';
import { REPORT_NOT_FOUND, reportRefusal } from '$lib/server/enquiries/report.http';
import { publishSchema } from '$lib/server/enquiries/report.schema';
import { consentCheck, publishReport } from '$lib/server/enquiries/report.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const found = await refusedAs403(() => consentCheck(app().database.db, user, event.params.id));
	if (!found) error(404, REPORT_NOT_FOUND);
	return { ...found, mayAnnounce: isCurator(user) };
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const form = parseForm(publishSchema, await event.request.formData());
		if (!form.ok) return invalid(form.values, form.errors);
		const result = await refusedAs403(() =>
			publishReport(app().database.db, user, event.params.id, {
				blogPost: form.data.blogPost === 'on',
				announcement: form.data.announcement === 'on',
				timeZone: app().config.timeZone
			})
		);
		if (!result.ok) return reportRefusal(result, form.values);
		const next = new URLSearchParams({ notice: 'published' });
		const post = result.postEditPath?.match(/^\/blog\/([^/]+)\/edit$/)?.[1];
		if (post) next.set('post', post);
		const announcement = result.announcementEditPath?.split('edit=')[1];
		if (announcement) next.set('announcement', announcement);
		redirect(303, `/enquiries/${event.params.id}/report?${next.toString()}`);
	}
};
