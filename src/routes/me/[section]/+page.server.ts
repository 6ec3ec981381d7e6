import { error } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { loadMyColabSectionPage } from '$lib/server/my-colab/my-colab.registry';
import type { PageServerLoad } from './$types';

/** All of one My CoLab section, 20 to a page. */
export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const raw = event.url.searchParams.get('page') ?? '1';
	const page = /^\d{1,4}$/.test(raw) ? Number(raw) : NaN;
	const found = await loadMyColabSectionPage(app().database.db, user, event.params.section, page, {
		timeZone: app().config.timeZone
	});
	if (!found) error(404, 'Page not found');
	const base = `/me/${found.section.id}`;
	return {
		section: found.section,
		page: found.page,
		links: {
			first: base,
			previous: found.page > 1 ? `${base}?page=${found.page - 1}` : null,
			next: found.hasNext ? `${base}?page=${found.page + 1}` : null
		}
	};
};
