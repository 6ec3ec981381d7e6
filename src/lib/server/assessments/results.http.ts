import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { ForbiddenError } from '$lib/server/refusals';

/**
 * The round asked for by `?round=N`: undefined for the latest; anything but a whole number from
 * 1 up is a page that does not exist.
 */
export function roundParam(url: URL): number | undefined {
	const given = url.searchParams.get('round');
	if (given === null || given === '') return undefined;
	if (!/^[1-9]\d{0,5}$/.test(given)) error(404, 'There is no such round.');
	return Number(given);
}

/**
 * Runs a results read for a route. Results are personal (they depend on who asks), so neither
 * the page cache nor a browser may keep them. A visitor who is refused is sent to sign in and
 * brought back; a signed-in person who is refused gets a 403 page saying why.
 */
export async function readResults<T>(
	event: RequestEvent,
	work: () => Promise<T | undefined>
): Promise<T> {
	event.setHeaders({ 'cache-control': 'private, no-store' });
	let found: T | undefined;
	try {
		found = await work();
	} catch (caught) {
		if (!(caught instanceof ForbiddenError)) throw caught;
		if (!event.locals.user) {
			const next = event.url.pathname + event.url.search;
			redirect(303, `/sign-in?next=${encodeURIComponent(next)}`);
		}
		error(403, caught.message);
	}
	if (!found) error(404, 'Page not found');
	return found;
}
