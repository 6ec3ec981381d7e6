import type { Handle } from '@sveltejs/kit';
import { app } from '../app';
import { getAuth } from './auth';
import { readSessionQuickly } from './session';
import { sessionCacheFor } from './session-cache';

const SESSION_COOKIE = /(?:^|;\s*)(?:__Secure-)?colab\.session_token=/;

/**
 * Puts the signed-in person (or null) in `locals.user`. Requests without a session cookie skip
 * the database. better-auth refreshes a session once a day; its new cookie reaches the response
 * through the SvelteKit cookies plugin in auth.ts (see session.ts for the quick path).
 */
export const sessionHandle: Handle = async ({ event, resolve }) => {
	event.locals.user = null;
	event.locals.sessionId = null;
	event.locals.sessionSettled = false;
	event.locals.sharedRender = null;
	if (SESSION_COOKIE.test(event.request.headers.get('cookie') ?? '')) {
		const session = await readSessionQuickly(
			getAuth(),
			app().database.db,
			event.request.headers,
			sessionCacheFor(event.request)
		);
		if (session) {
			event.locals.user = session.user;
			event.locals.sessionId = session.sessionId;
			event.locals.sessionSettled = session.settled === true;
		}
	}
	return resolve(event);
};
