import { app } from '$lib/server/app';
import { formatTime, monthOf, parseMonth } from '$lib/server/events/event-time';
import { calendarMonth, hasFilters, parseEventFilters } from '$lib/server/events/events.queries';
import { listFormats } from '$lib/server/events/events.service';
import { nowIso } from '$lib/server/ids';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { db } = app().database;
	const { timeZone } = app().config;
	const filters = parseEventFilters(event.url.searchParams);
	const month = parseMonth(event.url.searchParams.get('month')) ?? monthOf(nowIso(), timeZone);
	const [formats, calendar] = await Promise.all([
		listFormats(db),
		calendarMonth(db, month, filters, timeZone)
	]);
	const days = Object.fromEntries(
		Object.entries(calendar.days).map(([date, events]) => [
			date,
			events.map((e) => ({ id: e.id, title: e.title, time: formatTime(e.starts_at, timeZone) }))
		])
	);
	const today = new Date().toLocaleDateString('en-CA', { timeZone });
	return {
		filters,
		filtered: hasFilters(filters),
		formats: formats.map((f) => ({ id: f.id, name: f.name })),
		grid: calendar.grid,
		days,
		truncated: calendar.truncated,
		today
	};
};
