import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { refusedAs403 } from '$lib/server/http/refusals';
import { downloadMyData } from '$lib/server/your-data/your-data.service';
import type { RequestHandler } from './$types';

/** "colab-your-data-2026-11-26.json", from the site's name and today's date. */
function fileName(siteName: string, exportedAt: string): string {
	const site = siteName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'colab';
	return `${site}-your-data-${exportedAt.slice(0, 10)}.json`;
}

// The signed-in person's own data as a file to save. Only ever their own: the use case reads
// the person from the session, never from the address.
export const GET: RequestHandler = async (event) => {
	const user = requireUser(event);
	const data = await refusedAs403(() => downloadMyData(app().database.db, user));
	return new Response(JSON.stringify(data, null, 2) + '\n', {
		headers: {
			'content-type': 'application/json; charset=utf-8',
			'content-disposition': `attachment; filename="${fileName(app().config.siteName, data.exportedAt)}"`,
			'cache-control': 'private, no-store'
		}
	});
};
