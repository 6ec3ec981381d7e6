import { Readable } from 'node:stream';
import { error } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { refusedAs403 } from '$lib/server/http/refusals';
import { CODING_NOT_FOUND } from '$lib/server/enquiries/coding.http';
import { exportQdpx } from '$lib/server/enquiries/qdpx.service';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const user = requireUser(event);
	const file = await refusedAs403(() => exportQdpx(app().database.db, user, event.params.id));
	if (!file) error(404, CODING_NOT_FOUND);
	// jszip's node stream is an old-style stream: wrap it before handing it to the web stream.
	const body = Readable.toWeb(new Readable().wrap(file.stream())) as ReadableStream<Uint8Array>;
	return new Response(body, {
		headers: {
			'content-type': 'application/zip',
			'content-disposition': `attachment; filename="${file.filename}"`,
			'cache-control': 'private, no-store'
		}
	});
};
