import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { DECISION_NOT_FOUND, refusal } from '$lib/server/decisions/decisions.http';
import { outcomeSchema } from '$lib/server/decisions/decisions.schema';
import { viewDecision, writeOutcome } from '$lib/server/decisions/decisions.service';
import { parseForm } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import type { Actions, PageServerLoad } from './$types';

async function reach(slug: string, user: App.Locals['user']) {
	const view = await viewDecision(app().database.db, user, slug, app().config.timeZone);
	if (!view) error(404, DECISION_NOT_FOUND);
	if (!view.may.facilitate)
		error(403, 'Only the decision’s facilitators and curators can write its outcome.');
	return view;
}

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const view = await reach(event.params.slug, user);
	return {
		decision: view.decision,
		summary: view.summary,
		closedNow: event.url.searchParams.get('notice') === 'closed'
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const view = await reach(event.params.slug, user);
		const form = parseForm(outcomeSchema, await event.request.formData());
		if (!form.ok)
			return refusal(event, form.values, { ok: false, reason: 'invalid', errors: form.errors });
		const result = await refusedAs403(() =>
			writeOutcome(app().database.db, user, view.decision.id, form.data)
		);
		if (!result.ok) return refusal(event, form.values, result);
		redirect(303, `/decisions/${view.decision.slug}?notice=outcome#outcome`);
	}
};
