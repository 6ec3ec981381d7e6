// Search (issue 17), run by bench/run.js (BENCH_ONLY=search) through tsx on one database:
//   tsx bench/search.ts
// 1. Seeds BENCH_SEARCH_DOCS documents (default 100,000) of mixed kinds straight into the index
//    (multi-row inserts, so SQLite's triggers and PostgreSQL's generated column do their work as
//    on every write), unless the index already holds them. They use the real kinds, so /search
//    shows them too (ids start with 'bench-'; `search:reindex` would remove them).
// 2. Runs 50 fixed queries (single words, phrases, prefixes as typed, exclusions, OR, filters, no
//    match; all but the typed ones as a submitted search, matching whole words),
//    as a visitor and as a member, each BENCH_SEARCH_REPEATS times (default 20) after one
//    warm-up: p50 and p95 over all of them, and the slowest queries' p95. Then, on their own,
//    WORST_PHRASES: two common words never side by side (PostgreSQL's slowest case).
// 3. The index's share of a write: creates BENCH_SEARCH_EVENTS events (default 200) through the
//    events service as hosts do (the index written in the same transaction), then times writing
//    each one's document as creation does, in a small write transaction, less the same
//    transaction without it. Share = document time / (creation time - document time). Also the
//    document's cost on an edit, which reads the event back (refreshMedianMs).
// Prints one JSON line with every figure.
import { sql, type Transaction } from 'kysely';
import type { DB } from '../src/lib/server/db/schema';
import { readConfig } from '../src/lib/server/config';
import { openConfiguredDatabase } from '../src/lib/server/app';
import { migrateToLatest } from '../src/lib/server/db/migrate';
import { nowIso } from '../src/lib/server/ids';
import {
	refreshSearchDocument,
	removeSearchDocument,
	searchDocuments
} from '../src/lib/server/search/search.repository';
import type { SearchViewer } from '../src/lib/server/search/search.repository';
import type { NewSearchDocumentRow } from '../src/lib/server/search/search.tables';
import { documentFacets } from '../src/lib/server/search/search.facets';
import { createEvent } from '../src/lib/server/events/events.service';
import { EVENT_SEARCH, indexNewEvent } from '../src/lib/server/events/events.search';
import { findFormat } from '../src/lib/server/events/events.repository';
import { TEST_SITE, eventValues, testMember } from '../src/lib/server/events/events.testing';

const DOCS = Number(process.env.BENCH_SEARCH_DOCS || 100_000);
const REPEATS = Number(process.env.BENCH_SEARCH_REPEATS || 20);
const EVENTS = Number(process.env.BENCH_SEARCH_EVENTS || 200);
const BATCH = 500;
const NOW = '2026-12-03T12:00:00.000Z';

const KINDS = ['event', 'post', 'organisation', 'case-study', 'idea', 'talk', 'profile', 'pilot'];
const THEMES = ['housing', 'mental-health', 'carers', 'young-people', 'transport', 'food'];
// Words people use here, most common first: a Zipf-like draw makes some words very common and
// most rare, as in real writing. The tail is made-up words so rare terms exist.
const COMMON = (
	'the and for with about people community support carers meeting session service council ' +
	'group local care health housing young family volunteer together share experience talk ' +
	'plan garden cafe library children school work money advice mental wellbeing food walk ' +
	'transport bus access deaf blind wheelchair hearing loop quiet room parking evening morning ' +
	'weekly monthly open day workshop training listening change decision idea pilot budget ' +
	'report enquiry interview coproduction partnership trust hospital doctor nurse social ' +
	'worker charity network neighbourhood street park river bridge market church hall centre ' +
	'lunch dinner coffee tea music art craft reading writing poetry football swimming running'
).split(' ');
const RARE = Array.from({ length: 3000 }, (_, i) => `zq${i.toString(36)}word`);
const VOCABULARY = [...COMMON, ...RARE];

let seed = 42;
function random(): number {
	seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
	return seed / 0x7fffffff;
}
function word(): string {
	// Zipf-ish: index ~ N^(r^2) skews hard to the front.
	const index = Math.floor(Math.pow(VOCABULARY.length, random() ** 2)) - 1;
	return VOCABULARY[Math.max(0, Math.min(VOCABULARY.length - 1, index))] ?? '';
}
// Phrases real writing here repeats: about one word in a hundred starts one, so each is in
// roughly one document in seven, as "mental health" would be in a health network's documents.
// Without them, random words almost never stand side by side and every phrase would find
// nothing, which is not how people search (WORST_PHRASES measures that case on its own).
const COLLOCATIONS = [
	'mental health',
	'young people',
	'hearing loop',
	'quiet room',
	'social worker',
	'open day',
	'community garden',
	'care support'
];
function words(n: number): string {
	return Array.from({ length: n }, () =>
		random() < 0.01 ? (COLLOCATIONS[Math.floor(random() * COLLOCATIONS.length)] ?? '') : word()
	).join(' ');
}

// Phrases of two common words that are never written side by side: PostgreSQL's index has no
// word positions, so it must read every document holding both words to find none. Measured and
// reported on their own, outside the 50 (see docs/search.md, "What stays slow").
const WORST_PHRASES = ['"hospital poetry"', '"garden council"'];

const QUERIES: {
	q: string;
	typing?: boolean;
	kinds?: string[];
	theme?: string;
	from?: string;
	before?: string;
}[] = [
	// 15 single words: common, middling, rare, one missing.
	{ q: 'carers' },
	{ q: 'housing' },
	{ q: 'community' },
	{ q: 'garden' },
	{ q: 'volunteer' },
	{ q: 'wheelchair' },
	{ q: 'poetry' },
	{ q: 'swimming' },
	{ q: 'hospital' },
	{ q: 'meetings' },
	{ q: 'zq1aword' },
	{ q: 'zq2bword' },
	{ q: 'zqzzword' },
	{ q: 'neighbourhood' },
	{ q: 'café' },
	// 8 phrases.
	{ q: '"mental health"' },
	{ q: '"young people"' },
	{ q: '"hearing loop"' },
	{ q: '"quiet room"' },
	{ q: '"social worker"' },
	{ q: '"open day"' },
	{ q: '"care support"' },
	{ q: '"the community garden"' },
	// 8 prefixes, as typed (the last word matches as a prefix, as in suggestions).
	{ q: 'car', typing: true },
	{ q: 'hou', typing: true },
	{ q: 'vol', typing: true },
	{ q: 'wel', typing: true },
	{ q: 'com', typing: true },
	{ q: 'mental he', typing: true },
	{ q: 'young peo', typing: true },
	{ q: 'zq1', typing: true },
	// 6 exclusions.
	{ q: 'carers -housing' },
	{ q: 'garden -cafe' },
	{ q: 'support -council' },
	{ q: 'walk -park' },
	{ q: 'music -art' },
	{ q: 'training -work' },
	// 3 OR.
	{ q: 'swimming OR football' },
	{ q: 'deaf OR blind' },
	{ q: 'poetry OR reading OR writing' },
	// 6 filtered.
	{ q: 'carers', kinds: ['event'] },
	{ q: 'housing', kinds: ['post', 'case-study'] },
	{ q: 'support', theme: 'mental-health' },
	{ q: 'meeting', from: NOW },
	{ q: 'garden', before: NOW },
	{ q: 'community', kinds: ['event'], from: '2026-01-01T00:00:00.000Z', before: NOW },
	// 4 that find nothing.
	{ q: 'xylophonequartet' },
	{ q: '"carers zq1aword hospital"' },
	{ q: 'zzzz*' },
	{ q: 'qqq -carers' }
];

function percentile(sorted: number[], p: number): number {
	if (!sorted.length) return NaN;
	return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
}

const config = readConfig();
const database = openConfiguredDatabase(config);
try {
	const db = database.db;
	await migrateToLatest(db);

	// 1. Seed.
	const seedStarted = performance.now();
	const have = Number(
		(
			await db
				.selectFrom('search_document')
				.select((eb) => eb.fn.countAll().as('n'))
				.where('doc_id', 'like', 'bench-%')
				.executeTakeFirstOrThrow()
		).n
	);
	for (let i = have; i < DOCS; i += BATCH) {
		const rows: NewSearchDocumentRow[] = [];
		for (let j = i; j < Math.min(DOCS, i + BATCH); j++) {
			const kind = KINDS[j % KINDS.length] ?? 'event';
			const days = Math.floor((random() - 0.6) * 900);
			const at = new Date(Date.parse(NOW) + days * 86_400_000).toISOString();
			const r = random();
			const themes = kind === 'post' || kind === 'case-study' ? THEMES[j % THEMES.length] : '';
			const visibility = r < 0.85 ? 'public' : r < 0.95 ? 'members' : `pilot-team:t${j % 500}`;
			const startsAt = kind === 'event' || kind === 'post' ? at : null;
			rows.push({
				kind,
				doc_id: `bench-${j}`,
				title: words(3 + Math.floor(random() * 6)),
				body: words(60 + Math.floor(random() * 120)),
				path: `/bench/${kind}/${j}`,
				type: kind,
				themes,
				format: null,
				starts_at: startsAt,
				organisation_id: null,
				visibility,
				visible_from: null,
				updated_at: at,
				// As upsertSearchDocument writes them.
				facets: documentFacets({ kind, themes: themes ? [themes] : [], startsAt })
			});
		}
		await db
			.transaction()
			.execute((trx) => trx.insertInto('search_document').values(rows).execute());
	}
	if (database.dialect === 'postgres') await sql`analyze search_document`.execute(db);
	const seedSeconds = (performance.now() - seedStarted) / 1000;

	// 2. Queries.
	const visitor: SearchViewer = { signedIn: false, audiences: [] };
	const member: SearchViewer = { signedIn: true, audiences: ['pilot-team:t7'] };
	async function timeQuery(query: (typeof QUERIES)[number]) {
		const times: number[] = [];
		let total = 0;
		for (let i = 0; i <= REPEATS; i++) {
			const started = performance.now();
			const page = await searchDocuments(db, {
				query: query.q,
				prefix: query.typing === true,
				kinds: query.kinds,
				theme: query.theme,
				from: query.from,
				before: query.before,
				visibleTo: i % 2 ? member : visitor,
				limit: 20,
				offset: 0,
				now: NOW
			});
			const ms = performance.now() - started;
			total = page.total;
			if (i > 0) times.push(ms);
		}
		times.sort((a, b) => a - b);
		return { times, total };
	}
	const all: number[] = [];
	const perQuery: { q: string; p95: number; total: number }[] = [];
	for (const query of QUERIES) {
		const { times, total } = await timeQuery(query);
		all.push(...times);
		perQuery.push({ q: query.q, p95: percentile(times, 0.95), total });
	}
	const worstPhrases: { q: string; p50: number; p95: number; total: number }[] = [];
	for (const q of WORST_PHRASES) {
		const { times, total } = await timeQuery({ q });
		worstPhrases.push({
			q,
			p50: Number(percentile(times, 0.5).toFixed(2)),
			p95: Number(percentile(times, 0.95).toFixed(2)),
			total
		});
	}
	all.sort((a, b) => a - b);
	perQuery.sort((a, b) => b.p95 - a.p95);

	// 3. The index's share of creating an event.
	const hosts = await Promise.all(
		Array.from({ length: Math.ceil(EVENTS / 10) }, () => testMember(db, 'curator'))
	);
	// Each event is created through the events service, as hosts do (its document written in the
	// same transaction). Then what its document adds to a write: a transaction that makes a
	// small write to the event and writes a new document from the row in hand, as creation does
	// (indexNewEvent; under a fresh id, so each is an insert, as on creation), is timed against
	// the same transaction without the document, in turn which runs first. Both commit a write,
	// so the difference is the document's own cost (its text, the insert and the full-text
	// index) as it is paid inside an event's creation. The three are timed side by side, event
	// by event, so a machine that slows down for a while slows all three alike.
	const touch = (trx: Transaction<DB>, id: string) =>
		trx.updateTable('event').set({ updated_at: nowIso() }).where('id', '=', id).execute();
	const createMs: number[] = [];
	const indexMs: number[] = [];
	const emptyMs: number[] = [];
	const ids: string[] = [];
	for (let i = 0; i < EVENTS; i++) {
		let started = performance.now();
		const result = await createEvent(
			db,
			TEST_SITE,
			hosts[Math.floor(i / 10)],
			eventValues({ title: `Bench event ${i}: ${words(5)}`, description: words(120) })
		);
		createMs.push(performance.now() - started);
		if (!result.ok) throw new Error(`event not created: ${JSON.stringify(result)}`);
		const event = result.event;
		ids.push(event.id);
		const format = (await findFormat(db, event.format_id))!;
		const withDocument = async () => {
			started = performance.now();
			await db.transaction().execute(async (trx) => {
				await touch(trx, event.id);
				await indexNewEvent(trx, { ...event, id: `${event.id}-bench` }, format);
			});
			indexMs.push(performance.now() - started);
		};
		const without = async () => {
			started = performance.now();
			await db.transaction().execute((trx) => touch(trx, event.id));
			emptyMs.push(performance.now() - started);
		};
		if (i % 2) await withDocument().then(without);
		else await without().then(withDocument);
	}
	await db
		.deleteFrom('search_document')
		.where('kind', '=', EVENT_SEARCH.kind)
		.where('doc_id', 'like', '%-bench')
		.execute();
	// An edit reads the event back (refreshSearchDocument): timed too, for the record, the same
	// way, on events whose documents were removed first (untimed).
	const refreshMs: number[] = [];
	const refreshEmptyMs: number[] = [];
	for (const id of ids) {
		await removeSearchDocument(db, EVENT_SEARCH.kind, id);
		let started = performance.now();
		await db.transaction().execute(async (trx) => {
			await touch(trx, id);
			await refreshSearchDocument(trx, EVENT_SEARCH, id);
		});
		refreshMs.push(performance.now() - started);
		started = performance.now();
		await db.transaction().execute((trx) => touch(trx, id));
		refreshEmptyMs.push(performance.now() - started);
	}
	createMs.sort((a, b) => a - b);
	indexMs.sort((a, b) => a - b);
	emptyMs.sort((a, b) => a - b);
	refreshMs.sort((a, b) => a - b);
	refreshEmptyMs.sort((a, b) => a - b);
	const createMedian = percentile(createMs, 0.5);
	const indexMedian = Math.max(0, percentile(indexMs, 0.5) - percentile(emptyMs, 0.5));

	console.log(
		JSON.stringify({
			documents: DOCS,
			seedSeconds: Number(seedSeconds.toFixed(1)),
			queries: QUERIES.length,
			repeats: REPEATS,
			p50: Number(percentile(all, 0.5).toFixed(2)),
			p95: Number(percentile(all, 0.95).toFixed(2)),
			slowest: perQuery.slice(0, 5).map((q) => ({ ...q, p95: Number(q.p95.toFixed(2)) })),
			totals: Object.fromEntries(perQuery.map((q) => [q.q, q.total])),
			worstPhrases,
			events: EVENTS,
			createMedianMs: Number(createMedian.toFixed(2)),
			indexMedianMs: Number(indexMedian.toFixed(2)),
			indexShare: Number((indexMedian / (createMedian - indexMedian)).toFixed(3)),
			refreshMedianMs: Number(
				Math.max(0, percentile(refreshMs, 0.5) - percentile(refreshEmptyMs, 0.5)).toFixed(2)
			),
			at: nowIso()
		})
	);
} finally {
	await database.close();
}
