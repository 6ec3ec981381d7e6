import { app } from '$lib/server/app';
import { STAGE_LABELS, listIdeas, parseIdeaQuery } from '$lib/server/ideas/ideas.service';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url }) => {
	const query = parseIdeaQuery(url.searchParams);
	const requested = Number(url.searchParams.get('page') ?? '1');
	const page = Number.isInteger(requested) && requested >= 1 && requested <= 10_000 ? requested : 1;
	const list = await listIdeas(app().database.db, query, page);
	const params = new URLSearchParams();
	if (query.stage) params.set('stage', query.stage);
	if (query.sort !== 'newest') params.set('sort', query.sort);
	const date = (iso: string) =>
		new Date(iso).toLocaleDateString('en-GB', {
			day: 'numeric',
			month: 'long',
			year: 'numeric',
			timeZone: app().config.timeZone
		});
	return {
		query,
		filtered: !!query.stage,
		qs: params.toString(),
		page: Math.min(page, list.totalPages),
		stages: Object.entries(STAGE_LABELS).map(([value, label]) => ({ value, label })),
		...list,
		ideas: list.ideas.map((i) => ({ ...i, posted: date(i.createdAt) }))
	};
};
