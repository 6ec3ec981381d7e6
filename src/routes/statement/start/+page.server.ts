import { redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { invalid, parseForm } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import { assertCan } from '$lib/server/auth/auth.permissions';
import { canStartStatement } from '$lib/server/statements/statements.permissions';
import { startSchema } from '$lib/server/statements/statements.schema';
import { checkDraft, startStatement } from '$lib/server/statements/statements.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	await refusedAs403(async () =>
		assertCan(canStartStatement(user), 'Only curators can start the shared statement.')
	);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	return {};
};

export const actions: Actions = {
	/** Reads the draft and shows what it found, saving nothing. */
	check: async (event) => {
		const user = requireUser(event);
		await refusedAs403(async () =>
			assertCan(canStartStatement(user), 'Only curators can start the shared statement.')
		);
		const form = parseForm(startSchema, await event.request.formData());
		if (!form.ok) return invalid(form.values, form.errors);
		return { values: form.values, found: checkDraft(form.data.draft) };
	},
	start: async (event) => {
		const user = requireUser(event);
		const form = parseForm(startSchema, await event.request.formData());
		if (!form.ok) return invalid(form.values, form.errors);
		const result = await refusedAs403(() => startStatement(app().database.db, user, form.data));
		if (!result.ok) return invalid(form.values, result.errors);
		redirect(303, '/statement?notice=started');
	}
};
