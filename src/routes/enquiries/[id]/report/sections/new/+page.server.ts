import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { invalid, parseForm } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import { REPORT_NOT_FOUND, reportRefusal } from '$lib/server/enquiries/report.http';
import { sectionSchema } from '$lib/server/enquiries/report.schema';
import { addSection, newSectionForm } from '$lib/server/enquiries/report.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const found = await refusedAs403(() => newSectionForm(app().database.db, user, event.params.id));
	if (!found) error(404, REPORT_NOT_FOUND);
	return found;
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const form = parseForm(sectionSchema, await event.request.formData());
		if (!form.ok) return invalid(form.values, form.errors);
		const result = await refusedAs403(() =>
			addSection(app().database.db, user, event.params.id, form.data)
		);
		if (!result.ok)
			return reportRefusal(result, form.values, result.reason === 'bad-theme' ? 'theme' : 'form');
		redirect(303, `/enquiries/${event.params.id}/report/sections/${result.sectionId}?notice=added`);
	}
};
