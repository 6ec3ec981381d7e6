import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { refusedAs403 } from '$lib/server/http/refusals';
import { REPORT_NOT_FOUND, formText, reportRefusal } from '$lib/server/enquiries/report.http';
import { addQuote, quotePicker } from '$lib/server/enquiries/report.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const raw = event.url.searchParams.get('page') ?? '1';
	const pageNumber = /^\d{1,6}$/.test(raw) ? Number(raw) : NaN;
	if (!Number.isInteger(pageNumber) || pageNumber < 1) error(404, 'There is no such page.');
	const found = await refusedAs403(() =>
		quotePicker(app().database.db, user, event.params.id, event.params.sectionId, {
			code: event.url.searchParams.get('code'),
			page: pageNumber
		})
	);
	if (!found) error(404, REPORT_NOT_FOUND);
	if (pageNumber > found.totalPages) error(404, 'There is no such page of excerpts.');
	return { ...found, page: pageNumber, added: event.url.searchParams.get('added') === '1' };
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const form = await event.request.formData();
		const { id, sectionId } = event.params;
		const result = await refusedAs403(() =>
			addQuote(app().database.db, user, id, sectionId, formText(form, 'excerptId'))
		);
		if (!result.ok) return reportRefusal(result);
		// Back to the same list, so several quotes can be picked in a row.
		const back = new URLSearchParams(event.url.search);
		for (const key of [...back.keys()]) if (key !== 'code' && key !== 'page') back.delete(key);
		back.set('added', '1');
		redirect(303, `/enquiries/${id}/report/sections/${sectionId}/quotes?${back.toString()}`);
	}
};
