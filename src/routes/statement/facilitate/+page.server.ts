import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { allErrors, invalid, parseForm } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import { STATEMENT_NOT_FOUND } from '$lib/server/statements/statements.http';
import { decideSchema } from '$lib/server/statements/statements.schema';
import { facilitationView } from '$lib/server/statements/statements.service';
import {
	amendmentDecisions,
	decideAmendments,
	putAmendmentsToDecision
} from '$lib/server/statements/statements.decisions';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const db = app().database.db;
	const view = await refusedAs403(() => facilitationView(db, user));
	if (!view) error(404, STATEMENT_NOT_FOUND);
	const decisions = await amendmentDecisions(db, view.open);
	return {
		...view,
		/** Where each amendment put to a decision stands: its latest round. */
		decisions: Object.fromEntries(
			[...decisions].map(([id, d]) => [
				id,
				{ question: d.question, slug: d.slug, status: d.status, result: d.result, round: d.round }
			])
		),
		declined: event.url.searchParams.get('notice') === 'declined'
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const form = parseForm(decideSchema, await event.request.formData(), {
			listFields: ['amendmentIds']
		});
		if (!form.ok) return invalid(form.values, allErrors(decideSchema, form.errors, {}));
		const db = app().database.db;
		const view = await refusedAs403(() => facilitationView(db, user));
		if (!view) error(404, STATEMENT_NOT_FOUND);
		const chosen = {
			statementId: view.statement.id,
			amendmentIds: form.data.amendmentIds,
			note: form.data.note
		};
		const outcome = form.data.outcome;
		if (outcome === 'decide') {
			const put = await refusedAs403(() => putAmendmentsToDecision(db, user, chosen));
			if (!put.ok) {
				if (put.reason === 'not-found') error(404, STATEMENT_NOT_FOUND);
				return invalid(form.values, put.errors);
			}
			// A draft: the facilitator checks it, says who takes part and when it closes, and opens it.
			redirect(303, `/decisions/${put.slug}`);
		}
		const result = await refusedAs403(() => decideAmendments(db, user, { ...chosen, outcome }));
		if (!result.ok) {
			if (result.reason === 'not-found') error(404, STATEMENT_NOT_FOUND);
			return invalid(form.values, result.errors);
		}
		if (outcome === 'agreed') redirect(303, '/statement?notice=applied');
		redirect(303, '/statement/facilitate?notice=declined');
	}
};
