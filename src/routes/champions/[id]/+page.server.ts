import { error } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { viewChampion } from '$lib/server/champions/champions.service';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	const view = await viewChampion(app().database.db, locals.user, params.id);
	if (!view) error(404, 'We could not find that champion. They may have stepped down.');
	return view;
};
