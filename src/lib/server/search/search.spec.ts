import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeEachDatabase } from '../testing/databases';
import {
	assertDistinctKinds,
	type SearchDocument,
	type SearchRegistration
} from './search.registry';
import {
	refreshSearchDocument,
	removeSearchDocument,
	SEARCH_CANDIDATES,
	searchDocuments,
	upsertSearchDocument,
	type SearchViewer
} from './search.repository';
import { MAX_QUERY_TERMS, parseSearchQuery, toFts5Match } from './search.query';
import { snippetHtml } from './search.snippet';

const NOW = '2026-12-03T12:00:00.000Z';
const visitor: SearchViewer = { signedIn: false, audiences: [] };
const member: SearchViewer = { signedIn: true, audiences: [] };

function doc(docId: string, title: string, body: string, extra: Partial<SearchDocument> = {}) {
	return {
		kind: 'note',
		docId,
		title,
		body,
		path: `/notes/${docId}`,
		visibility: 'public',
		updatedAt: '2026-11-01T00:00:00.000Z',
		...extra
	} satisfies SearchDocument;
}

// Small enough to reason about: each query's expected order follows from title matches
// (weighted above body matches) and, between equals, nearness in time.
const CORPUS: SearchDocument[] = [
	doc('a', 'Community café harvest', 'What we gathered at the café about housing and food.'),
	doc('b', 'Cafe conversations', 'An evening of talk about housing.', {
		startsAt: '2026-12-10T18:00:00.000Z'
	}),
	doc('c', 'Planning meeting', 'The meeting agreed a plan for the garden.'),
	doc('d', 'Garden open day', 'Meetings in the garden every Saturday morning.', {
		startsAt: '2025-05-01T10:00:00.000Z'
	}),
	doc('e', 'Youth housing talk', 'Young people spoke about renting and housing costs.'),
	doc('f', 'Members only budget', 'The budget for the garden and the café.', {
		visibility: 'members'
	}),
	doc('g', 'Team notes', 'Private notes about the garden secretplan.', { visibility: 'team:t1' }),
	doc('h', 'Script test', 'Body with <script>alert("x")</script> and garden & food.'),
	doc('i', 'Library of tools', 'Borrow a drill or a ladder from the tool library.')
];

async function ids(
	db: Parameters<typeof searchDocuments>[0],
	query: string,
	viewer = visitor
): Promise<string[]> {
	const page = await searchDocuments(db, {
		query,
		visibleTo: viewer,
		limit: 50,
		offset: 0,
		now: NOW
	});
	return page.results.map((r) => r.docId);
}

const HOSTILE = [
	'NEAR(garden meeting)',
	'garden NEAR/2 meeting',
	'*',
	'gard*',
	'^garden',
	'garden:*',
	'title:garden',
	'{title body}:garden',
	'garden AND NOT meeting',
	'garden & !meeting | (x',
	'((garden',
	'garden)',
	'"garden',
	'garden"',
	'"""',
	"'; drop table search_document; --",
	"garden' OR '1'='1",
	'x'.repeat(10_000),
	'garden '.repeat(2_000),
	'a\u0000b garden',
	'\u0001\u0002\u001b[31m garden',
	'\u202egarden\u202c مرحبا שלום',
	'🌱 garden 👩‍👩‍👧 🏳️‍🌈',
	'\u0301',
	'-',
	'--garden',
	'OR',
	'OR OR garden OR',
	'-garden',
	'"" - ""',
	'garden:',
	'\\',
	'%_'
];

describe('parseSearchQuery', () => {
	it('reads words, phrases, exclusions, OR and a prefix', () => {
		expect(parseSearchQuery('garden "open day" -meeting cafe OR housing tal')).toEqual({
			all: [
				[{ kind: 'word', word: 'garden' }],
				[{ kind: 'phrase', words: ['open', 'day'] }],
				[
					{ kind: 'word', word: 'cafe' },
					{ kind: 'word', word: 'housing' }
				],
				[{ kind: 'prefix', word: 'tal' }]
			],
			none: [{ kind: 'word', word: 'meeting' }]
		});
	});

	it('treats a finished last word as a whole word', () => {
		expect(parseSearchQuery('garden ')?.all).toEqual([[{ kind: 'word', word: 'garden' }]]);
	});

	it('keeps at most MAX_QUERY_TERMS terms', () => {
		const parsed = parseSearchQuery(Array.from({ length: 50 }, (_, i) => `w${i}`).join(' '));
		expect(parsed?.all).toHaveLength(MAX_QUERY_TERMS);
	});

	it('finds nothing to search in operators, stop words or only exclusions', () => {
		for (const input of ['', '   ', '*', '()', 'the and of', '-garden', '🌱', 'OR']) {
			expect(parseSearchQuery(input)).toBeNull();
		}
	});

	it('builds FTS5 MATCH strings from quoted words only', () => {
		for (const input of HOSTILE) {
			const parsed = parseSearchQuery(input);
			if (!parsed) continue;
			const match = toFts5Match(parsed);
			// Outside quotes only the operators we wrote, brackets and '*' after a quote.
			const outside = match.replace(/"[^"]*"/g, '');
			expect(outside).toMatch(/^[\s()*]*(?:(?:AND|OR|NOT)[\s()*]*)*$/);
		}
	});
});

describe('snippetHtml', () => {
	it('escapes everything and marks only what the engine marked', () => {
		expect(snippetHtml('<b>a</b> \u0001garden\u0002 & "x"')).toBe(
			'&lt;b&gt;a&lt;/b&gt; <mark>garden</mark> &amp; &quot;x&quot;'
		);
	});

	it('closes a mark the engine left open', () => {
		expect(snippetHtml('\u0001gard')).toBe('<mark>gard</mark>');
	});
});

// Every query below, and every hostile one, run on each engine: the answers must agree, in
// the same order. Queries with OR are compared as sets only: FTS5's bm25 weighs a rare word
// above a common one (inverse document frequency) and ts_rank does not, so "cafe OR ladder"
// ranks the one ladder first on SQLite and the two cafés first on PostgreSQL.
const SET_ONLY = ['cafe OR ladder'];
const PARITY_QUERIES = [
	...SET_ONLY,
	'garden',
	'garden ',
	'gard',
	'housing cafe',
	'"open day"',
	'"garden every"',
	'garden -meeting ',
	'café harvest',
	'meetings',
	'speaking',
	'young people',
	'housing co',
	...HOSTILE
];
const answers = new Map<string, string[][]>();

describeEachDatabase('search', (ctx) => {
	afterAll(async () => {
		const mine: string[][] = [];
		for (const query of PARITY_QUERIES) {
			const found = await ids(ctx.db, query, member);
			mine.push(SET_ONLY.includes(query) ? found.sort() : found);
		}
		answers.set(ctx.dialect, mine);
	});

	beforeAll(async () => {
		await ctx.db.transaction().execute(async (trx) => {
			for (const document of CORPUS) await upsertSearchDocument(trx, document);
		});
	});

	it('finds documents holding every word, title matches first', async () => {
		expect(await ids(ctx.db, 'garden meeting ')).toEqual(['c', 'd']);
		expect(await ids(ctx.db, 'housing ')).toEqual(['e', 'b', 'a']);
	});

	it('finds a quoted phrase only with its words together', async () => {
		expect(await ids(ctx.db, '"tool library"')).toEqual(['i']);
		expect(await ids(ctx.db, '"library tool"')).toEqual([]);
	});

	it('leaves out documents with an excluded word', async () => {
		expect(await ids(ctx.db, 'housing -cafe ')).toEqual(['e']);
		expect(await ids(ctx.db, 'garden -"open day" ')).toEqual(['c', 'h']);
	});

	it('finds either side of OR', async () => {
		expect(await ids(ctx.db, 'ladder OR youth ')).toEqual(['e', 'i']);
	});

	it('matches the last word as a prefix while typing', async () => {
		expect(await ids(ctx.db, 'libr')).toEqual(['i']);
		expect(await ids(ctx.db, 'housing yo')).toEqual(['e']);
	});

	it('folds accents both ways', async () => {
		const cafe = ['b', 'a'];
		expect(await ids(ctx.db, 'cafe ')).toEqual(cafe);
		expect(await ids(ctx.db, 'café ')).toEqual(cafe);
	});

	it('stems English words', async () => {
		expect(await ids(ctx.db, 'meetings ')).toEqual(['c', 'd']);
		expect(await ids(ctx.db, 'conversation ')).toEqual(['b']);
	});

	it('prefers upcoming over past among equal matches', async () => {
		// b (upcoming, title match) beats a (title match, changed a month ago).
		const page = await searchDocuments(ctx.db, {
			query: 'cafe',
			visibleTo: visitor,
			limit: 10,
			offset: 0,
			now: NOW
		});
		expect(page.results[0]?.docId).toBe('b');
	});

	it('never shows members-only or team documents to a visitor, in results or counts', async () => {
		const asVisitor = await searchDocuments(ctx.db, {
			query: 'budget',
			visibleTo: visitor,
			limit: 10,
			offset: 0
		});
		expect(asVisitor).toEqual({ results: [], total: 0, capped: false });
		expect(await ids(ctx.db, 'budget', member)).toEqual(['f']);
		expect(await ids(ctx.db, 'secretplan', member)).toEqual([]);
		expect(await ids(ctx.db, 'secretplan', { signedIn: true, audiences: ['team:t1'] })).toEqual([
			'g'
		]);
		const gardenVisitor = await searchDocuments(ctx.db, {
			query: 'garden ',
			visibleTo: visitor,
			limit: 50,
			offset: 0
		});
		expect(gardenVisitor.total).toBe(3);
		expect(gardenVisitor.results.map((r) => r.docId).sort()).toEqual(['c', 'd', 'h']);
		const snippets = gardenVisitor.results.map((r) => r.snippetHtml).join(' ');
		expect(snippets).not.toMatch(/budget|secretplan/i);
	});

	it('counts all matches and pages through them', async () => {
		const first = await searchDocuments(ctx.db, {
			query: 'housing ',
			visibleTo: visitor,
			limit: 2,
			offset: 0,
			now: NOW
		});
		const second = await searchDocuments(ctx.db, {
			query: 'housing ',
			visibleTo: visitor,
			limit: 2,
			offset: 2,
			now: NOW
		});
		expect(first.total).toBe(3);
		expect([...first.results, ...second.results].map((r) => r.docId)).toEqual(['e', 'b', 'a']);
	});

	it('escapes a body and marks what matched', async () => {
		const page = await searchDocuments(ctx.db, {
			query: 'alert ',
			visibleTo: visitor,
			limit: 10,
			offset: 0
		});
		expect(page.results.map((r) => r.docId)).toEqual(['h']);
		const html = page.results[0]?.snippetHtml ?? '';
		expect(html).toContain('&lt;script&gt;');
		expect(html).not.toContain('<script');
		expect(html).toContain('<mark>alert</mark>');
		expect(html.replace(/<\/?mark>/g, '')).not.toMatch(/[<>]/);
	});

	it('answers every hostile input without throwing', async () => {
		for (const query of HOSTILE) {
			for (const viewer of [visitor, member]) {
				const page = await searchDocuments(ctx.db, {
					query,
					visibleTo: viewer,
					limit: 10,
					offset: 0
				});
				expect(page.total).toBeGreaterThanOrEqual(page.results.length);
				for (const result of page.results) expect(result.snippetHtml).not.toMatch(/<(?!\/?mark>)/);
			}
		}
	});

	it('rewrites and removes documents, and follows them in the index', async () => {
		await upsertSearchDocument(ctx.db, doc('z', 'Temporary zebra', 'Striped.'));
		expect(await ids(ctx.db, 'zebra ')).toEqual(['z']);
		await upsertSearchDocument(ctx.db, doc('z', 'Temporary horse', 'Plain.'));
		expect(await ids(ctx.db, 'zebra ')).toEqual([]);
		expect(await ids(ctx.db, 'horse ')).toEqual(['z']);
		await ctx.db.transaction().execute(async (trx) => {
			await removeSearchDocument(trx, 'note', 'z');
		});
		expect(await ids(ctx.db, 'horse ')).toEqual([]);
	});

	it('searches inside a caller’s transaction and leaves its planner settings as they were', async () => {
		await upsertSearchDocument(ctx.db, doc('w', 'Weekly walrus watch', 'By the pier.'));
		await ctx.db.transaction().execute(async (trx) => {
			expect(await ids(trx, 'walrus ')).toEqual(['w']);
			if (ctx.dialect !== 'postgres') return;
			// PostgreSQL walks the newest documents with bitmap and sequential scans off, for
			// this search only: what the caller runs next plans as usual.
			const settings = await sql<{ bitmap: string; seq: string }>`
				select current_setting('enable_bitmapscan') as bitmap,
					current_setting('enable_seqscan') as seq`.execute(trx);
			expect(settings.rows).toEqual([{ bitmap: 'on', seq: 'on' }]);
		});
		await removeSearchDocument(ctx.db, 'note', 'w');
	});

	it('rolls the index back with the transaction', async () => {
		await expect(
			ctx.db.transaction().execute(async (trx) => {
				await upsertSearchDocument(trx, doc('y', 'Rolled back yak', 'Gone.'));
				throw new Error('change failed');
			})
		).rejects.toThrow('change failed');
		expect(await ids(ctx.db, 'yak ')).toEqual([]);
	});

	it('filters by theme and by date, binding what it is given', async () => {
		await ctx.db.transaction().execute(async (trx) => {
			await upsertSearchDocument(
				trx,
				doc('t1', 'Walking group', 'A weekly walk.', {
					themes: ['mental-health', 'outdoors'],
					startsAt: '2026-12-20T10:00:00.000Z'
				})
			);
			await upsertSearchDocument(
				trx,
				doc('t2', 'Walking football', 'A weekly walk and kick about.', {
					themes: ['sport'],
					startsAt: '2026-10-01T10:00:00.000Z'
				})
			);
			await upsertSearchDocument(
				trx,
				doc('t3', 'Walking_100%', 'Odd theme keys never match by pattern.', {
					themes: ['a_b%']
				})
			);
		});
		const found = async (extra: Record<string, string>) =>
			(
				await searchDocuments(ctx.db, {
					query: 'walking',
					visibleTo: visitor,
					limit: 10,
					offset: 0,
					now: NOW,
					...extra
				})
			).results
				.map((r) => r.docId)
				.sort();
		expect(await found({ theme: 'mental-health' })).toEqual(['t1']);
		expect(await found({ theme: 'mental' })).toEqual([]);
		expect(await found({ theme: 'a_b%' })).toEqual(['t3']);
		expect(await found({ theme: 'axb%' })).toEqual([]);
		expect(await found({ theme: '%' })).toEqual([]);
		expect(await found({ from: NOW })).toEqual(['t1']);
		expect(await found({ before: NOW })).toEqual(['t2']);
		expect(
			await found({ from: '2026-12-20T00:00:00.000Z', before: '2026-12-21T00:00:00.000Z' })
		).toEqual(['t1']);
	});

	it('holds a document back until its moment, in results and counts', async () => {
		await upsertSearchDocument(
			ctx.db,
			doc('s1', 'Scheduled zebra crossing post', 'Soon.', {
				visibleFrom: '2026-12-10T09:00:00.000Z'
			})
		);
		const at = async (now: string) =>
			searchDocuments(ctx.db, { query: 'zebra', visibleTo: member, limit: 10, offset: 0, now });
		expect(await at(NOW)).toEqual({ results: [], total: 0, capped: false });
		expect((await at('2026-12-10T09:00:00.000Z')).results.map((r) => r.docId)).toEqual(['s1']);
	});

	it('refreshes a document from its row, and removes it when the row says so', async () => {
		const rows = new Map<string, { title: string; shown: boolean }>([
			['r1', { title: 'Refreshed walrus', shown: true }]
		]);
		const registration: SearchRegistration<{ id: string; title: string; shown: boolean }> = {
			kind: 'walrus',
			label: 'Walrus',
			toDocument: (row) =>
				row.shown ? { ...doc(row.id, row.title, 'Body.'), kind: 'walrus' } : null,
			loadRow: async (_db, id) => {
				const row = rows.get(id);
				return row ? { id, ...row } : undefined;
			},
			listForReindex: async () => ({ rows: [], lastId: null })
		};
		await refreshSearchDocument(ctx.db, registration, 'r1');
		expect(await ids(ctx.db, 'walrus')).toEqual(['r1']);
		rows.set('r1', { title: 'Refreshed walrus', shown: false });
		await refreshSearchDocument(ctx.db, registration, 'r1');
		expect(await ids(ctx.db, 'walrus')).toEqual([]);
		rows.set('r1', { title: 'Back again walrus', shown: true });
		await refreshSearchDocument(ctx.db, registration, 'r1');
		rows.delete('r1');
		await refreshSearchDocument(ctx.db, registration, 'r1');
		expect(await ids(ctx.db, 'walrus')).toEqual([]);
	});

	it('ranks a bounded set: counts stop past the cap, and old title matches are still found', async () => {
		// The oldest document is the one whose title matches; then more body matches than the cap.
		await upsertSearchDocument(ctx.db, doc('old-title', 'Quokka club', 'Founded long ago.'));
		const rows = Array.from({ length: SEARCH_CANDIDATES + 5 }, (_, i) => ({
			kind: 'note',
			doc_id: `q${i}`,
			title: `Note ${i}`,
			body: 'A note that mentions the quokka once.',
			path: `/notes/q${i}`,
			visibility: 'public',
			updated_at: '2026-11-01T00:00:00.000Z'
		}));
		for (let i = 0; i < rows.length; i += 200) {
			await ctx.db
				.insertInto('search_document')
				.values(rows.slice(i, i + 200))
				.execute();
		}
		const page = await searchDocuments(ctx.db, {
			query: 'quokka',
			visibleTo: visitor,
			limit: 5,
			offset: 0,
			now: NOW
		});
		expect(page.capped).toBe(true);
		expect(page.total).toBe(SEARCH_CANDIDATES);
		expect(page.results[0]?.docId).toBe('old-title');
		await ctx.db.deleteFrom('search_document').where('doc_id', 'like', 'q%').execute();
	});

	it('finds the same, in the same order, however few of the newest documents are walked first', async () => {
		// PostgreSQL walks the newest documents, then walks on or reads its index for older ones;
		// small windows send every search down those paths. SQLite ignores the window.
		const stripes = Array.from({ length: 12 }, (_, i) =>
			doc(
				`w${i}`,
				i < 2 ? 'Zebra club' : `Walk ${i}`,
				`zebra ${i % 3 === 0 ? 'crossing' : 'park'}`,
				{
					kind: 'walk',
					themes: i % 2 ? ['stripes'] : [],
					startsAt: i % 4 === 0 ? '2026-12-20T10:00:00.000Z' : null
				}
			)
		);
		await ctx.db.transaction().execute(async (trx) => {
			for (const document of stripes) await upsertSearchDocument(trx, document);
		});
		const having = (test: (i: number) => boolean) =>
			stripes.flatMap((d, i) => (test(i) ? [d.docId] : [])).sort();
		const searches = [
			{ query: 'zebra', expected: having(() => true) },
			{ query: 'zebra', kinds: ['walk'], expected: having(() => true) },
			// Four kinds or more are filtered in SQL alone, not as facet words.
			{ query: 'zebra', kinds: ['note', 'event', 'post', 'walk'], expected: having(() => true) },
			{ query: 'zebra', kinds: ['note', 'event', 'post', 'talk'], expected: [] },
			{ query: 'zebra', theme: 'stripes', expected: having((i) => i % 2 === 1) },
			{ query: 'zebra', from: NOW, expected: having((i) => i % 4 === 0) },
			{ query: '"zebra crossing"', expected: having((i) => i % 3 === 0) },
			{ query: 'zebra -crossing', expected: having((i) => i % 3 !== 0) },
			{ query: 'zeb', prefix: true, expected: having(() => true) },
			{ query: 'club zebra', expected: having((i) => i < 2) }
		];
		for (const { expected, ...search } of searches) {
			const ask = (newestWindow?: number) =>
				searchDocuments(ctx.db, {
					...search,
					visibleTo: member,
					limit: 50,
					offset: 0,
					now: NOW,
					newestWindow
				});
			const whole = await ask();
			expect(whole.results.map((r) => r.docId).sort(), search.query).toEqual(expected);
			for (const size of [1, 2, 5, 11]) {
				const walked = await ask(size);
				expect(
					walked.results.map((r) => r.docId),
					`${search.query}, window ${size}`
				).toEqual(whole.results.map((r) => r.docId));
				expect(walked.total).toBe(expected.length);
			}
		}
		await ctx.db.deleteFrom('search_document').where('kind', '=', 'walk').execute();
	});

	it('filters by kind', async () => {
		const page = await searchDocuments(ctx.db, {
			query: 'garden ',
			kinds: ['event'],
			visibleTo: visitor,
			limit: 10,
			offset: 0
		});
		expect(page.total).toBe(0);
	});
});

describe('search on both engines', () => {
	it('gives the same ids in the same order', () => {
		const sqlite = answers.get('sqlite');
		const postgres = answers.get('postgres');
		expect(sqlite).toBeDefined();
		if (!postgres) return;
		const differences = PARITY_QUERIES.flatMap((query, i) =>
			JSON.stringify(sqlite?.[i]) === JSON.stringify(postgres[i])
				? []
				: [{ query: query.slice(0, 40), sqlite: sqlite?.[i], postgres: postgres[i] }]
		);
		expect(differences).toEqual([]);
	});
});

describe('assertDistinctKinds', () => {
	const registration = (kind: string) => ({
		kind,
		label: kind,
		toDocument: () => null,
		loadRow: () => Promise.resolve(undefined),
		listForReindex: () => Promise.resolve({ rows: [], lastId: null })
	});

	it('accepts distinct lower-case kinds', () => {
		expect(() =>
			assertDistinctKinds([registration('event'), registration('case-study')])
		).not.toThrow();
	});

	it('refuses a kind registered twice or spelled oddly', () => {
		expect(() => assertDistinctKinds([registration('event'), registration('event')])).toThrow(
			/twice/
		);
		expect(() => assertDistinctKinds([registration('Event')])).toThrow(/lower-case/);
	});
});
