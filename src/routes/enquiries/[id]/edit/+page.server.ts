import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { ENQUIRY_NOT_FOUND, enquiryRefusal } from '$lib/server/enquiries/enquiries.http';
import { MOVABLE_STAGES, enquirySchema } from '$lib/server/enquiries/enquiries.schema';
import {
	STAGE_HINTS,
	STAGE_LABELS,
	editEnquiry,
	getEnquiryForEditing,
	moveEnquiryStage
} from '$lib/server/enquiries/enquiries.service';
import { formValues, invalid, parseForm } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const enquiry = await refusedAs403(() =>
		getEnquiryForEditing(app().database.db, user, event.params.id)
	);
	if (!enquiry) error(404, ENQUIRY_NOT_FOUND);
	return {
		enquiry: { id: enquiry.id, title: enquiry.title, stage: enquiry.stage },
		values: {
			title: enquiry.title,
			questions: enquiry.questions,
			purpose: enquiry.purpose,
			method: enquiry.method,
			consent_text: enquiry.consent_text
		},
		stages: MOVABLE_STAGES.map((s) => ({ value: s, label: STAGE_LABELS[s], hint: STAGE_HINTS[s] }))
	};
};

export const actions: Actions = {
	details: async (event) => {
		const user = requireUser(event);
		const form = parseForm(enquirySchema, await event.request.formData());
		if (!form.ok) return invalid(form.values, form.errors);
		const result = await refusedAs403(() =>
			editEnquiry(app().database.db, user, event.params.id, form.data)
		);
		if (!result.ok) return enquiryRefusal(event, form.values, result);
		redirect(303, `/enquiries/${event.params.id}?notice=saved`);
	},
	stage: async (event) => {
		const user = requireUser(event);
		const values = formValues(await event.request.formData());
		const result = await refusedAs403(() =>
			moveEnquiryStage(app().database.db, user, event.params.id, values)
		);
		if (!result.ok) return enquiryRefusal(event, values, result);
		redirect(303, `/enquiries/${event.params.id}?notice=moved`);
	}
};
