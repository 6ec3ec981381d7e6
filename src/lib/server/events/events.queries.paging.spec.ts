import { describe, expect, it } from 'vitest';
import { newId } from '../ids';
import { describeEachDatabase } from '../testing/databases';
import {
	findEventsPageStart,
	formatEventCursor,
	listEvents,
	MAX_NUMBERED_PAGE,
	parseEventCursor,
	parseEventFilters,
	type EventsPage
} from './events.queries';
import type { Event, NewEvent } from './events.tables';
import { publishedEvent, TEST_SITE } from './events.testing';

const LONDON = TEST_SITE.timeZone;

let tags = 0;
/** A word only one spec's events carry in their titles (the specs share a database). */
function uniqueTag(): string {
	tags++;
	return `kp${tags}kp`;
}

describe('event cursors', () => {
	it('go into an address and come back the same', () => {
		const cursor = { startsAt: '2030-07-08T17:00:00.000Z', id: 'DaVoQUiOzUUSrJSELna89g' };
		expect(formatEventCursor(cursor)).toBe('2030-07-08T17:00:00.000Z~DaVoQUiOzUUSrJSELna89g');
		expect(parseEventCursor(formatEventCursor(cursor))).toEqual(cursor);
	});

	it('are not read from anything else', () => {
		for (const value of [
			'',
			'2030-07-08T17:00:00.000Z',
			'2030-07-08T17:00:00.000Z~',
			'~abc',
			'2030-07-08~abc',
			'2030-13-45T17:00:00.000Z~abc',
			'2030-07-08T17:00:00.000Z~a b',
			`2030-07-08T17:00:00.000Z~${'x'.repeat(65)}`,
			"2030-07-08T17:00:00.000Z~abc'; drop table event; --"
		]) {
			expect(parseEventCursor(value), value).toBeUndefined();
		}
	});
});

describeEachDatabase('paging through lists of events', (ctx) => {
	let template: Event | undefined;
	/**
	 * Inserts events straight into the table (many of them, quickly), copying one made through
	 * the service, with the start, status, visibility and approval given.
	 */
	async function insertEvents(
		rows: Array<
			Partial<Pick<NewEvent, 'status' | 'visibility' | 'approval' | 'title'>> & { at: string }
		>,
		title: string
	): Promise<Event[]> {
		template ??= (await publishedEvent(ctx.db, { title: 'Template' })).event;
		const { id: _id, summary: _summary, ...copy } = template;
		const made = rows.map(({ at, ...state }) => ({
			...copy,
			id: newId(),
			title,
			starts_at: at,
			ends_at: new Date(Date.parse(at) + 90 * 60_000).toISOString(),
			status: 'scheduled' as const,
			visibility: 'public' as const,
			approval: 'approved' as const,
			...state
		}));
		for (let i = 0; i < made.length; i += 200)
			await ctx.db
				.insertInto('event')
				.values(made.slice(i, i + 200))
				.execute();
		return ctx.db
			.selectFrom('event')
			.selectAll()
			.where(
				'id',
				'in',
				made.map((e) => e.id)
			)
			.execute();
	}

	const byTime = (a: Event, b: Event) =>
		a.starts_at < b.starts_at ? -1 : a.starts_at > b.starts_at ? 1 : a.id < b.id ? -1 : 1;

	/** Every page from the first, following Next; then back again, following Previous. */
	async function walk(
		when: 'upcoming' | 'past',
		query: string,
		now: string,
		perPage: number
	): Promise<{ forwards: EventsPage[]; backwards: EventsPage[] }> {
		const options = { when, filters: parseEventFilters(new URLSearchParams(query)), now };
		const forwards: EventsPage[] = [];
		let page = await listEvents(ctx.db, { ...options, perPage, timeZone: LONDON });
		while (page) {
			forwards.push(page);
			if (!page.next || forwards.length > 100) break;
			page = await listEvents(ctx.db, {
				...options,
				perPage,
				timeZone: LONDON,
				position: { page: page.page + 1, after: page.next }
			});
		}
		const backwards: EventsPage[] = [forwards.at(-1)!];
		while (backwards.at(-1)!.previous && backwards.length <= 100) {
			const at = backwards.at(-1)!;
			const before = await listEvents(ctx.db, {
				...options,
				perPage,
				timeZone: LONDON,
				position: { page: at.page - 1, before: at.previous! }
			});
			if (!before) throw new Error('Previous led nowhere');
			backwards.push(before);
		}
		return { forwards, backwards: backwards.reverse() };
	}

	const ids = (pages: EventsPage[]) => pages.flatMap((p) => p.items.map((i) => i.id));

	it('shows every event once, in order, when many share a start time, forwards and back', async () => {
		const tag = uniqueTag();
		const times = [
			'2031-03-03T18:00:00.000Z',
			'2031-03-04T12:00:00.000Z',
			'2031-03-05T18:00:00.000Z'
		];
		const shown = await insertEvents(
			[...times.flatMap((at, i) => Array.from({ length: [13, 1, 9][i]! }, () => ({ at })))],
			`${tag} shown`
		);
		// At the same times, events the list never shows.
		await insertEvents(
			times.flatMap((at) => [
				{ at, status: 'cancelled' as const },
				{ at, visibility: 'unlisted' as const },
				{ at, approval: 'pending' as const }
			]),
			`${tag} hidden`
		);
		const expected = shown.sort(byTime).map((e) => e.id);
		const { forwards, backwards } = await walk(
			'upcoming',
			`q=${tag}`,
			'2031-01-01T00:00:00.000Z',
			5
		);
		expect(ids(forwards)).toEqual(expected);
		expect(forwards.map((p) => p.page)).toEqual([1, 2, 3, 4, 5]);
		expect(forwards.map((p) => p.items.length)).toEqual([5, 5, 5, 5, 3]);
		for (const page of forwards)
			expect(page).toMatchObject({ total: 23, exact: true, totalPages: 5 });
		expect(forwards[0]!.previous).toBeNull();
		expect(forwards.at(-1)!.next).toBeNull();
		// Back by Previous: the same pages, numbered the same, ending on the first.
		expect(backwards.map((p) => p.page)).toEqual([1, 2, 3, 4, 5]);
		expect(backwards.map((p) => p.items.map((i) => i.id))).toEqual(
			forwards.map((p) => p.items.map((i) => i.id))
		);
		expect(backwards[0]).toMatchObject({ previous: null });

		// Old numbered addresses: page N starts after the last event of page N - 1.
		const filters = parseEventFilters(new URLSearchParams(`q=${tag}`));
		const now = '2031-01-01T00:00:00.000Z';
		for (const [n, page] of forwards.entries()) {
			const start = await findEventsPageStart(ctx.db, {
				when: 'upcoming',
				filters,
				page: n + 1,
				perPage: 5,
				timeZone: LONDON,
				now
			});
			expect(start, `page ${n + 1}`).toEqual(n === 0 ? undefined : forwards[n - 1]!.next);
			if (start) expect(page.items[0]!.id).not.toBe(start.id);
		}
		for (const page of [6, 0, -1, 1.5, Number.NaN, MAX_NUMBERED_PAGE + 1]) {
			expect(
				await findEventsPageStart(ctx.db, {
					when: 'upcoming',
					filters,
					page,
					perPage: 5,
					timeZone: LONDON,
					now
				}),
				`page ${page}`
			).toBeUndefined();
		}
	});

	it('pages the past latest first, without cancelled, unlisted or pending events', async () => {
		const tag = uniqueTag();
		const times = ['2031-05-03T18:00:00.000Z', '2031-05-04T18:00:00.000Z'];
		const shown = await insertEvents(
			times.flatMap((at) => [
				...Array.from({ length: 6 }, () => ({ at })),
				{ at, status: 'completed' as const }
			]),
			`${tag} shown`
		);
		await insertEvents(
			times.flatMap((at) => [
				{ at, status: 'cancelled' as const },
				{ at, visibility: 'unlisted' as const },
				{ at, approval: 'pending' as const }
			]),
			`${tag} hidden`
		);
		// Still to come: not in the past list.
		await insertEvents([{ at: '2031-06-01T18:00:00.000Z' }], `${tag} later`);
		const { forwards, backwards } = await walk('past', `q=${tag}`, '2031-05-20T00:00:00.000Z', 4);
		const expected = shown
			.sort(byTime)
			.reverse()
			.map((e) => e.id);
		expect(ids(forwards)).toEqual(expected);
		expect(forwards.map((p) => p.items.length)).toEqual([4, 4, 4, 2]);
		expect(ids(backwards)).toEqual(expected);
		expect(forwards[0]).toMatchObject({ total: 14, exact: true, totalPages: 4 });
	});

	it('pages a filtered list through the matching events only', async () => {
		const tag = uniqueTag();
		const made: Event[] = [];
		// Evening and step-free (matching), lunchtime, and evening without step-free access
		// (2031-07-01 is a Tuesday; nothing here is at a weekend).
		for (const [day, startTime, endTime, access] of [
			['2031-07-01', '18:00', '19:30', ['step_free']],
			['2031-07-01', '12:30', '13:30', ['step_free']],
			['2031-07-02', '18:00', '19:30', ['hearing_loop']],
			['2031-07-02', '18:00', '19:30', ['step_free', 'parking']],
			['2031-07-03', '18:00', '19:30', ['step_free']],
			['2031-07-03', '18:00', '19:30', ['step_free']],
			['2031-07-04', '12:00', '13:00', []],
			['2031-07-07', '19:00', '20:30', ['step_free']]
		] as const) {
			made.push(
				(
					await publishedEvent(ctx.db, {
						title: `${tag} ${day} ${startTime}`,
						startDate: day,
						startTime,
						endTime,
						accessFeatures: [...access]
					})
				).event
			);
		}
		const matching = made
			.filter((e) => e.time_band === 'evening' && e.access_step_free === 1)
			.sort(byTime)
			.map((e) => e.id);
		expect(matching).toHaveLength(5);
		const { forwards, backwards } = await walk(
			'upcoming',
			`q=${tag}&band=evening&access=step_free`,
			'2031-06-01T00:00:00.000Z',
			2
		);
		expect(ids(forwards)).toEqual(matching);
		expect(ids(backwards)).toEqual(matching);
		expect(forwards[0]).toMatchObject({ total: 5, exact: true, totalPages: 3 });
	});

	it('counts up to a thousand listed events, then says at least how many', async () => {
		const tag = uniqueTag();
		// Far beyond every other spec's events, so only these are counted.
		const start = Date.parse('2040-01-01T09:00:00.000Z');
		const at = (i: number) => new Date(start + i * 60 * 60_000).toISOString();
		// One in fifty has a word the others lack.
		await insertEvents(
			Array.from({ length: 1_010 }, (_, i) =>
				i % 50 ? { at: at(i) } : { at: at(i), title: `${tag} rare` }
			),
			`${tag} many`
		);
		const now = '2039-12-31T00:00:00.000Z';
		const all = await listEvents(ctx.db, {
			when: 'upcoming',
			filters: parseEventFilters(new URLSearchParams(`from=2040-01-01`)),
			timeZone: LONDON,
			now
		});
		// Only the first thousand are counted (and all match), so it says "at least 1000".
		expect(all).toMatchObject({ total: 1_000, exact: false, totalPages: null });
		expect(all!.next).not.toBeNull();
		// A filter one in fifty match: 20 among the first thousand counted, and a page of 20
		// with more after it, so at least 21.
		const few = await listEvents(ctx.db, {
			when: 'upcoming',
			filters: parseEventFilters(new URLSearchParams(`from=2040-01-01&q=${tag}%20rare`)),
			timeZone: LONDON,
			now
		});
		expect(few).toMatchObject({ total: 21, exact: false, totalPages: null });
		expect(few!.items).toHaveLength(20);
		expect(few!.next).not.toBeNull();
		// A narrower date range holds fewer than a thousand: counted exactly.
		const january = await listEvents(ctx.db, {
			when: 'upcoming',
			filters: parseEventFilters(new URLSearchParams(`from=2040-01-01&to=2040-01-10`)),
			timeZone: LONDON,
			now
		});
		// 09:00 to 23:00 on the 1st, then nine whole days.
		expect(january).toMatchObject({ total: 15 + 9 * 24, exact: true, totalPages: 12 });
	});
});
