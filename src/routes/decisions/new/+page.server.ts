import { redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { refusal } from '$lib/server/decisions/decisions.http';
import { decisionSchema } from '$lib/server/decisions/decisions.schema';
import {
	checkDecisionInput,
	decisionFormChoices,
	decisionInputFromForm,
	processChoices,
	startDecisionFromForm,
	type StartDecisionInput
} from '$lib/server/decisions/decisions.service';
import { allErrors, parseForm } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	return { choices: await decisionFormChoices(app().database.db), processes: processChoices() };
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const db = app().database.db;
		const form = parseForm(decisionSchema, await event.request.formData());
		const source = form.ok ? form.data : form.partial;
		const { input, errors } = decisionInputFromForm(source, app().config.timeZone);
		if (!form.ok) {
			const later = { ...(await checkDecisionInput(db, input)), ...errors };
			return refusal(event, form.values, {
				ok: false,
				reason: 'invalid',
				errors: allErrors(decisionSchema, form.errors, later)
			});
		}
		if (Object.keys(errors).length)
			return refusal(event, form.values, { ok: false, reason: 'invalid', errors });
		const result = await refusedAs403(() =>
			startDecisionFromForm(db, user, input as StartDecisionInput)
		);
		if (!result.ok)
			return refusal(event, form.values, {
				...result,
				...(result.reason === 'invalid'
					? { errors: allErrors(decisionSchema, {}, result.errors) }
					: {})
			});
		redirect(303, `/decisions/${result.slug}?notice=started`);
	}
};
