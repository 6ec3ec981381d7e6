import { error, json } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { refusedAs403 } from '$lib/server/http/refusals';
import { POST_BODY_MAX } from '$lib/server/posts/posts.schema';
import { previewPostBody } from '$lib/server/posts/posts.service';
import { writingHints } from '$lib/server/posts/posts.writing-hints';
import type { RequestHandler } from './$types';

/**
 * The editor's live preview: the text as readers will get it (sanitised on the server) and the
 * writing advice. Only for people signed in; nothing is saved.
 */
export const POST: RequestHandler = async (event) => {
	const user = event.locals.user;
	if (!user) error(401, 'Sign in to write posts.');
	let body: unknown;
	try {
		body = ((await event.request.json()) as { body?: unknown }).body;
	} catch {
		error(400, 'Send the text as JSON: {"body": "…"}.');
	}
	if (typeof body !== 'string') error(400, 'Send the text as JSON: {"body": "…"}.');
	if (body.length > POST_BODY_MAX) error(413, 'The post is too long to preview.');
	const html = await refusedAs403(() => previewPostBody(app().database.db, user, body));
	return json(
		{ html, hints: writingHints(body) },
		{ headers: { 'cache-control': 'private, no-store' } }
	);
};
