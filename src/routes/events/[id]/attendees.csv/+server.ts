import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { refusedAs403 } from '$lib/server/http/refusals';
import { attendeesCsv, getAttendees } from '$lib/server/events/attendees.service';
import { icsFilename } from '$lib/server/events/event-calendar';
import type { RequestHandler } from './$types';

/** The attendee list for a spreadsheet (names, places, check-in). */
export const GET: RequestHandler = async (event) => {
	const user = event.locals.user;
	if (!user) redirect(303, `/sign-in?next=${encodeURIComponent(event.url.pathname)}`);
	const list = await refusedAs403(() => getAttendees(app().database.db, user, event.params.id));
	if (!list) error(404, 'Page not found');
	const name = icsFilename(list.event.title).replace(/\.ics$/, '-attendees.csv');
	return new Response(attendeesCsv(list), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${name}"`,
			'cache-control': 'private, no-store'
		}
	});
};
