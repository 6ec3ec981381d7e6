import type { Handle } from '@sveltejs/kit';

/**
 * Lets a page's load answer with a status other than 200 while still showing the page:
 * SvelteKit's load can only throw an error page, and a GET form with problems (a date on /search
 * that is not a date) must answer 400 with the message beside its field and what was typed kept.
 * The load sets `locals.pageStatus`; this turns the rendered 200 into that status.
 *
 * Only whole pages: a client-side navigation's data request keeps its 200, since SvelteKit's
 * client reads any other status there as a failure and would show its error page instead.
 * Place it inside the page cache, so the cache sees the 400 and keeps nothing.
 */
export const pageStatusHandle: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const status = event.locals.pageStatus;
	if (!status || event.isDataRequest || response.status !== 200) return response;
	return new Response(response.body, { status, headers: response.headers });
};
