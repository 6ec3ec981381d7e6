import { app } from '$lib/server/app';
import {
	STAGE_HINTS,
	STAGE_LABELS,
	listEnquiries,
	parseStageFilter
} from '$lib/server/enquiries/enquiries.service';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url }) => {
	const stage = parseStageFilter(url.searchParams.get('stage'));
	const requested = Number(url.searchParams.get('page') ?? '1');
	const page = Number.isInteger(requested) && requested >= 1 && requested <= 10_000 ? requested : 1;
	const list = await listEnquiries(app().database.db, stage, page);
	return {
		stage,
		qs: stage ? `stage=${stage}` : '',
		stages: Object.entries(STAGE_LABELS).map(([value, label]) => ({ value, label })),
		hints: STAGE_HINTS,
		...list
	};
};
