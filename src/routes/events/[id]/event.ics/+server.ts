import { error } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { eventIcs, icsFilename } from '$lib/server/events/event-calendar';
import { calendarEventOf } from '$lib/server/events/events.ics';
import { eventForCalendar, viewEvent } from '$lib/server/events/events.queries';
import type { RequestHandler } from './$types';

/** "Add to calendar": the event as an .ics file. */
export const GET: RequestHandler = async (event) => {
	const { db } = app().database;
	const view = await viewEvent(db, event.locals.user ?? null, event.params.id);
	if (!view) error(404, 'Page not found');
	const source = (await eventForCalendar(db, view.event.id))!;
	const body = eventIcs(calendarEventOf(source, app().config), app().config);
	return new Response(body, {
		headers: {
			'content-type': 'text/calendar; charset=utf-8; method=PUBLISH',
			'content-disposition': `attachment; filename="${icsFilename(source.title)}"`
		}
	});
};
