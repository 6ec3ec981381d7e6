import { error, redirect, type ServerLoadEvent } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { formatEventWhen } from '$lib/server/events/event-time';
import {
	findEventsPageStart,
	formatEventCursor,
	hasFilters,
	listEvents,
	parseEventCursor,
	parseEventFilters,
	type EventCursor,
	type EventsPosition
} from '$lib/server/events/events.queries';
import { listFormats } from '$lib/server/events/events.service';
import { markdownExcerpt } from '$lib/server/markdown';
import { toPicture, type Picture } from '$lib/pictures';

/** A listed event's cover, from the image columns the list reads with it. */
export function coverOf(item: {
	cover_id: string | null;
	cover_widths: string | null;
	cover_width: number | null;
	cover_height: number | null;
	cover_alt: string | null;
}): Picture | null {
	if (!item.cover_id || !item.cover_widths || !item.cover_width || !item.cover_height) return null;
	return toPicture(
		{
			id: item.cover_id,
			widths: item.cover_widths,
			width: item.cover_width,
			height: item.cover_height
		},
		item.cover_alt ?? ''
	);
}

const BROKEN_LINK =
	'This link to a page of events is not complete. Start again from the first page of events.';

/** The address of another page of the same list: the filters kept, the position changed. */
function pageHref(url: URL, page: number, position: { after?: EventCursor; before?: EventCursor }) {
	const params = new URLSearchParams(url.searchParams);
	for (const key of ['page', 'after', 'before']) params.delete(key);
	if (page > 1) {
		if (position.after) params.set('after', formatEventCursor(position.after));
		if (position.before) params.set('before', formatEventCursor(position.before));
		params.set('page', String(page));
	}
	const query = params.toString();
	return url.pathname + (query ? `?${query}` : '');
}

/**
 * Where the address says the page starts. `after`/`before` (with the page's number, for
 * showing) come from Next and Previous links; a bare `?page=N` (from before those links) is
 * followed to the same page's keyset address, up to MAX_NUMBERED_PAGE.
 */
function readPosition(url: URL): EventsPosition | { numbered: number } {
	const params = url.searchParams;
	const pageParam = params.get('page');
	const page = pageParam === null ? 1 : Number(pageParam);
	const after = params.get('after');
	const before = params.get('before');
	if (after === null && before === null) {
		if (!Number.isInteger(page) || page < 1) error(404, 'There is no page with that number.');
		return page === 1 ? { page: 1 } : { numbered: page };
	}
	const cursor = parseEventCursor(after ?? before ?? '');
	if (!cursor || (after !== null && before !== null) || !Number.isInteger(page) || page < 2)
		error(400, BROKEN_LINK);
	return after !== null ? { page, after: cursor } : { page, before: cursor };
}

/** The upcoming and past lists share one loader: filters from the address, one page of events. */
export async function loadEventList(event: ServerLoadEvent, when: 'upcoming' | 'past') {
	const { db } = app().database;
	const { timeZone } = app().config;
	const filters = parseEventFilters(event.url.searchParams);
	const position = readPosition(event.url);
	if ('numbered' in position) {
		const start = await findEventsPageStart(db, {
			when,
			filters,
			page: position.numbered,
			timeZone
		});
		if (!start) error(404, 'There is no page with that number.');
		redirect(307, pageHref(event.url, position.numbered, { after: start }));
	}
	const [formats, list] = await Promise.all([
		listFormats(db),
		listEvents(db, { when, filters, position, timeZone })
	]);
	if (!list) error(404, 'There is no page with that number.');
	const { previous, next, ...rest } = list;
	return {
		when,
		filters,
		filtered: hasFilters(filters),
		formats: formats.map((f) => ({ id: f.id, name: f.name })),
		list: {
			...rest,
			links: {
				first: pageHref(event.url, 1, {}),
				previous: previous ? pageHref(event.url, list.page - 1, { before: previous }) : null,
				next: next ? pageHref(event.url, list.page + 1, { after: next }) : null
			},
			items: list.items.map((item) => ({
				...item,
				when: formatEventWhen(item.starts_at, item.ends_at, timeZone),
				excerpt: item.summary,
				record: item.record_summary ? markdownExcerpt(item.record_summary, 160) : null,
				record_summary: undefined,
				cover: coverOf(item)
			}))
		}
	};
}
