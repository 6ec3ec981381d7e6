import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { assertCan } from '$lib/server/auth/auth.permissions';
import { formValues, invalid } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import { canManageFormats } from '$lib/server/events/events.permissions';
import { listFormats } from '$lib/server/events/events.service';
import { addFormat, updateFormat } from '$lib/server/events/formats.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	await refusedAs403(async () =>
		assertCan(canManageFormats(user), 'Only curators can manage formats.')
	);
	const notice = event.url.searchParams.get('notice');
	return {
		formats: await listFormats(app().database.db),
		notice:
			notice === 'added'
				? 'The format is added. Hosts can choose it now.'
				: notice === 'saved'
					? 'The format is saved.'
					: null
	};
};

export const actions: Actions = {
	add: async (event) => {
		const user = requireUser(event);
		const values = formValues(await event.request.formData());
		const result = await refusedAs403(() => addFormat(app().database.db, user, values));
		if (!result.ok) return invalid(values, result.errors);
		redirect(303, '/events/formats?notice=added');
	},
	update: async (event) => {
		const user = requireUser(event);
		const values = formValues(await event.request.formData());
		const id = typeof values.format === 'string' ? values.format : '';
		const result = await refusedAs403(() => updateFormat(app().database.db, user, id, values));
		if (!result.ok) {
			if (result.reason === 'not_found') error(404, 'That format no longer exists.');
			const keyed = Object.fromEntries(
				Object.entries(result.errors).map(([k, v]) => [`${k}-${id}`, v])
			);
			return invalid(values, keyed);
		}
		redirect(303, `/events/formats?notice=saved#format-${id}`);
	}
};
