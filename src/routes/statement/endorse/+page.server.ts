import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { parseForm } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import { STATEMENT_NOT_FOUND, refusal } from '$lib/server/statements/statements.http';
import { endorseSchema } from '$lib/server/statements/statements.schema';
import { endorseForm, endorseStatement } from '$lib/server/statements/statements.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const form = await endorseForm(app().database.db, user);
	if (!form) error(404, STATEMENT_NOT_FOUND);
	return form;
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const form = parseForm(endorseSchema, await event.request.formData());
		if (!form.ok)
			return refusal(event, form.values, { ok: false, reason: 'invalid', errors: form.errors });
		const result = await refusedAs403(() => endorseStatement(app().database.db, user, form.data));
		if (!result.ok) return refusal(event, form.values, result);
		redirect(303, '/statement?notice=endorsed#endorsed-heading');
	}
};
