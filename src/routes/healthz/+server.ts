import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { app } from '$lib/server/app';
import { checkDatabase } from '$lib/server/db/health';

export const GET: RequestHandler = async () => {
	const result = await checkDatabase(app().database);
	return json(
		result.ok
			? { status: 'ok', database: result.dialect }
			: {
					status: 'error',
					database: result.dialect,
					reason: result.reason
				},
		{ status: result.ok ? 200 : 503, headers: { 'cache-control': 'no-store' } }
	);
};
