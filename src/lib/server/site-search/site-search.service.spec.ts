import { beforeAll, describe, expect, it, vi } from 'vitest';
import { describeEachDatabase } from '../testing/databases';
import { refreshSearchDocument } from '../search/search.repository';
import {
	parseSiteSearchParams,
	RESULTS_PER_PAGE,
	searchSite,
	searchThemeOptions,
	shorteningMessage,
	suggestAsTyped,
	suggestSiteTitles,
	SUGGEST_RULE
} from './site-search.service';
import { noteRegistration, type NoteRow } from './site-search.testing';

const NOW = '2026-12-03T12:00:00.000Z';
const TZ = 'Europe/London';

describe('parseSiteSearchParams', () => {
	const registrations = [noteRegistration('note', 'Note'), noteRegistration('talk', 'Talk')];
	const parse = (query: string) => parseSiteSearchParams(new URLSearchParams(query), registrations);

	it('reads the query, types, theme, dates and page', () => {
		expect(parse('q=garden&type=talk&theme=food&from=2026-01-01&to=2026-02-01&page=3')).toEqual({
			request: {
				query: 'garden',
				types: ['talk'],
				theme: 'food',
				from: '2026-01-01',
				to: '2026-02-01',
				when: null,
				page: 3
			},
			problems: { errors: {}, notices: [] }
		});
	});

	it('ignores unknown types with a note, and every type ticked means all', () => {
		const { request, problems } = parse('q=x&type=spaceship&type=note');
		expect(request.types).toEqual(['note']);
		expect(problems.notices).toHaveLength(1);
		expect(parse('q=x&type=note&type=talk').request.types).toEqual([]);
	});

	it('keeps what was typed in a date that is not a date, with a message', () => {
		const { request, problems } = parse('from=31/12/2026&to=2026-02-30');
		expect(request.from).toBe('31/12/2026');
		expect(problems.errors.from).toMatch(/year, month and day/);
		expect(problems.errors.to).toMatch(/year, month and day/);
		expect(parse('from=2026-03-01&to=2026-02-01').problems.errors.to).toMatch(/after/);
	});

	it('never fails on a hostile address', () => {
		for (const query of ['page=-1', 'page=abc', 'page=1e99', 'when=tomorrow', 'q=%00', 'type=']) {
			expect(parse(query).request.page).toBeGreaterThanOrEqual(1);
		}
		expect(parse('when=upcoming').request.when).toBe('upcoming');
		expect(parse('when=soon').request.when).toBeNull();
	});
});

describeEachDatabase('site search', (ctx) => {
	const audiences = vi.fn((userId: string) => (userId === 'u-team' ? ['team:t1'] : []));
	const notes = noteRegistration('note', 'Note', { audiences });
	const talks = noteRegistration('talk', 'Talk');
	const registrations = [notes, talks];
	const search = (
		query: string,
		viewer: { id: string } | null,
		extra: Partial<Parameters<typeof searchSite>[1]> = {}
	) =>
		searchSite(
			ctx.db,
			{ query, types: [], theme: null, from: '', to: '', page: 1, ...extra },
			viewer,
			{ timeZone: TZ, now: NOW, registrations }
		);

	async function add(registration: typeof notes, row: NoteRow) {
		registration.rows.set(row.id, row);
		await refreshSearchDocument(ctx.db, registration, row.id);
	}

	beforeAll(async () => {
		await add(notes, {
			id: 'n1',
			title: 'Garden open day',
			body: 'Come and dig.',
			visibility: 'public',
			startsAt: '2026-12-20T10:00:00.000Z',
			themes: ['food']
		});
		await add(notes, {
			id: 'n2',
			title: 'Garden budget',
			body: 'Members only.',
			visibility: 'members',
			startsAt: '2026-11-01T10:00:00.000Z'
		});
		await add(notes, {
			id: 'n3',
			title: 'Garden team plan',
			body: 'For the team.',
			visibility: 'team:t1'
		});
		await add(talks, {
			id: 't1',
			title: 'A talk about the garden',
			body: 'Soil and seeds.',
			visibility: 'public',
			startsAt: '2026-01-15T18:00:00.000Z'
		});
		for (let i = 0; i < 25; i++) {
			await add(talks, {
				id: `apple-${String(i).padStart(2, '0')}`,
				title: `Apple day ${i}`,
				body: 'Apples.',
				visibility: 'public'
			});
		}
	});

	it('offers the blog’s themes and the library’s service areas as themes, once each, by name', async () => {
		const theme = (slug: string, name: string, status: 'active' | 'retired') => ({
			id: `theme-${slug}`,
			slug,
			name,
			description: null,
			status,
			suggested_by: null,
			created_at: NOW
		});
		await ctx.db
			.insertInto('theme')
			.values([
				theme('gardens', 'Gardens', 'active'),
				theme('mental-health', 'Mental health and wellbeing', 'active'),
				theme('old-news', 'Old news', 'retired')
			])
			.execute();
		const options = await searchThemeOptions(ctx.db);
		const values = options.map((o) => o.value);
		expect(new Set(values).size).toBe(values.length);
		expect(options).toContainEqual({ value: 'gardens', label: 'Gardens' });
		expect(options).toContainEqual({ value: 'adult-social-care', label: 'Adult social care' });
		// A service area with a theme's slug is that theme.
		expect(options).toContainEqual({
			value: 'mental-health',
			label: 'Mental health and wellbeing'
		});
		expect(values).not.toContain('old-news');
		const labels = options.map((o) => o.label);
		expect(labels).toEqual([...labels].sort((a, b) => a.localeCompare(b, 'en')));
	});

	it('shows a visitor only public results, each labelled with its kind', async () => {
		const page = await search('garden', null);
		expect(page.total).toBe(2);
		expect(page.results.map((r) => [r.title, r.label]).sort()).toEqual([
			['A talk about the garden', 'Talk'],
			['Garden open day', 'Note']
		]);
		expect(page.results.find((r) => r.path === '/notes/n1')?.date).toBe('Sunday 20 December 2026');
		expect(audiences).not.toHaveBeenCalled();
	});

	it('shows members what members may see, and a team its own items', async () => {
		expect((await search('garden', { id: 'u-member' })).total).toBe(3);
		audiences.mockClear();
		const team = await search('garden', { id: 'u-team' });
		expect(team.total).toBe(4);
		expect(audiences).toHaveBeenCalledTimes(1);
	});

	it('filters by type, theme and dates (the "to" day included)', async () => {
		expect((await search('garden', null, { types: ['talk'] })).total).toBe(1);
		expect((await search('garden', null, { theme: 'food' })).results[0]?.title).toBe(
			'Garden open day'
		);
		const january = await search('garden', null, { from: '2026-01-15', to: '2026-01-15' });
		expect(january.results.map((r) => r.title)).toEqual(['A talk about the garden']);
		const upcoming = await search('garden', null, { when: 'upcoming' });
		expect(upcoming.results.map((r) => r.title)).toEqual(['Garden open day']);
		const past = await search('garden', null, { when: 'past' });
		expect(past.results.map((r) => r.title)).toEqual(['A talk about the garden']);
	});

	it('pages through results twenty at a time', async () => {
		const first = await search('apple', null);
		expect(first).toMatchObject({ total: 25, page: 1, pageCount: 2 });
		expect(first.results).toHaveLength(RESULTS_PER_PAGE);
		const second = await search('apple', null, { page: 2 });
		expect(second.results).toHaveLength(5);
		const ids = new Set([...first.results, ...second.results].map((r) => r.path));
		expect(ids.size).toBe(25);
		expect((await search('apple', null, { page: 9 })).results).toEqual([]);
	});

	it('says when a query was shortened', async () => {
		const words = Array.from({ length: 13 }, (_, i) => `word${i}`).join(' ');
		expect((await search(words, null)).shortened).toBe('terms');
		expect((await search('garden '.repeat(100), null)).shortened).toBe('characters');
		expect((await search('garden', null)).shortened).toBeNull();
		expect(shorteningMessage('terms')).toContain('first 12 words');
		expect(shorteningMessage('characters')).toContain('first 512 characters');
	});

	it('suggests a spelling when nothing is found, never from hidden items', async () => {
		const none = await search('gardn ', null);
		expect(none).toMatchObject({ total: 0, didYouMean: 'garden', searched: true });
		expect((await search('budgte ', null)).didYouMean).toBeNull();
		expect((await search('budgte ', { id: 'u-member' })).didYouMean).toBe('budget');
		expect((await search('', null)).searched).toBe(false);
	});

	it('suggests titles as someone types, only what they may open', async () => {
		const titles = async (typed: string, viewer: { id: string } | null) =>
			(await suggestSiteTitles(ctx.db, typed, viewer, { registrations, now: NOW })).map(
				(s) => `${s.label}: ${s.title}`
			);
		expect(await titles('garden o', null)).toEqual(['Note: Garden open day']);
		expect(await titles('garden b', null)).toEqual([]);
		expect(await titles('garden b', { id: 'u-member' })).toEqual(['Note: Garden budget']);
		expect(await titles('g', null)).toEqual([]);
		expect(await titles('appl', null)).toHaveLength(8);
	});

	it('refuses suggestions to an address asking far faster than anyone types', async () => {
		for (let i = 0; i < SUGGEST_RULE.limit; i++) {
			expect((await suggestAsTyped(ctx.db, 'x', null, '203.0.113.9')).ok).toBe(true);
		}
		expect(await suggestAsTyped(ctx.db, 'garden', null, '203.0.113.9')).toMatchObject({
			ok: false
		});
		expect((await suggestAsTyped(ctx.db, 'garden', null, '203.0.113.10')).ok).toBe(true);
	});
});
