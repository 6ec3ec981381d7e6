import { app } from '$lib/server/app';
import { requireAdministrator } from '$lib/server/admin/admin.http';
import { refusedAs403 } from '$lib/server/http/refusals';
import { exportSubscribersCsv } from '$lib/server/updates/updates.admin.service';
import type { RequestHandler } from './$types';

/**
 * Every subscriber as CSV for a spreadsheet (administrators only; the /admin layout's check does
 * not run for a file like this, so it is made here). Streamed a page at a time.
 */
export const GET: RequestHandler = async (event) => {
	const user = requireAdministrator(event);
	const stream = await refusedAs403(() => exportSubscribersCsv(app().database.db, user));
	const date = new Date().toISOString().slice(0, 10);
	return new Response(stream, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="subscribers-${date}.csv"`,
			'cache-control': 'private, no-store'
		}
	});
};
