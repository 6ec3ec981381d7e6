import { app } from '$lib/server/app';
import { parseChampionFilters } from '$lib/server/champions/champions.schema';
import { listChampions } from '$lib/server/champions/champions.service';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url }) => {
	const filters = parseChampionFilters(url.searchParams);
	const asked = Number(url.searchParams.get('page') ?? '1');
	const page = Number.isInteger(asked) && asked >= 1 && asked <= 10_000 ? asked : 1;
	const list = await listChampions(app().database.db, filters, page);
	const query = new URLSearchParams();
	if (filters.serviceArea) query.set('area', filters.serviceArea);
	if (filters.dimension) query.set('dimension', filters.dimension);
	if (filters.available) query.set('available', filters.available);
	return {
		champions: list.champions,
		total: list.total,
		totalPages: list.totalPages,
		page,
		filters,
		filtered: query.size > 0,
		query: query.toString(),
		serviceAreas: list.vocabulary.serviceAreas
			.filter((t) => t.status === 'active')
			.map((t) => ({ value: t.id, label: t.label })),
		dimensions: list.vocabulary.dimensions.map((d) => ({ value: d.key, label: d.title }))
	};
};
