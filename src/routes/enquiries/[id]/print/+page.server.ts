import { error } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { refusedAs403 } from '$lib/server/http/refusals';
import { REPORT_NOT_FOUND } from '$lib/server/enquiries/report.http';
import { viewReportForPrint } from '$lib/server/enquiries/report.service';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = event.locals.user ?? null;
	const found = await refusedAs403(() =>
		viewReportForPrint(app().database.db, user, event.params.id)
	);
	if (!found) error(404, REPORT_NOT_FOUND);
	// A draft is the team's alone: never kept in a shared cache.
	if (found.draft) event.setHeaders({ 'cache-control': 'private, no-store' });
	return found;
};
