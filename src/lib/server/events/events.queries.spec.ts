import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '../refusals';
import type { SessionUser } from '../auth/auth.types';
import type { FormValues } from '../forms';
import { createOrganisation } from '../organisations/organisations.service';
import { describeEachDatabase } from '../testing/databases';
import { feedIcs } from './event-calendar';
import { calendarEventOf } from './events.ics';
import {
	calendarMonth,
	feedEvents,
	hasFilters,
	listEvents,
	listPendingEvents,
	nextEvents,
	parseEventFilters,
	viewEvent,
	type EventFilters,
	type EventsPosition
} from './events.queries';
import { approveEvent, cancelEvent, createEvent } from './events.service';
import type { Event, EventRegistration } from './events.tables';
import { eventValues, publishedEvent, testMember, TEST_SITE } from './events.testing';
import { cancelRegistration, registerMember } from './registrations.service';

const LONDON = TEST_SITE.timeZone;
/** Before every event these specs make, so all of them are still to come. */
const LONG_BEFORE = '2030-01-01T00:00:00.000Z';

const NO_FILTERS: EventFilters = {
	format: null,
	band: [],
	mode: [],
	access: [],
	from: null,
	to: null,
	q: null
};

const filtersOf = (query: string) => parseEventFilters(new URLSearchParams(query));
const idsOf = (rows: ReadonlyArray<{ id: string }>) => rows.map((r) => r.id);

let tags = 0;
/**
 * A word no other spec's events contain (delimited, so `zq1zq` is not inside `zq11zq`). Titles
 * carry it and lists filter by it with `q`, because the specs in a block share one database.
 */
function uniqueTag(): string {
	tags++;
	return `zq${tags}zq`;
}

/** An online event: no venue, and so no access features. */
const ONLINE: FormValues = {
	mode: 'online',
	onlineUrl: 'https://meet.example.org/carers',
	venueName: '',
	venueAddress: '',
	accessFeatures: [],
	accessNotes: ''
};

describe('parseEventFilters', () => {
	it('keeps valid values, with repeated parameters as lists', () => {
		expect(
			filtersOf(
				'format=knowledge-cafe&band=evening&band=lunch&mode=online&mode=hybrid' +
					'&access=step_free&access=parking&from=2030-06-01&to=2030-06-30&q=carers'
			)
		).toEqual({
			format: 'knowledge-cafe',
			band: ['evening', 'lunch'],
			mode: ['online', 'hybrid'],
			access: ['step_free', 'parking'],
			from: '2030-06-01',
			to: '2030-06-30',
			q: 'carers'
		});
	});

	it('gives empty filters for an empty query string', () => {
		expect(filtersOf('')).toEqual(NO_FILTERS);
	});

	it('drops unknown bands, modes and access features but keeps the known ones', () => {
		expect(
			filtersOf(
				'band=midnight&band=evening&band=EVENING&mode=teleport&mode=in_person' +
					'&access=lift&access=quiet_room&access=step-free'
			)
		).toEqual({ ...NO_FILTERS, band: ['evening'], mode: ['in_person'], access: ['quiet_room'] });
		expect(filtersOf('mode=&band=&access=')).toEqual(NO_FILTERS);
	});

	it('ignores malformed formats and dates', () => {
		for (const format of ['Knowledge Cafe', 'knowledge_cafe', 'x'.repeat(65), '', '../etc']) {
			expect(filtersOf(`format=${encodeURIComponent(format)}`).format).toBeNull();
		}
		expect(filtersOf(`format=${'a'.repeat(64)}`).format).toBe('a'.repeat(64));
		for (const date of ['2030-6-1', '01/06/2030', '2030-06-01T00:00', '20300601', 'tomorrow', '']) {
			const parsed = filtersOf(`from=${encodeURIComponent(date)}&to=${encodeURIComponent(date)}`);
			expect(parsed.from).toBeNull();
			expect(parsed.to).toBeNull();
		}
	});

	it('trims the search and cuts it to 100 characters; blank means none', () => {
		expect(filtersOf('q=%20%20carers%20support%20%20').q).toBe('carers support');
		expect(filtersOf(`q=${'x'.repeat(150)}`).q).toBe('x'.repeat(100));
		expect(filtersOf(`q=%20%20${'y'.repeat(100)}`).q).toBe('y'.repeat(100));
		expect(filtersOf('q=%20%20%20').q).toBeNull();
		expect(filtersOf('q=').q).toBeNull();
	});

	it('takes the first of repeated single-valued parameters', () => {
		expect(filtersOf('format=exchange&format=meet-up&q=one&q=two')).toMatchObject({
			format: 'exchange',
			q: 'one'
		});
	});
});

describe('hasFilters', () => {
	it('is false with nothing to filter by, and true for each filter on its own', () => {
		expect(hasFilters(NO_FILTERS)).toBe(false);
		expect(hasFilters(filtersOf('band=midnight&mode=teleport&q=%20&from=soon'))).toBe(false);
		for (const query of [
			'format=exchange',
			'band=evening',
			'mode=online',
			'access=parking',
			'from=2030-06-01',
			'to=2030-06-30',
			'q=carers'
		]) {
			expect(hasFilters(filtersOf(query)), query).toBe(true);
		}
	});
});

describeEachDatabase('event queries', (ctx) => {
	/** A published (curator-hosted) event. */
	async function make(title: string, overrides: FormValues = {}): Promise<Event> {
		return (await publishedEvent(ctx.db, { title, ...overrides })).event;
	}

	/** A plain member's first event, which waits for a curator. */
	async function pendingEvent(
		title: string,
		overrides: FormValues = {},
		now?: string
	): Promise<{ event: Event; host: SessionUser }> {
		const host = await testMember(ctx.db);
		const result = await createEvent(
			ctx.db,
			TEST_SITE,
			host,
			eventValues({ title, ...overrides }),
			now
		);
		if (!result.ok) throw new Error(`event not created: ${JSON.stringify(result)}`);
		expect(result.event.approval).toBe('pending');
		return { event: result.event, host };
	}

	async function cancel(eventId: string): Promise<void> {
		const curator = await testMember(ctx.db, 'curator');
		const result = await cancelEvent(ctx.db, TEST_SITE, curator, eventId, {
			reason: 'The venue flooded.'
		});
		expect(result.ok).toBe(true);
	}

	async function markCompleted(eventId: string, recordSummary: string | null = null) {
		await ctx.db
			.updateTable('event')
			.set({ status: 'completed', record_summary: recordSummary })
			.where('id', '=', eventId)
			.execute();
	}

	async function list(
		when: 'upcoming' | 'past',
		query: string,
		now: string,
		paging: { position?: EventsPosition; perPage?: number } = {}
	) {
		return listEvents(ctx.db, {
			when,
			filters: filtersOf(query),
			timeZone: LONDON,
			now,
			...paging
		});
	}

	async function listIds(when: 'upcoming' | 'past', query: string, now: string) {
		const page = await list(when, query, now);
		if (!page) throw new Error('no page');
		return idsOf(page.items);
	}

	describe('listEvents (upcoming)', () => {
		it('lists public, approved, scheduled events not yet ended, soonest first', async () => {
			const tag = uniqueTag();
			// 2030-07-07 is a Sunday in British Summer Time (UTC+1).
			const later = await make(`${tag} later`, { startDate: '2030-07-10' });
			const sooner = await make(`${tag} sooner`, { startDate: '2030-07-08' });
			const lunch = await make(`${tag} lunch`, {
				startDate: '2030-07-09',
				startTime: '12:30',
				endTime: '13:30'
			});
			// 18:00–19:30 BST is 17:00Z–18:30Z: started, not ended, at `now`.
			const happening = await make(`${tag} happening`, { startDate: '2030-07-07' });
			// 16:30–18:30 BST is 15:30Z–17:30Z: ends exactly at `now`, so it is over.
			await make(`${tag} just ended`, {
				startDate: '2030-07-07',
				startTime: '16:30',
				endTime: '18:30'
			});
			await make(`${tag} unlisted`, { startDate: '2030-07-08', visibility: 'unlisted' });
			await pendingEvent(`${tag} pending`, { startDate: '2030-07-08', startTime: '10:30' });
			const cancelled = await make(`${tag} cancelled`, { startDate: '2030-07-09' });
			await cancel(cancelled.id);

			const now = '2030-07-07T17:30:00.000Z';
			const page = await list('upcoming', `q=${tag}`, now);
			expect(page).toMatchObject({
				page: 1,
				totalPages: 1,
				total: 4,
				exact: true,
				previous: null,
				next: null
			});
			expect(idsOf(page!.items)).toEqual([happening.id, sooner.id, lunch.id, later.id]);

			const host = await ctx.db
				.selectFrom('app_user')
				.select('name')
				.where('id', '=', sooner.host_id!)
				.executeTakeFirstOrThrow();
			expect(page!.items[1]).toEqual({
				id: sooner.id,
				title: `${tag} sooner`,
				summary: 'An evening to share practice on supporting carers.',
				starts_at: '2030-07-08T17:00:00.000Z',
				ends_at: '2030-07-08T18:30:00.000Z',
				time_band: 'evening',
				mode: 'in_person',
				venue_name: 'Riverside Library',
				status: 'scheduled',
				capacity: 20,
				places_taken: 0,
				format_id: 'exchange',
				format_name: 'Exchange session',
				// The format's look, for its name on the card.
				format_colour: 'blue',
				format_icon: 'chat',
				host_name: host.name,
				organisation_name: null,
				access_step_free: 1,
				access_hearing_loop: 1,
				access_accessible_toilet: 0,
				access_quiet_room: 0,
				access_parking: 0,
				access_public_transport: 0,
				record_summary: null,
				cover_alt: null,
				cover_id: null,
				cover_widths: null,
				cover_width: null,
				cover_height: null
			});

			// Before any of them started, the one that has since ended is listed too.
			expect(await listIds('upcoming', `q=${tag}`, LONG_BEFORE)).toHaveLength(5);
			// Once everything has ended, nothing is upcoming.
			expect(await list('upcoming', `q=${tag}`, '2030-07-11T00:00:00.000Z')).toEqual({
				items: [],
				page: 1,
				totalPages: 1,
				total: 0,
				exact: true,
				previous: null,
				next: null
			});
		});

		it('narrows by format, time band, mode and access features, each on its own', async () => {
			const tag = uniqueTag();
			// Tuesday evening, in person, step-free with a hearing loop.
			const a = await make(`${tag} a`, {
				startDate: '2030-08-06',
				accessFeatures: ['step_free', 'hearing_loop']
			});
			// Wednesday lunchtime, online.
			const b = await make(`${tag} b`, {
				...ONLINE,
				format: 'knowledge-cafe',
				startDate: '2030-08-07',
				startTime: '12:30',
				endTime: '13:30'
			});
			// Thursday breakfast, hybrid, step-free with a quiet room.
			const c = await make(`${tag} c`, {
				format: 'lightning-talks',
				mode: 'hybrid',
				onlineUrl: 'https://meet.example.org/talks',
				startDate: '2030-08-08',
				startTime: '08:00',
				endTime: '09:00',
				accessFeatures: ['step_free', 'quiet_room']
			});
			// Saturday (weekend) morning, in person, step-free with parking.
			const d = await make(`${tag} d`, {
				startDate: '2030-08-10',
				startTime: '11:00',
				endTime: '12:00',
				accessFeatures: ['step_free', 'parking']
			});
			expect([a, b, c, d].map((e) => e.time_band)).toEqual([
				'evening',
				'lunch',
				'breakfast',
				'weekend'
			]);

			const cases: Array<[string, Event[]]> = [
				['', [a, b, c, d]],
				['format=exchange', [a, d]],
				['format=knowledge-cafe', [b]],
				['format=meet-up', []],
				['band=lunch', [b]],
				['band=evening&band=weekend', [a, d]],
				['band=daytime', []],
				['mode=online', [b]],
				['mode=hybrid&mode=in_person', [a, c, d]],
				['access=step_free', [a, c, d]],
				['access=step_free&access=hearing_loop', [a]],
				['access=quiet_room&access=step_free', [c]],
				['access=parking&access=hearing_loop', []],
				['format=exchange&band=weekend&access=parking', [d]],
				// Unknown values are dropped rather than matching nothing.
				['band=midnight&mode=teleport', [a, b, c, d]]
			];
			for (const [query, expected] of cases) {
				expect(await listIds('upcoming', `q=${tag}&${query}`, LONG_BEFORE), query).toEqual(
					idsOf(expected)
				);
			}
		});

		it('takes from and to as local dates in Europe/London, both days included', async () => {
			const tag = uniqueTag();
			// All in British Summer Time (UTC+1).
			const dayBefore = await make(`${tag} day before`, {
				startDate: '2030-09-09',
				startTime: '23:30',
				endTime: '23:59'
			});
			// 00:30 BST on the 10th is 23:30Z on the 9th.
			const firstThing = await make(`${tag} first thing`, {
				startDate: '2030-09-10',
				startTime: '00:30',
				endTime: '01:30'
			});
			const middle = await make(`${tag} middle`, {
				startDate: '2030-09-11',
				startTime: '12:30',
				endTime: '13:30'
			});
			// 23:30 BST on the 12th is 22:30Z on the 12th.
			const lastThing = await make(`${tag} last thing`, {
				startDate: '2030-09-12',
				startTime: '23:30',
				endTime: '23:59'
			});
			// 00:30 BST on the 13th is 23:30Z on the 12th: a UTC date inside the range, but not local.
			const dayAfter = await make(`${tag} day after`, {
				startDate: '2030-09-13',
				startTime: '00:30',
				endTime: '01:30'
			});
			expect(firstThing.starts_at).toBe('2030-09-09T23:30:00.000Z');
			expect(lastThing.starts_at).toBe('2030-09-12T22:30:00.000Z');
			expect(dayAfter.starts_at).toBe('2030-09-12T23:30:00.000Z');

			const range = async (query: string) => listIds('upcoming', `q=${tag}&${query}`, LONG_BEFORE);
			expect(await range('from=2030-09-10&to=2030-09-12')).toEqual(
				idsOf([firstThing, middle, lastThing])
			);
			expect(await range('from=2030-09-10')).toEqual(
				idsOf([firstThing, middle, lastThing, dayAfter])
			);
			expect(await range('to=2030-09-10')).toEqual(idsOf([dayBefore, firstThing]));
			expect(await range('from=2030-09-13&to=2030-09-13')).toEqual([dayAfter.id]);
			expect(await range('from=2030-09-12&to=2030-09-10')).toEqual([]);
		});

		// Impossible dates (2030-02-30, 2030-13-01) are ignored like any malformed filter.
		it('ignores impossible dates in from and to rather than failing', async () => {
			const tag = uniqueTag();
			const event = await make(`${tag} any day`, { startDate: '2030-06-13' });
			expect(
				await listIds('upcoming', `q=${tag}&from=2030-02-30&to=2030-13-01`, LONG_BEFORE)
			).toEqual([event.id]);
		});

		it('searches titles and descriptions, ignoring case', async () => {
			const tag = uniqueTag();
			const inTitle = await make(`Community ${tag.toUpperCase()} gardening`, {
				startDate: '2030-06-11'
			});
			const inDescription = await make('Another evening', {
				startDate: '2030-06-12',
				description: `We talk about **${tag}** and compost.`
			});
			await make('Nothing to do with it', { startDate: '2030-06-11' });
			expect(await listIds('upcoming', `q=${tag}`, LONG_BEFORE)).toEqual(
				idsOf([inTitle, inDescription])
			);
			const mixed = `${tag.slice(0, 2).toUpperCase()}${tag.slice(2)}`;
			expect(await listIds('upcoming', `q=${mixed}`, LONG_BEFORE)).toEqual(
				idsOf([inTitle, inDescription])
			);
			expect(
				await listIds('upcoming', `q=${encodeURIComponent(`${tag} GARDENING`)}`, LONG_BEFORE)
			).toEqual([inTitle.id]);
		});

		it('treats %, _ and \\ in the search literally', async () => {
			const tag = uniqueTag();
			const percent = await make(`${tag}% off`);
			await make(`${tag}x off`);
			const underscore = await make(`${tag}_under`);
			await make(`${tag}Xunder`);
			const backslash = await make(`${tag}\\back`);
			const search = (q: string) => listIds('upcoming', `q=${encodeURIComponent(q)}`, LONG_BEFORE);
			expect(await search(`${tag}%`)).toEqual([percent.id]);
			expect(await search(`${tag}_`)).toEqual([underscore.id]);
			expect(await search(`${tag}\\`)).toEqual([backslash.id]);
			expect(await search(`${tag}%%`)).toEqual([]);
			// No other event in this database has a % in it.
			expect(await search('%')).toEqual([percent.id]);
		});

		// SQLite's own lower() only folds ASCII; database.ts replaces it so both engines agree.
		it('ignores the case of letters beyond ASCII', async () => {
			const tag = uniqueTag();
			const event = await make(`${tag} ÉLAN VITAL`);
			expect(
				await listIds('upcoming', `q=${encodeURIComponent(`${tag} élan`)}`, LONG_BEFORE)
			).toEqual([event.id]);
		});

		it('pages through the list by Next and Previous, and has no page after the last', async () => {
			const tag = uniqueTag();
			const events: Event[] = [];
			for (const day of ['01', '02', '03', '04']) {
				events.push(await make(`${tag} ${day}`, { startDate: `2030-10-${day}` }));
			}
			// Two at the same time come in order of id.
			const twins = [
				await make(`${tag} twin`, { startDate: '2030-10-05' }),
				await make(`${tag} twin`, { startDate: '2030-10-05' })
			].sort((x, y) => (x.id < y.id ? -1 : 1));
			events.push(...twins);

			const query = `q=${tag}`;
			const first = await list('upcoming', query, LONG_BEFORE, { perPage: 2 });
			expect(first).toMatchObject({
				page: 1,
				totalPages: 3,
				total: 6,
				exact: true,
				previous: null
			});
			expect(idsOf(first!.items)).toEqual(idsOf(events.slice(0, 2)));
			const second = await list('upcoming', query, LONG_BEFORE, {
				perPage: 2,
				position: { page: 2, after: first!.next! }
			});
			expect(second).toMatchObject({ page: 2, totalPages: 3, total: 6, exact: true });
			expect(idsOf(second!.items)).toEqual(idsOf(events.slice(2, 4)));
			const third = await list('upcoming', query, LONG_BEFORE, {
				perPage: 2,
				position: { page: 3, after: second!.next! }
			});
			expect(idsOf(third!.items)).toEqual(idsOf(twins));
			expect(third).toMatchObject({ page: 3, next: null });
			// Previous from the third page gives the second again.
			const back = await list('upcoming', query, LONG_BEFORE, {
				perPage: 2,
				position: { page: 2, before: third!.previous! }
			});
			expect(back).toMatchObject({ page: 2, items: second!.items });
			// Nothing after the last event.
			expect(
				await list('upcoming', query, LONG_BEFORE, {
					perPage: 2,
					position: { page: 4, after: { startsAt: twins[1]!.starts_at, id: twins[1]!.id } }
				})
			).toBeUndefined();
			// 20 a page by default: all on one.
			expect(await list('upcoming', query, LONG_BEFORE)).toMatchObject({
				page: 1,
				totalPages: 1,
				total: 6,
				exact: true,
				next: null
			});
			// With nothing found there is still a first page.
			expect(await list('upcoming', `q=${tag}nothing`, LONG_BEFORE)).toEqual({
				items: [],
				page: 1,
				totalPages: 1,
				total: 0,
				exact: true,
				previous: null,
				next: null
			});
		});
	});

	describe('listEvents (past)', () => {
		it('lists ended events latest first, without cancelled ones', async () => {
			const tag = uniqueTag();
			const first = await make(`${tag} first`, { startDate: '2030-10-14' });
			const second = await make(`${tag} second`, { startDate: '2030-10-15' });
			const completed = await make(`${tag} completed`, { startDate: '2030-10-16' });
			await markCompleted(completed.id, 'We planted **twelve** trees.');
			const cancelled = await make(`${tag} cancelled`, { startDate: '2030-10-17' });
			await cancel(cancelled.id);
			await make(`${tag} unlisted`, { startDate: '2030-10-17', visibility: 'unlisted' });
			await pendingEvent(`${tag} pending`, { startDate: '2030-10-17' });
			// 18:00–19:30 BST on the 18th ends at 18:30Z, exactly `now`: it has ended.
			const endsNow = await make(`${tag} ends now`, { startDate: '2030-10-18' });
			// Started at `now` but not ended: still upcoming.
			const running = await make(`${tag} running`, {
				startDate: '2030-10-18',
				startTime: '19:00',
				endTime: '21:00'
			});
			const future = await make(`${tag} future`, { startDate: '2030-10-24' });

			const now = '2030-10-18T18:30:00.000Z';
			const past = await list('past', `q=${tag}`, now);
			expect(past).toMatchObject({ page: 1, totalPages: 1, total: 4, exact: true });
			expect(idsOf(past!.items)).toEqual(idsOf([endsNow, completed, second, first]));
			expect(past!.items[1]).toMatchObject({
				status: 'completed',
				record_summary: 'We planted **twelve** trees.'
			});
			expect(await listIds('upcoming', `q=${tag}`, now)).toEqual(idsOf([running, future]));

			// Filters apply to the past list too.
			expect(await listIds('past', `q=${tag}&from=2030-10-15&to=2030-10-16`, now)).toEqual(
				idsOf([completed, second])
			);
			const firstPage = await list('past', `q=${tag}`, now, { perPage: 3 });
			const paged = await list('past', `q=${tag}`, now, {
				perPage: 3,
				position: { page: 2, after: firstPage!.next! }
			});
			expect(paged).toMatchObject({ page: 2, totalPages: 2, total: 4, next: null });
			expect(idsOf(paged!.items)).toEqual([first.id]);
			expect(await list('past', `q=${tag}`, LONG_BEFORE)).toMatchObject({ total: 0, items: [] });
		});
	});

	describe('nextEvents', () => {
		// The only events in December 2031: no other spec in this file goes beyond November 2031.
		it('gives the soonest upcoming public events, as many as asked', async () => {
			const tenth = await make('Next: tenth', { startDate: '2031-12-10' });
			const third = await make('Next: third', { startDate: '2031-12-03' });
			const fifth = await make('Next: fifth', { startDate: '2031-12-05' });
			const cancelled = await make('Next: cancelled', { startDate: '2031-12-02' });
			await cancel(cancelled.id);
			await make('Next: unlisted', { startDate: '2031-12-01', visibility: 'unlisted' });
			await pendingEvent('Next: pending', { startDate: '2031-12-01' });

			const now = '2031-11-30T12:00:00.000Z';
			expect(idsOf(await nextEvents(ctx.db, 2, now))).toEqual(idsOf([third, fifth]));
			expect(idsOf(await nextEvents(ctx.db, undefined, now))).toEqual(idsOf([third, fifth, tenth]));
			expect(idsOf(await nextEvents(ctx.db, 10, now))).toEqual(idsOf([third, fifth, tenth]));
			// One that has started but not ended is still next; one that has ended is not.
			expect(idsOf(await nextEvents(ctx.db, 10, '2031-12-03T18:30:00.000Z'))).toEqual(
				idsOf([third, fifth, tenth])
			);
			expect(idsOf(await nextEvents(ctx.db, 10, '2031-12-03T19:30:00.000Z'))).toEqual(
				idsOf([fifth, tenth])
			);
			expect(await nextEvents(ctx.db, 3, '2031-12-31T00:00:00.000Z')).toEqual([]);
			const [soonest] = await nextEvents(ctx.db, 1, now);
			expect(soonest).toMatchObject({
				id: third.id,
				title: 'Next: third',
				format_name: 'Exchange session',
				starts_at: '2031-12-03T18:00:00.000Z'
			});
		});
	});

	describe('calendarMonth', () => {
		it('puts events under their local date, over whole weeks, without cancelled ones', async () => {
			const tag = uniqueTag();
			// 00:30 BST on 1 July is 23:30Z on 30 June.
			const firstOfJuly = await make(`${tag} first of July`, {
				startDate: '2030-07-01',
				startTime: '00:30',
				endTime: '01:30'
			});
			expect(firstOfJuly.starts_at).toBe('2030-06-30T23:30:00.000Z');
			// 23:30 BST on 30 June: before the grid, which starts on Monday 1 July.
			const endOfJune = await make(`${tag} end of June`, {
				startDate: '2030-06-30',
				startTime: '23:30',
				endTime: '23:59'
			});
			const cafe = await make(`${tag} cafe`, { format: 'knowledge-cafe', startDate: '2030-07-15' });
			const lunch = await make(`${tag} lunch`, {
				startDate: '2030-07-15',
				startTime: '12:30',
				endTime: '13:30'
			});
			const cancelled = await make(`${tag} cancelled`, { startDate: '2030-07-16' });
			await cancel(cancelled.id);
			await make(`${tag} unlisted`, { startDate: '2030-07-17', visibility: 'unlisted' });
			await pendingEvent(`${tag} pending`, { startDate: '2030-07-17' });
			const completed = await make(`${tag} completed`, { startDate: '2030-07-18' });
			await markCompleted(completed.id);
			// Saturday 3 August is in the grid's last week (which ends Sunday 4 August)…
			const august = await make(`${tag} August`, {
				startDate: '2030-08-03',
				startTime: '10:00',
				endTime: '11:00'
			});
			// …and Monday 5 August is not.
			await make(`${tag} later August`, { startDate: '2030-08-05' });

			const month = await calendarMonth(ctx.db, '2030-07', filtersOf(`q=${tag}`), LONDON);
			const days = Object.fromEntries(
				Object.entries(month.days).map(([date, events]) => [date, idsOf(events)])
			);
			expect(days).toEqual({
				'2030-07-01': [firstOfJuly.id],
				'2030-07-15': idsOf([lunch, cafe]),
				'2030-07-18': [completed.id],
				'2030-08-03': [august.id]
			});
			expect(month.truncated).toBe(false);

			const { grid } = month;
			expect(grid).toMatchObject({
				month: '2030-07',
				label: 'July 2030',
				previous: '2030-06',
				next: '2030-08'
			});
			expect(grid.weeks).toHaveLength(5);
			expect(grid.weeks.every((week) => week.length === 7)).toBe(true);
			const dates = grid.weeks.flat();
			expect(dates[0]).toEqual({ date: '2030-07-01', inMonth: true });
			expect(dates.at(-1)).toEqual({ date: '2030-08-04', inMonth: false });
			expect(dates.filter((d) => d.inMonth).map((d) => d.date)).toEqual(
				Array.from({ length: 31 }, (_, i) => `2030-07-${String(i + 1).padStart(2, '0')}`)
			);

			// Filters apply; from and to do not (the month decides the dates).
			const cafes = await calendarMonth(
				ctx.db,
				'2030-07',
				filtersOf(`q=${tag}&format=knowledge-cafe`),
				LONDON
			);
			expect(Object.keys(cafes.days)).toEqual(['2030-07-15']);
			expect(idsOf(cafes.days['2030-07-15']!)).toEqual([cafe.id]);
			const ranged = await calendarMonth(
				ctx.db,
				'2030-07',
				filtersOf(`q=${tag}&from=2030-07-20&to=2030-07-21`),
				LONDON
			);
			expect(Object.keys(ranged.days).sort()).toEqual(Object.keys(days).sort());

			// June's grid ends on Sunday 30 June: the event at 23:30 BST that day is there, and the
			// one at 00:30 BST on 1 July is not, although its UTC date is 30 June.
			const june = await calendarMonth(ctx.db, '2030-06', filtersOf(`q=${tag}`), LONDON);
			expect(june.grid.weeks.at(-1)!.at(-1)!.date).toBe('2030-06-30');
			expect(Object.fromEntries(Object.entries(june.days).map(([d, e]) => [d, idsOf(e)]))).toEqual({
				'2030-06-30': [endOfJune.id]
			});
		});
	});

	describe('feedEvents', () => {
		it('feeds public events, cancelled and recently ended ones too, as iCalendar', async () => {
			const now = '2031-03-01T00:00:00.000Z';
			// Ended 9 days before `now`: kept. Ended 50 days before: gone.
			const recent = await make('Feed: recently ended', { startDate: '2031-02-20' });
			const old = await make('Feed: long ago', { startDate: '2031-01-10' });
			const inPerson = await make('Feed: in person', { startDate: '2031-03-10' });
			const cancelled = await make('Feed: cancelled', {
				mode: 'hybrid',
				onlineUrl: 'https://meet.example.org/hybrid',
				startDate: '2031-03-11'
			});
			await cancel(cancelled.id);
			const online = await make('Feed: online', {
				...ONLINE,
				format: 'knowledge-cafe',
				startDate: '2031-03-12'
			});
			const unlisted = await make('Feed: unlisted', {
				startDate: '2031-03-13',
				visibility: 'unlisted'
			});
			const { event: pending } = await pendingEvent('Feed: pending', { startDate: '2031-03-14' });

			const mine = new Set(idsOf([recent, old, inPerson, cancelled, online, unlisted, pending]));
			const rows = await feedEvents(ctx.db, { now });
			const ours = rows.filter((r) => mine.has(r.id));
			expect(idsOf(ours)).toEqual(idsOf([recent, inPerson, cancelled, online]));
			expect(ours.find((r) => r.id === cancelled.id)?.status).toBe('cancelled');
			// Everything fed is public and approved, and ended within the last 30 days.
			const since = '2031-01-30T00:00:00.000Z';
			expect(rows.every((r) => r.ends_at > since)).toBe(true);
			const ordered = [...rows].sort((x, y) =>
				x.starts_at === y.starts_at ? (x.id < y.id ? -1 : 1) : x.starts_at < y.starts_at ? -1 : 1
			);
			expect(idsOf(rows)).toEqual(idsOf(ordered));

			const cafes = await feedEvents(ctx.db, { now, format: 'knowledge-cafe' });
			expect(cafes.filter((r) => mine.has(r.id)).map((r) => r.id)).toEqual([online.id]);
			expect(cafes.every((r) => r.format_name === 'Knowledge Café')).toBe(true);
			expect(await feedEvents(ctx.db, { now, limit: 2 })).toHaveLength(2);

			const ics = feedIcs(
				ours.map((row) => calendarEventOf(row, TEST_SITE)),
				TEST_SITE,
				{ name: 'CoLab Test: events', url: 'http://colab.test/events/feed.ics' }
			);
			const unfolded = ics.replace(/\r\n /g, '');
			const vevents = unfolded
				.split('BEGIN:VEVENT\r\n')
				.slice(1)
				.map((block) => block.split('\r\n'));
			expect(vevents).toHaveLength(4);
			const block = (event: Event) => {
				const found = vevents.find((lines) => lines.includes(`UID:event-${event.id}@colab.test`));
				if (!found) throw new Error(`no VEVENT for ${event.title}`);
				return found;
			};
			const field = (lines: string[], name: string) =>
				lines.filter((l) => l.startsWith(`${name}:`)).map((l) => l.slice(name.length + 1));
			const location = 'Riverside Library\\, 1 High Street\\, Riverside RV1 2AB';
			for (const event of [recent, inPerson, cancelled, online]) {
				const lines = block(event);
				expect(field(lines, 'URL')).toEqual([`http://colab.test/events/${event.id}`]);
				expect(field(lines, 'SUMMARY')).toEqual([event.title]);
				expect(field(lines, 'STATUS')).toEqual([
					event.id === cancelled.id ? 'CANCELLED' : 'CONFIRMED'
				]);
				expect(field(lines, 'LOCATION')).toEqual(event.id === online.id ? [] : [location]);
			}
			expect(field(block(inPerson), 'DTSTART')).toEqual(['20310310T180000Z']);
			expect(field(block(online), 'CATEGORIES')).toEqual(['Knowledge Café']);
			expect(unfolded).not.toContain(old.id);
			expect(unfolded).not.toContain(unlisted.id);
			expect(unfolded).not.toContain(pending.id);
		});
	});

	describe('viewEvent', () => {
		it('shows a public event to a visitor, with the places left', async () => {
			const { event, host } = await publishedEvent(ctx.db, {
				title: 'View: public',
				startDate: '2030-11-05'
			});
			for (const member of [await testMember(ctx.db), await testMember(ctx.db)]) {
				const result = await registerMember(ctx.db, TEST_SITE, member, event.id, {});
				expect(result.ok).toBe(true);
			}
			const page = await viewEvent(ctx.db, null, event.id, LONG_BEFORE);
			expect(page).toMatchObject({
				event: { id: event.id, title: 'View: public', places_taken: 2 },
				format: { id: 'exchange', name: 'Exchange session', tools: 'none' },
				host: { id: host.id, name: host.name },
				organisation: null,
				placesLeft: 18,
				waitlistLength: 0,
				registration: 'open',
				viewer: { signedIn: false, canManage: false, registration: null }
			});

			const unlimited = await make('View: no limit', { startDate: '2030-11-05', capacity: '' });
			expect((await viewEvent(ctx.db, null, unlimited.id, LONG_BEFORE))?.placesLeft).toBeNull();
			expect(await viewEvent(ctx.db, null, 'no-such-event', LONG_BEFORE)).toBeUndefined();
		});

		it('shows a member their own registration and place in the waitlist', async () => {
			const { event, host } = await publishedEvent(ctx.db, {
				title: 'View: waitlist',
				startDate: '2030-11-06',
				capacity: '1'
			});
			const [holder, second, third, other] = [
				await testMember(ctx.db),
				await testMember(ctx.db),
				await testMember(ctx.db),
				await testMember(ctx.db)
			];
			const registrations: EventRegistration[] = [];
			for (const member of [holder!, second!, third!]) {
				const result = await registerMember(ctx.db, TEST_SITE, member, event.id, {});
				if (!result.ok) throw new Error(result.reason);
				registrations.push(result.registration);
			}

			const asThird = await viewEvent(ctx.db, third!, event.id, LONG_BEFORE);
			expect(asThird).toMatchObject({
				placesLeft: 0,
				waitlistLength: 2,
				viewer: {
					signedIn: true,
					canManage: false,
					registration: { id: registrations[2]!.id, status: 'waitlisted', position: 2 }
				}
			});
			expect(
				(await viewEvent(ctx.db, holder!, event.id, LONG_BEFORE))?.viewer.registration
			).toMatchObject({ id: registrations[0]!.id, status: 'confirmed', position: null });
			expect((await viewEvent(ctx.db, other!, event.id, LONG_BEFORE))?.viewer).toEqual({
				signedIn: true,
				canManage: false,
				registration: null
			});
			expect((await viewEvent(ctx.db, host, event.id, LONG_BEFORE))?.viewer.canManage).toBe(true);

			// The second person stops waiting: the third moves up, and the second has nothing in play.
			expect(
				await cancelRegistration(ctx.db, TEST_SITE, {
					member: second!,
					registrationId: registrations[1]!.id
				})
			).toEqual({ ok: true, wasHolding: false });
			const moved = await viewEvent(ctx.db, third!, event.id, LONG_BEFORE);
			expect(moved?.waitlistLength).toBe(1);
			expect(moved?.viewer.registration).toMatchObject({ status: 'waitlisted', position: 1 });
			expect(
				(await viewEvent(ctx.db, second!, event.id, LONG_BEFORE))?.viewer.registration
			).toBeNull();
		});

		it('shows an event waiting for approval only to its host and curators', async () => {
			const { event, host } = await pendingEvent('View: pending', { startDate: '2030-11-07' });
			expect(await viewEvent(ctx.db, null, event.id, LONG_BEFORE)).toBeUndefined();
			expect(
				await viewEvent(ctx.db, await testMember(ctx.db), event.id, LONG_BEFORE)
			).toBeUndefined();

			const asHost = await viewEvent(ctx.db, host, event.id, LONG_BEFORE);
			expect(asHost).toMatchObject({
				event: { id: event.id, approval: 'pending' },
				host: { id: host.id, name: host.name },
				registration: 'not_found',
				viewer: { signedIn: true, canManage: true, registration: null }
			});
			for (const role of ['curator', 'administrator'] as const) {
				const page = await viewEvent(ctx.db, await testMember(ctx.db, role), event.id, LONG_BEFORE);
				expect(page?.viewer.canManage, role).toBe(true);
			}
		});

		it('names the organisation, and lets its admins see an event waiting for approval', async () => {
			const tag = uniqueTag();
			const [admin, host, colleague] = [
				await testMember(ctx.db),
				await testMember(ctx.db),
				await testMember(ctx.db)
			];
			const created = await createOrganisation(ctx.db, admin!, {
				name: `Carers Together ${tag}`,
				description: 'Carers helping carers.'
			});
			if (!created.ok) throw new Error('organisation not created');
			const organisation = created.organisation;
			for (const person of [host!, colleague!]) {
				await ctx.db
					.insertInto('organisation_member')
					.values({
						organisation_id: organisation.id,
						user_id: person.id,
						role: 'member',
						joined_at: '2029-01-01T00:00:00.000Z'
					})
					.execute();
			}
			// The host's first event waits for a curator.
			const result = await createEvent(
				ctx.db,
				TEST_SITE,
				host!,
				eventValues({
					title: `${tag} on behalf`,
					startDate: '2030-11-08',
					organisation: organisation.id
				})
			);
			if (!result.ok) throw new Error(JSON.stringify(result));
			const eventId = result.event.id;
			expect(result.event.approval).toBe('pending');

			const asAdmin = await viewEvent(ctx.db, admin!, eventId, LONG_BEFORE);
			expect(asAdmin).toMatchObject({
				organisation: { slug: organisation.slug, name: organisation.name },
				viewer: { signedIn: true, canManage: true }
			});
			// Belonging to the organisation is not enough.
			expect(await viewEvent(ctx.db, colleague!, eventId, LONG_BEFORE)).toBeUndefined();

			const curator = await testMember(ctx.db, 'curator');
			expect(await approveEvent(ctx.db, TEST_SITE, curator, eventId)).toEqual({ ok: true });
			expect(await viewEvent(ctx.db, colleague!, eventId, LONG_BEFORE)).toMatchObject({
				organisation: { slug: organisation.slug, name: organisation.name },
				viewer: { canManage: false }
			});
			const page = await list('upcoming', `q=${tag}`, LONG_BEFORE);
			expect(page?.items).toMatchObject([{ id: eventId, organisation_name: organisation.name }]);
			const fed = (await feedEvents(ctx.db, { now: LONG_BEFORE })).find((r) => r.id === eventId);
			expect(fed).toMatchObject({
				organisation_name: organisation.name,
				organisation_slug: organisation.slug
			});
			expect(calendarEventOf(fed!, TEST_SITE).organizer).toEqual({
				name: organisation.name,
				kind: 'organisation',
				url: `http://colab.test/organisations/${organisation.slug}`
			});
		});

		it('says whether registration is open, closed, past or cancelled', async () => {
			// 18:00–19:30 GMT on Wednesday 20 November; registration closes at midday the day before.
			const event = await make('View: states', {
				startDate: '2030-11-20',
				closesDate: '2030-11-19',
				closesTime: '12:00'
			});
			const state = async (now: string) =>
				(await viewEvent(ctx.db, null, event.id, now))?.registration;
			expect(await state('2030-11-19T11:59:00.000Z')).toBe('open');
			expect(await state('2030-11-19T12:00:00.000Z')).toBe('closed');
			expect(await state('2030-11-20T18:00:00.000Z')).toBe('past');
			expect(await state('2030-11-21T00:00:00.000Z')).toBe('past');

			const unlimited = await make('View: open until it starts', { startDate: '2030-11-20' });
			const open = async (now: string) =>
				(await viewEvent(ctx.db, null, unlimited.id, now))?.registration;
			expect(await open('2030-11-20T17:59:59.999Z')).toBe('open');
			expect(await open('2030-11-20T18:00:00.000Z')).toBe('past');

			await cancel(event.id);
			expect(await state('2030-11-01T00:00:00.000Z')).toBe('cancelled');
			expect(await state('2030-11-21T00:00:00.000Z')).toBe('cancelled');
		});
	});

	describe('listPendingEvents', () => {
		it('shows curators the events waiting for approval, oldest first', async () => {
			// Created out of order, with explicit creation times, to show the order is by creation.
			const newer = await pendingEvent(
				'Pending: newer',
				{ startDate: '2030-11-12' },
				'2029-01-02T09:00:00.000Z'
			);
			const older = await pendingEvent(
				'Pending: older',
				{ startDate: '2030-11-13' },
				'2029-01-01T09:00:00.000Z'
			);
			const withdrawn = await pendingEvent('Pending: withdrawn', { startDate: '2030-11-14' });
			const cancelled = await cancelEvent(ctx.db, TEST_SITE, withdrawn.host, withdrawn.event.id, {
				reason: 'Not needed after all.'
			});
			expect(cancelled.ok).toBe(true);
			const approved = await make('Pending: already approved', { startDate: '2030-11-15' });

			const curator = await testMember(ctx.db, 'curator');
			const ours = new Set([newer.event.id, older.event.id, withdrawn.event.id, approved.id]);
			const pendingIds = async () =>
				idsOf(await listPendingEvents(ctx.db, curator)).filter((id) => ours.has(id));
			expect(await pendingIds()).toEqual([older.event.id, newer.event.id]);
			const rows = await listPendingEvents(ctx.db, curator);
			expect(rows.find((r) => r.id === older.event.id)).toEqual({
				id: older.event.id,
				title: 'Pending: older',
				starts_at: '2030-11-13T18:00:00.000Z',
				created_at: '2029-01-01T09:00:00.000Z',
				format_name: 'Exchange session',
				host_name: older.host.name
			});
			const administrator = await testMember(ctx.db, 'administrator');
			expect(idsOf(await listPendingEvents(ctx.db, administrator))).toEqual(idsOf(rows));

			// Once approved it leaves the queue and joins the public list.
			expect(await approveEvent(ctx.db, TEST_SITE, curator, older.event.id)).toEqual({ ok: true });
			expect(await pendingIds()).toEqual([newer.event.id]);
			expect(await listIds('upcoming', 'q=Pending%3A%20older', LONG_BEFORE)).toEqual([
				older.event.id
			]);
		});

		it('refuses members and visitors', async () => {
			const member = await testMember(ctx.db);
			await expect(listPendingEvents(ctx.db, member)).rejects.toBeInstanceOf(ForbiddenError);
			await expect(listPendingEvents(ctx.db, null)).rejects.toBeInstanceOf(ForbiddenError);
			await expect(listPendingEvents(ctx.db, undefined)).rejects.toBeInstanceOf(ForbiddenError);
		});
	});
});
