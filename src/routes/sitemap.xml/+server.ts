import { app } from '$lib/server/app';
import { sitemapXml } from '$lib/server/sitemap/sitemap.service';
import type { RequestHandler } from './$types';

/** Every public page, streamed as it is read (a batch of rows at a time). */
export const GET: RequestHandler = () => {
	const { config, database } = app();
	const chunks = sitemapXml(database.db, config.origin);
	const encoder = new TextEncoder();
	const body = new ReadableStream<Uint8Array>({
		async pull(controller) {
			const { done, value } = await chunks.next();
			if (done) controller.close();
			else controller.enqueue(encoder.encode(value));
		},
		async cancel() {
			await chunks.return(undefined);
		}
	});
	return new Response(body, {
		headers: {
			'content-type': 'application/xml; charset=utf-8',
			'cache-control': 'public, max-age=3600'
		}
	});
};
