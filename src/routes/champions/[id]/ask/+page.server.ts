import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser, tooManyAttempts } from '$lib/server/auth/auth.http';
import { askSchema } from '$lib/server/champions/champions.schema';
import { viewChampion, volunteerChoices } from '$lib/server/champions/champions.service';
import { askChampion, describeRequestRefusal } from '$lib/server/champions/requests.service';
import { invalid, parseForm } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const db = app().database.db;
	const view = await viewChampion(db, user, event.params.id);
	if (!view) error(404, 'We could not find that champion. They may have stepped down.');
	const vocabulary = await volunteerChoices(db);
	return {
		champion: { id: view.champion.id, name: view.champion.name },
		takingRequests: view.takingRequests,
		own: view.own,
		serviceAreas: vocabulary.serviceAreas.map((t) => ({ value: t.id, label: t.label }))
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const form = parseForm(askSchema, await event.request.formData());
		if (!form.ok) return invalid(form.values, form.errors);
		// The honeypot: a person never fills it in.
		if (form.data.website) redirect(303, '/champions/requests');
		const { config, database } = app();
		const result = await refusedAs403(() =>
			askChampion(database.db, user, event.params.id, form.data, {
				siteName: config.siteName,
				origin: config.origin
			})
		);
		if (result.ok) redirect(303, `/champions/requests/${result.id}?notice=asked`);
		if (result.reason === 'rate-limited')
			return tooManyAttempts(event, form.values, result.retryAfterSeconds ?? 60);
		const field = result.reason === 'unknown-area' ? 'serviceArea' : 'body';
		return invalid(form.values, { [field]: describeRequestRefusal(result) });
	}
};
