import { app } from '$lib/server/app';
import { assessmentResults } from '$lib/server/assessments/results.service';
import { readResults, roundParam } from '$lib/server/assessments/results.http';
import { presentResults } from './results.present';
import type { PageServerLoad } from './$types';

/**
 * The results are read and printed, never changed here, so the page is sent without
 * JavaScript: no hydration, and the figures are not sent a second time as data for it (about a
 * third of the page's weight, and most of its rendering time at 5,000 responses).
 */
export const csr = false;

export const load: PageServerLoad = async (event) => {
	const round = roundParam(event.url);
	const view = await readResults(event, () =>
		assessmentResults(app().database.db, event.locals.user ?? null, event.params.id, round)
	);
	return { results: presentResults(view, new Date(), app().config.timeZone) };
};
