import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { turnDownSchema } from '$lib/server/champions/champions.schema';
import {
	confirmChampion,
	reviewChampions,
	turnDownChampion
} from '$lib/server/champions/champions.service';
import { invalid, parseForm } from '$lib/server/forms';
import { refusedAs403 } from '$lib/server/http/refusals';
import type { Actions, PageServerLoad } from './$types';

const NOTICES: Record<string, string> = {
	confirmed: 'The champion is confirmed and told. Members can now find and ask them.',
	'turned-down': 'The offer is not confirmed. The volunteer is told and can read your note.'
};

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const review = await refusedAs403(() => reviewChampions(app().database.db, user));
	return { ...review, notice: NOTICES[event.url.searchParams.get('notice') ?? ''] ?? null };
};

export const actions: Actions = {
	confirm: async (event) => {
		const user = requireUser(event);
		const id = String((await event.request.formData()).get('id') ?? '');
		const done = await refusedAs403(() => confirmChampion(app().database.db, user, id));
		if (!done) error(404, 'This offer is not waiting any more.');
		redirect(303, '/champions/review?notice=confirmed');
	},
	turnDown: async (event) => {
		const user = requireUser(event);
		const data = await event.request.formData();
		const id = String(data.get('id') ?? '');
		const form = parseForm(turnDownSchema, data);
		if (!form.ok) return invalid(form.values, { [`note-${id}`]: form.errors.note ?? '' });
		const done = await refusedAs403(() =>
			turnDownChampion(app().database.db, user, id, form.data.note)
		);
		if (!done) error(404, 'This offer is not waiting any more.');
		redirect(303, '/champions/review?notice=turned-down');
	}
};
