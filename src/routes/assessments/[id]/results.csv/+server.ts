import { app } from '$lib/server/app';
import {
	resultsCsv,
	resultsCsvFilename,
	roundResultsByNumber
} from '$lib/server/assessments/results.service';
import { readResults, roundParam } from '$lib/server/assessments/results.http';
import type { RequestHandler } from './$types';

/** A round's figures for a spreadsheet (the latest round unless `?round=N`): aggregates only. */
export const GET: RequestHandler = async (event) => {
	const round = roundParam(event.url);
	const view = await readResults(event, () =>
		roundResultsByNumber(app().database.db, event.locals.user ?? null, event.params.id, round)
	);
	// A byte-order mark first, so Excel reads the file as UTF-8 (curly quotes, accents).
	return new Response(`\uFEFF${resultsCsv(view)}`, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${resultsCsvFilename(view.assessment.title, view.round.number)}"`
		}
	});
};
