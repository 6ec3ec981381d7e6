import { app } from '$lib/server/app';
import { robotsTxt } from '$lib/server/sitemap/sitemap.service';
import type { RequestHandler } from './$types';

/** What search engines may read, and where the sitemap is (an absolute address, as they need). */
export const GET: RequestHandler = () =>
	new Response(robotsTxt(app().config.origin), {
		headers: {
			'content-type': 'text/plain; charset=utf-8',
			'cache-control': 'public, max-age=86400'
		}
	});
