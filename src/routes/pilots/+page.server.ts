import { app } from '$lib/server/app';
import { listPilots, parsePilotQuery } from '$lib/server/pilots/pilots.service';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const query = parsePilotQuery(url.searchParams);
	const requested = Number(url.searchParams.get('page') ?? '1');
	const page = Number.isInteger(requested) && requested >= 1 && requested <= 10_000 ? requested : 1;
	const list = await listPilots(app().database.db, locals.user, query, page);
	const params = new URLSearchParams();
	if (query.area) params.set('area', query.area);
	if (query.status) params.set('status', query.status);
	const qs = params.toString();
	const date = (iso: string) =>
		new Date(iso).toLocaleDateString('en-GB', {
			day: 'numeric',
			month: 'long',
			year: 'numeric',
			timeZone: app().config.timeZone
		});
	return {
		query,
		filtered: !!qs,
		qs,
		page: Math.min(page, list.totalPages),
		...list,
		pilots: list.pilots.map((p) => ({ ...p, updated: date(p.updatedAt) }))
	};
};
