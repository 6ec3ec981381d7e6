import { error } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { formatEventWhen } from '$lib/server/events/event-time';
import { viewEvent } from '$lib/server/events/events.queries';
import type { PageServerLoad } from './$types';

/**
 * Where a visitor lands after asking for a place without an account: what happens next, and
 * nothing to send again. The same for everyone (no address is shown), so it can be cached.
 */
export const load: PageServerLoad = async (event) => {
	const { db } = app().database;
	const view = await viewEvent(db, event.locals.user ?? null, event.params.id);
	if (!view) error(404, 'Page not found');
	if (view.viewer.signedIn) event.setHeaders({ 'cache-control': 'private, no-store' });
	return {
		event: {
			id: view.event.id,
			title: view.event.title,
			when: formatEventWhen(view.event.starts_at, view.event.ends_at, app().config.timeZone)
		}
	};
};
