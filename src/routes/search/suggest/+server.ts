import { json } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { suggestAsTyped } from '$lib/server/site-search/site-search.service';
import type { RequestHandler } from './$types';

// Answers differ per person (members see more), so neither the browser nor any cache keeps them.
const PRIVATE = { 'cache-control': 'private, no-store' };

/** Titles for the header's search box as someone types: `[{ title, path, label }]`. */
export const GET: RequestHandler = async (event) => {
	const typed = event.url.searchParams.get('q') ?? '';
	const result = await suggestAsTyped(
		app().database.db,
		typed,
		event.locals.user,
		event.getClientAddress()
	);
	if (!result.ok) {
		return json([], {
			status: 429,
			headers: { ...PRIVATE, 'retry-after': String(result.retryAfterSeconds) }
		});
	}
	return json(result.suggestions, { headers: PRIVATE });
};
