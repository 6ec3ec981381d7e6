import { error } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { getPublicProfile } from '$lib/server/profiles/profiles.service';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	const profile = await getPublicProfile(app().database.db, locals.user, params.id);
	if (!profile) error(404, 'Page not found');
	return { profile };
};
