import { markdownToPlainText } from '../markdown';
import type { CalendarEvent } from './event-calendar';
import { absoluteUrl, eventPath, type EventsSite } from './events.links';
import type { Event } from './events.tables';

/** An event as calendars see it, with the names they show. */
export type CalendarSource = Pick<
	Event,
	| 'id'
	| 'title'
	| 'description'
	| 'starts_at'
	| 'ends_at'
	| 'created_at'
	| 'updated_at'
	| 'status'
	| 'mode'
	| 'venue_name'
	| 'venue_address'
> & {
	format_name: string;
	host_name: string | null;
	organisation_name: string | null;
	organisation_slug: string | null;
};

/** What the .ics files, calendar links and JSON-LD need to know about an event. */
export function calendarEventOf(
	event: CalendarSource,
	site: Pick<EventsSite, 'origin'>
): CalendarEvent {
	const venue =
		event.mode !== 'online' && (event.venue_name || event.venue_address)
			? { name: event.venue_name ?? '', address: event.venue_address ?? '' }
			: null;
	const organizer = event.organisation_name
		? {
				name: event.organisation_name,
				kind: 'organisation' as const,
				url: event.organisation_slug
					? absoluteUrl(site, `/organisations/${event.organisation_slug}`)
					: undefined
			}
		: { name: event.host_name ?? 'A former member', kind: 'person' as const };
	return {
		id: event.id,
		title: event.title,
		summary: markdownToPlainText(event.description, 2000),
		startsAt: event.starts_at,
		endsAt: event.ends_at,
		createdAt: event.created_at,
		updatedAt: event.updated_at,
		status: event.status,
		mode: event.mode,
		url: absoluteUrl(site, eventPath(event.id)),
		venue,
		organizer,
		formatName: event.format_name
	};
}
