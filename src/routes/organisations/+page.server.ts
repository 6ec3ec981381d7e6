import { error } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { listOrganisations } from '$lib/server/organisations/organisations.service';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url }) => {
	const raw = url.searchParams.get('page') ?? '1';
	const page = /^[1-9][0-9]{0,5}$/.test(raw) ? Number(raw) : NaN;
	const list = await listOrganisations(app().database.db, page);
	if (!list) error(404, 'Page not found');
	return { list };
};
