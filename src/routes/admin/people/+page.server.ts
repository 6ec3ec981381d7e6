import { app } from '$lib/server/app';
import { dateTimeFormatter, requireAdministrator } from '$lib/server/admin/admin.http';
import {
	PEOPLE_SEARCH_MAX,
	PER_PAGE,
	peopleFilterSchema,
	queryValues
} from '$lib/server/admin/admin.schema';
import { listPeople } from '$lib/server/admin/admin.service';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireAdministrator(event);
	const filter = peopleFilterSchema.parse(queryValues(event.url.searchParams));
	const result = await listPeople(app().database.db, { ...filter, perPage: PER_PAGE });
	const date = dateTimeFormatter(app().config.timeZone);
	return {
		// All that was typed stays in the box, with a word when only part of it was searched.
		filter: {
			search: (event.url.searchParams.get('search') ?? '').trim(),
			searchCut: (event.url.searchParams.get('search') ?? '').trim().length > PEOPLE_SEARCH_MAX,
			role: filter.role ?? ''
		},
		people: result.items.map((p) => ({ ...p, joined: date(p.createdAt) })),
		total: result.total,
		page: result.page,
		pageCount: result.pageCount
	};
};
