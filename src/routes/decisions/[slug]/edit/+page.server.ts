import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { DECISION_NOT_FOUND, refusal } from '$lib/server/decisions/decisions.http';
import { decisionSchema } from '$lib/server/decisions/decisions.schema';
import {
	checkDecisionInput,
	decisionForEditing,
	decisionFormChoices,
	decisionInputFromForm,
	editDecision,
	processChoices,
	type StartDecisionInput
} from '$lib/server/decisions/decisions.service';
import { allErrors, parseForm } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const db = app().database.db;
	const editing = await refusedAs403(() =>
		decisionForEditing(db, user, event.params.slug, app().config.timeZone)
	);
	if (!editing) error(404, DECISION_NOT_FOUND);
	return {
		slug: editing.decision.slug,
		status: editing.decision.status,
		responses: editing.responses,
		values: editing.values,
		choices: await decisionFormChoices(db),
		processes: processChoices()
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const db = app().database.db;
		const editing = await refusedAs403(() =>
			decisionForEditing(db, user, event.params.slug, app().config.timeZone)
		);
		if (!editing) error(404, DECISION_NOT_FOUND);
		const form = parseForm(decisionSchema, await event.request.formData());
		const { input, errors } = decisionInputFromForm(
			form.ok ? form.data : form.partial,
			app().config.timeZone
		);
		if (!form.ok || Object.keys(errors).length) {
			const later = { ...(await checkDecisionInput(db, input)), ...errors };
			return refusal(event, form.values, {
				ok: false,
				reason: 'invalid',
				errors: allErrors(decisionSchema, form.ok ? {} : form.errors, later)
			});
		}
		const result = await refusedAs403(() =>
			editDecision(db, user, editing.decision.id, input as StartDecisionInput)
		);
		if (!result.ok) return refusal(event, form.values, result);
		redirect(303, `/decisions/${result.slug}?notice=saved`);
	}
};
