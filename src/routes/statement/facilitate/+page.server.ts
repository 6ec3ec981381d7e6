import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { allErrors, invalid, parseForm } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import { STATEMENT_NOT_FOUND } from '$lib/server/statements/statements.http';
import { decideSchema } from '$lib/server/statements/statements.schema';
import {
	applyAmendments,
	declineAmendments,
	facilitationView
} from '$lib/server/statements/statements.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const view = await refusedAs403(() => facilitationView(app().database.db, user));
	if (!view) error(404, STATEMENT_NOT_FOUND);
	return { ...view, declined: event.url.searchParams.get('notice') === 'declined' };
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
		const input = {
			statementId: view.statement.id,
			amendmentIds: form.data.amendmentIds,
			decisionId: null,
			note: form.data.note
		};
		const result = await refusedAs403(() =>
			form.data.outcome === 'agreed'
				? applyAmendments(db, user, input)
				: declineAmendments(db, user, input)
		);
		if (!result.ok) {
			if (result.reason === 'not-found') error(404, STATEMENT_NOT_FOUND);
			return invalid(form.values, result.errors);
		}
		if (form.data.outcome === 'agreed') redirect(303, '/statement?notice=applied');
		redirect(303, '/statement/facilitate?notice=declined');
	}
};
