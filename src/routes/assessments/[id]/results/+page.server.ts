import { app } from '$lib/server/app';
import { assessmentResults } from '$lib/server/assessments/results.service';
import { readResults, roundParam } from '$lib/server/assessments/results.http';
import { presentResults } from './results.present';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const round = roundParam(event.url);
	const view = await readResults(event, () =>
		assessmentResults(app().database.db, event.locals.user ?? null, event.params.id, round)
	);
	return { results: presentResults(view, new Date(), app().config.timeZone) };
};
