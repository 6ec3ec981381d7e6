import { error } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { refusedAs403 } from '$lib/server/http/refusals';
import { CODING_NOT_FOUND } from '$lib/server/enquiries/coding.http';
import { exportExcerptsCsv } from '$lib/server/enquiries/qdpx.service';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const user = requireUser(event);
	const file = await refusedAs403(() =>
		exportExcerptsCsv(app().database.db, user, event.params.id)
	);
	if (!file) error(404, CODING_NOT_FOUND);
	return new Response(`\uFEFF${file.body}`, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${file.filename}"`,
			'cache-control': 'private, no-store'
		}
	});
};
