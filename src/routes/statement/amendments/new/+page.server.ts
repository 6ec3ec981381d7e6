import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { allErrors, parseForm } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import { STATEMENT_NOT_FOUND, refusal } from '$lib/server/statements/statements.http';
import { amendmentSchema } from '$lib/server/statements/statements.schema';
import { amendmentForm, proposeAmendment } from '$lib/server/statements/statements.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const form = await amendmentForm(app().database.db, user, {
		clause: event.url.searchParams.get('clause'),
		section: event.url.searchParams.get('section')
	});
	if (!form) error(404, STATEMENT_NOT_FOUND);
	return form;
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const form = parseForm(amendmentSchema, await event.request.formData());
		if (!form.ok)
			return refusal(event, form.values, {
				ok: false,
				reason: 'invalid',
				errors: allErrors(amendmentSchema, form.errors, {})
			});
		const result = await refusedAs403(() => proposeAmendment(app().database.db, user, form.data));
		if (!result.ok) return refusal(event, form.values, result);
		redirect(303, `/statement/amendments/${result.id}?notice=proposed`);
	}
};
