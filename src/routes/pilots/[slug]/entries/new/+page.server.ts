import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { allErrors, parseForm } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import { PILOT_NOT_FOUND, refusal } from '$lib/server/pilots/pilots.http';
import { entrySchema } from '$lib/server/pilots/pilots.schema';
import { addEntry, localToday, pilotForNewEntry } from '$lib/server/pilots/pilots.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const pilot = await refusedAs403(() =>
		pilotForNewEntry(app().database.db, user, event.params.slug)
	);
	if (!pilot) error(404, PILOT_NOT_FOUND);
	return { pilot, values: { date: localToday(app().config.timeZone) } };
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const form = parseForm(entrySchema, await event.request.formData());
		if (!form.ok)
			return refusal(event, form.values, {
				ok: false,
				reason: 'invalid',
				errors: allErrors(entrySchema, form.errors, {})
			});
		const result = await refusedAs403(() =>
			addEntry(app().database.db, user, event.params.slug, form.data, {
				timeZone: app().config.timeZone
			})
		);
		if (!result.ok) return refusal(event, form.values, result);
		redirect(303, `/pilots/${event.params.slug}?notice=added#entry-${result.id}`);
	}
};
