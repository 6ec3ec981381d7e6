import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { invalid, parseForm } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import {
	REPORT_NOT_FOUND,
	formText,
	parseDirection,
	reportRefusal
} from '$lib/server/enquiries/report.http';
import { sectionSchema } from '$lib/server/enquiries/report.schema';
import {
	deleteSection,
	editSection,
	moveQuote,
	removeQuote,
	sectionForEditing
} from '$lib/server/enquiries/report.service';
import type { Actions, PageServerLoad } from './$types';

const NOTICES: Record<string, string> = {
	added: 'The section is added. Now you can add quotes to it.',
	saved: 'The section is saved.',
	'quote-added': 'The quote is added.',
	'quote-removed': 'The quote is taken out of the report.'
};

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const found = await refusedAs403(() =>
		sectionForEditing(app().database.db, user, event.params.id, event.params.sectionId)
	);
	if (!found) error(404, REPORT_NOT_FOUND);
	return { ...found, notice: NOTICES[event.url.searchParams.get('notice') ?? ''] ?? null };
};

export const actions: Actions = {
	save: async (event) => {
		const user = requireUser(event);
		const form = parseForm(sectionSchema, await event.request.formData());
		if (!form.ok) return invalid(form.values, form.errors);
		const { id, sectionId } = event.params;
		const result = await refusedAs403(() =>
			editSection(app().database.db, user, id, sectionId, form.data)
		);
		if (!result.ok)
			return reportRefusal(result, form.values, result.reason === 'bad-theme' ? 'theme' : 'form');
		redirect(303, `/enquiries/${id}/report/sections/${sectionId}?notice=saved`);
	},
	delete: async (event) => {
		const user = requireUser(event);
		const { id, sectionId } = event.params;
		const result = await refusedAs403(() => deleteSection(app().database.db, user, id, sectionId));
		if (!result.ok) return reportRefusal(result);
		redirect(303, `/enquiries/${id}/report?notice=section-deleted`);
	},
	moveQuote: async (event) => {
		const user = requireUser(event);
		const form = await event.request.formData();
		const { id, sectionId } = event.params;
		const result = await refusedAs403(() =>
			moveQuote(
				app().database.db,
				user,
				id,
				formText(form, 'quoteId'),
				parseDirection(form.get('direction'))
			)
		);
		if (!result.ok) return reportRefusal(result);
		redirect(303, `/enquiries/${id}/report/sections/${sectionId}#quotes`);
	},
	removeQuote: async (event) => {
		const user = requireUser(event);
		const form = await event.request.formData();
		const { id, sectionId } = event.params;
		const result = await refusedAs403(() =>
			removeQuote(app().database.db, user, id, formText(form, 'quoteId'))
		);
		if (!result.ok) return reportRefusal(result);
		redirect(303, `/enquiries/${id}/report/sections/${sectionId}?notice=quote-removed`);
	}
};
