import { app } from '$lib/server/app';
import { assessmentResults } from '$lib/server/assessments/results.service';
import { readResults, roundParam } from '$lib/server/assessments/results.http';
import { publishedCaseStudiesForDimensions } from '$lib/server/library/case-studies.service';
import { championsForDimensions } from '$lib/server/champions/champions.service';
import { presentResults } from './results.present';
import type { PageServerLoad } from './$types';

/** How many case studies and champions are offered for each weakest area. */
const HELP_PER_AREA = 3;

/**
 * The results are read and printed, never changed here, so the page is sent without
 * JavaScript: no hydration, and the figures are not sent a second time as data for it (about a
 * third of the page's weight, and most of its rendering time at 5,000 responses).
 */
export const csr = false;

export const load: PageServerLoad = async (event) => {
	const round = roundParam(event.url);
	const db = app().database.db;
	const view = await readResults(event, () =>
		assessmentResults(db, event.locals.user ?? null, event.params.id, round)
	);
	// From the check to the library: for each weakest area, published case studies that show it
	// and champions who know it. Two indexed reads per area (two areas at most), side by side.
	const help = await Promise.all(
		(view?.weakest ?? []).map(async (d) => {
			const [caseStudies, champions] = await Promise.all([
				publishedCaseStudiesForDimensions(db, [d.key], HELP_PER_AREA),
				championsForDimensions(db, [d.key], HELP_PER_AREA)
			]);
			return {
				dimensionId: d.id,
				caseStudies: caseStudies.map((c) => ({ href: `/library/${c.slug}`, title: c.title })),
				champions: champions.map((c) => ({ href: c.path, name: c.name }))
			};
		})
	);
	return { results: presentResults(view, new Date(), app().config.timeZone), help };
};
