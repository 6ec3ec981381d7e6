import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser, tooManyAttempts } from '$lib/server/auth/auth.http';
import { invalid, parseForm } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import { CODING_NOT_FOUND, teamRead } from '$lib/server/enquiries/coding.http';
import {
	PASSAGE_LIST_FIELDS,
	codePassage,
	deleteExcerpt,
	passageSchema,
	removeCodeFromExcerpt,
	viewInterviewCoding
} from '$lib/server/enquiries/coding.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) =>
	teamRead(event, (user) =>
		viewInterviewCoding(app().database.db, user, event.params.id, event.params.interviewId)
	);

const here = (p: { id: string; interviewId: string }) =>
	`/enquiries/${p.id}/interviews/${p.interviewId}/code`;

export const actions: Actions = {
	code: async (event) => {
		const user = requireUser(event);
		const form = parseForm(passageSchema, await event.request.formData(), {
			listFields: PASSAGE_LIST_FIELDS
		});
		if (!form.ok) return invalid(form.values, form.errors);
		const result = await refusedAs403(() =>
			codePassage(app().database.db, user, event.params.id, event.params.interviewId, form.data)
		);
		if (!result.ok) {
			if (result.reason === 'not-found') error(404, CODING_NOT_FOUND);
			if (result.reason === 'rate-limited')
				return tooManyAttempts(event, form.values, result.retryAfterSeconds);
			if (result.reason === 'nothing-to-code')
				return invalid(form.values, { form: 'This interview has nothing that can be coded.' }, 409);
			return invalid(form.values, result.errors);
		}
		redirect(303, `${here(event.params)}?notice=coded#excerpt-${result.excerptId}`);
	},
	remove: async (event) => {
		const user = requireUser(event);
		const data = await event.request.formData();
		const result = await refusedAs403(() =>
			removeCodeFromExcerpt(
				app().database.db,
				user,
				event.params.id,
				event.params.interviewId,
				String(data.get('excerpt') ?? ''),
				String(data.get('code') ?? '')
			)
		);
		if (!result.ok) error(404, CODING_NOT_FOUND);
		redirect(303, `${here(event.params)}?notice=removed#excerpts`);
	},
	delete: async (event) => {
		const user = requireUser(event);
		const data = await event.request.formData();
		const result = await refusedAs403(() =>
			deleteExcerpt(
				app().database.db,
				user,
				event.params.id,
				event.params.interviewId,
				String(data.get('excerpt') ?? '')
			)
		);
		if (!result.ok) error(404, CODING_NOT_FOUND);
		redirect(303, `${here(event.params)}?notice=deleted#excerpts`);
	}
};
