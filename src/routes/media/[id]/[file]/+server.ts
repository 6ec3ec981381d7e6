import { error } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { imageStoreFor } from '$lib/server/uploads/uploads';
import type { RequestHandler } from './$types';

/**
 * Every uploaded picture, at each width it was made in: /media/<image id>/<width>.webp. An
 * image's bytes never change (a new upload gets a new id), so browsers and proxies may keep
 * them for a year. Any instance answers, from the database or the shared uploads folder.
 */
export const GET: RequestHandler = async ({ params }) => {
	const width = /^(\d{1,5})\.webp$/.exec(params.file)?.[1];
	if (!width) error(404, 'Page not found');
	const found = await imageStoreFor(app().config).read(app().database.db, params.id, Number(width));
	if (!found) error(404, 'Page not found');
	return new Response(new Uint8Array(found.data), {
		headers: {
			'content-type': found.contentType,
			'content-length': String(found.data.byteLength),
			'cache-control': 'public, max-age=31536000, immutable',
			'x-content-type-options': 'nosniff',
			// A picture is never a page: nothing in it may run or load anything.
			'content-security-policy': "default-src 'none'; sandbox"
		}
	});
};
