import { error, type ServerLoadEvent } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { formatEventWhen } from '$lib/server/events/event-time';
import { hasFilters, listEvents, parseEventFilters } from '$lib/server/events/events.queries';
import { listFormats } from '$lib/server/events/events.service';
import { markdownExcerpt } from '$lib/server/markdown';

/** The upcoming and past lists share one loader: filters from the address, one page of events. */
export async function loadEventList(event: ServerLoadEvent, when: 'upcoming' | 'past') {
	const { db } = app().database;
	const { timeZone } = app().config;
	const filters = parseEventFilters(event.url.searchParams);
	const pageParam = event.url.searchParams.get('page');
	const page = pageParam === null ? 1 : Number(pageParam);
	const [formats, list] = await Promise.all([
		listFormats(db),
		listEvents(db, { when, filters, page, timeZone })
	]);
	if (!list) error(404, 'There is no page with that number.');
	return {
		when,
		filters,
		filtered: hasFilters(filters),
		formats: formats.map((f) => ({ id: f.id, name: f.name })),
		list: {
			...list,
			items: list.items.map((item) => ({
				...item,
				when: formatEventWhen(item.starts_at, item.ends_at, timeZone),
				excerpt: item.summary,
				record: item.record_summary ? markdownExcerpt(item.record_summary, 160) : null,
				record_summary: undefined
			}))
		}
	};
}
