import { app } from '$lib/server/app';
import { feedIcs } from '$lib/server/events/event-calendar';
import { calendarEventOf } from '$lib/server/events/events.ics';
import { feedEvents } from '$lib/server/events/events.queries';
import { listFormats } from '$lib/server/events/events.service';
import type { RequestHandler } from './$types';

/**
 * A subscribable calendar of public events (RFC 5545), all formats or `?format=<id>`. Calendar
 * apps poll it; visitors' requests are served from the page cache like any public page.
 */
export const GET: RequestHandler = async ({ url }) => {
	const { db } = app().database;
	const { config } = app();
	const formats = await listFormats(db);
	const format = formats.find((f) => f.id === url.searchParams.get('format')) ?? null;
	const rows = await feedEvents(db, { format: format?.id });
	const name = format ? `${config.siteName}: ${format.name}` : `${config.siteName}: events`;
	const feedUrl = new URL(
		format ? `/events/feed.ics?format=${format.id}` : '/events/feed.ics',
		config.origin + '/'
	).toString();
	const body = feedIcs(
		rows.map((row) => calendarEventOf(row, config)),
		config,
		{ name, url: feedUrl, description: `Upcoming events on ${config.siteName}` }
	);
	return new Response(body, {
		headers: { 'content-type': 'text/calendar; charset=utf-8' }
	});
};
