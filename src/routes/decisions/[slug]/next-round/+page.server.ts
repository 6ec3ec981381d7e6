import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { DECISION_NOT_FOUND, refusal } from '$lib/server/decisions/decisions.http';
import { nextRoundSchema } from '$lib/server/decisions/decisions.schema';
import {
	decisionForEditing,
	decisionInputFromForm,
	startNextRound
} from '$lib/server/decisions/decisions.service';
import { allErrors, parseForm } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import type { Actions, PageServerLoad } from './$types';

async function reach(slug: string, user: App.Locals['user']) {
	const editing = await refusedAs403(() =>
		decisionForEditing(app().database.db, user, slug, app().config.timeZone)
	);
	if (!editing) error(404, DECISION_NOT_FOUND);
	return editing;
}

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const editing = await reach(event.params.slug, user);
	return {
		slug: editing.decision.slug,
		question: editing.decision.question,
		status: editing.decision.status,
		round: editing.decision.round,
		values: { proposal: editing.decision.proposal, closesTime: '17:00' }
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const editing = await reach(event.params.slug, user);
		const form = parseForm(nextRoundSchema, await event.request.formData());
		const { input, errors } = decisionInputFromForm(
			form.ok ? form.data : form.partial,
			app().config.timeZone
		);
		if (!form.ok || !input.closesAt || Object.keys(errors).length)
			return refusal(event, form.values, {
				ok: false,
				reason: 'invalid',
				errors: allErrors(nextRoundSchema, form.ok ? {} : form.errors, errors)
			});
		const result = await refusedAs403(() =>
			startNextRound(app().database.db, user, editing.decision.id, {
				proposal: form.data.proposal,
				closesAt: input.closesAt as string
			})
		);
		if (!result.ok) return refusal(event, form.values, result);
		redirect(303, `/decisions/${result.slug}?notice=round`);
	}
};
