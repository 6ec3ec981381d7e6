import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import { isPostgres } from '../db/database';
import type { DB } from '../db/schema';
import type { SearchDocument, SearchRegistration } from './search.registry';
import {
	parseSearchQuery,
	toFts5Match,
	toTsqueryPlan,
	type ParsedQuery,
	type TsqueryPart
} from './search.query';
import { DATED_FACET, documentFacets, facetWord } from './search.facets';
import { MARK_END, MARK_START, snippetHtml, withoutControlCharacters } from './search.snippet';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * Writes (or rewrites) one document, inside the caller's transaction when given one, so the
 * index changes with the row it describes. On SQLite triggers keep `search_fts` in step.
 */
export async function upsertSearchDocument(db: Db, doc: SearchDocument): Promise<void> {
	const themes = (doc.themes ?? []).map(themeKey).filter(Boolean);
	const title = withoutControlCharacters(doc.title);
	const body = withoutControlCharacters(doc.body);
	const facets = documentFacets({ kind: doc.kind, themes, startsAt: doc.startsAt ?? null });
	// Written out rather than through the query builder: this runs inside every change to a
	// findable row, and the builder's version took 0.044 ms a call on SQLite to this one's 0.031
	// (the whole document costs about 0.2 ms). Both engines read `excluded`.
	await sql`insert into search_document
		(kind, doc_id, title, body, path, type, themes, format, starts_at, organisation_id,
			visibility, visible_from, updated_at, facets)
		values (${doc.kind}, ${doc.docId}, ${title}, ${body}, ${doc.path}, ${doc.type ?? null},
			${themes.join(' ')}, ${doc.format ?? null}, ${doc.startsAt ?? null},
			${doc.organisationId ?? null}, ${doc.visibility}, ${doc.visibleFrom ?? null},
			${doc.updatedAt}, ${facets})
		on conflict (kind, doc_id) do update set
			title = excluded.title, body = excluded.body, path = excluded.path, type = excluded.type,
			themes = excluded.themes, format = excluded.format, starts_at = excluded.starts_at,
			organisation_id = excluded.organisation_id, visibility = excluded.visibility,
			visible_from = excluded.visible_from, updated_at = excluded.updated_at,
			facets = excluded.facets`.execute(db);
}

/** Removes one document (nothing happens when there is none). */
export async function removeSearchDocument(db: Db, kind: string, docId: string): Promise<void> {
	await db
		.deleteFrom('search_document')
		.where('kind', '=', kind)
		.where('doc_id', '=', docId)
		.execute();
}

/**
 * Makes the index say what the row now says: writes its document, or removes it when the row is
 * gone or must not be found (a draft, a hidden or unlisted item). Call it inside the transaction
 * of every change to the row.
 */
export async function refreshSearchDocument<Row>(
	db: Db,
	registration: SearchRegistration<Row>,
	docId: string
): Promise<void> {
	const row = await registration.loadRow(db, docId);
	const doc = row === undefined ? null : registration.toDocument(row);
	if (doc && doc.docId !== docId) {
		throw new Error(`Search kind "${registration.kind}" gave document ${doc.docId} for ${docId}.`);
	}
	if (doc) await upsertSearchDocument(db, { ...doc, kind: registration.kind });
	else await removeSearchDocument(db, registration.kind, docId);
}

export interface SearchViewer {
	signedIn: boolean;
	/** Audience keys the person holds, e.g. 'team:<id>'. */
	audiences: readonly string[];
}

export interface SearchOptions {
	query: string;
	kinds?: readonly string[];
	/** Only documents filed under this theme key. */
	theme?: string | null;
	/** Only documents whose date (`startsAt`) is on or after / before these ISO-8601 moments. */
	from?: string | null;
	before?: string | null;
	visibleTo: SearchViewer;
	limit: number;
	offset: number;
	/**
	 * Whether the last word matches as a prefix while it is being typed (the default, for
	 * suggestions); a submitted search passes false and matches whole words (and their stems).
	 */
	prefix?: boolean;
	/** For ranking by nearness in time; the present moment unless a spec fixes it. */
	now?: string;
	/** PostgreSQL: how many newest documents are walked first (NEWEST_WINDOW); for specs. */
	newestWindow?: number;
}

export interface SearchResult {
	kind: string;
	docId: string;
	title: string;
	path: string;
	type: string | null;
	startsAt: string | null;
	organisationId: string | null;
	/** Safe HTML: escaped text with matched words in `<mark>`. */
	snippetHtml: string;
	score: number;
}

export interface SearchPage {
	results: SearchResult[];
	/** Matches the viewer may see, exact up to SEARCH_CANDIDATES. */
	total: number;
	/** True when there are more matches than SEARCH_CANDIDATES ("more than 200 results"). */
	capped: boolean;
}

/** Longest page a caller may ask for. */
export const MAX_SEARCH_LIMIT = 100;

interface RawResult {
	kind: string;
	doc_id: string;
	title: string;
	path: string;
	type: string | null;
	starts_at: string | null;
	organisation_id: string | null;
	snippet: string | null;
	score: number | string;
}

/** The visibility values a viewer may see: 'public', 'members' when signed in, their keys. */
function allowedAudiences(viewer: SearchViewer): string[] {
	const allowed = ['public'];
	if (viewer.signedIn) allowed.push('members');
	// 'public' and 'members' are not audience keys, whatever a caller passes.
	for (const key of viewer.audiences) if (key.includes(':')) allowed.push(key);
	return allowed;
}

function visibleSql(viewer: SearchViewer, now: RawBuilder<unknown>): RawBuilder<unknown> {
	return sql`d.visibility in (${sql.join(allowedAudiences(viewer))}) and (d.visible_from is null or d.visible_from <= ${now})`;
}

/** A theme as documents store it: spaces as dashes; '' when nothing is left. */
function themeKey(theme: string | null | undefined): string {
	return (theme ?? '').trim().replace(/\s+/g, '-');
}

/**
 * The facet words (search.facets.ts) a search narrows by, in groups that must all match: the
 * kinds asked for and the theme, and on SQLite "has a date" for a date filter (PostgreSQL
 * reads dates from their own index; the word only misled its estimates there).
 */
function facetGroupsFor(options: SearchOptions, postgres: boolean): string[][] {
	const groups: string[][] = [];
	if (kindsAsFacets(options.kinds)) {
		groups.push((options.kinds ?? []).map((kind) => facetWord('kind', kind)));
	}
	const theme = themeKey(options.theme);
	if (theme) groups.push([facetWord('theme', theme)]);
	if (!postgres && (options.from || options.before)) groups.push([DATED_FACET]);
	return groups;
}

/**
 * Most kinds a filter lists as facet words. A few kinds narrow the search; every kind (a search
 * with no type filter still lists the kinds that are registered) made the index merge a dozen
 * lists for nothing and tripled the time of a plain search on SQLite.
 */
const MAX_KIND_FACETS = 3;

function kindsAsFacets(kinds: readonly string[] | undefined): boolean {
	return kinds !== undefined && kinds.length > 0 && kinds.length <= MAX_KIND_FACETS;
}

/** The facet groups as a PostgreSQL tsquery of '#'-words (never typed by anyone). */
function facetTsquerySql(groups: string[][]): RawBuilder<unknown> {
	const text = groups
		.filter((group) => group.length)
		.map((group) => `(${group.map((word) => `'#${word}'`).join(' | ')})`)
		.join(' & ');
	return sql`${text}::tsquery`;
}

/** The theme filter; the value is bound, never typed into the SQL. */
function themeSql(options: SearchOptions): RawBuilder<unknown> {
	const theme = themeKey(options.theme);
	if (!theme) return sql`1 = 1`;
	const key = theme.replace(/[!%_]/g, (c) => '!' + c);
	return sql`(' ' || d.themes || ' ') like ${'% ' + key + ' %'} escape '!'`;
}

/** Date filters; every value is bound, none is typed into the SQL. */
function datesSql(
	options: SearchOptions,
	at: (iso: string) => RawBuilder<unknown>
): RawBuilder<unknown> {
	const parts: RawBuilder<unknown>[] = [];
	if (options.from) parts.push(sql`d.starts_at >= ${at(options.from)}`);
	if (options.before) parts.push(sql`d.starts_at < ${at(options.before)}`);
	return parts.length ? sql.join(parts, sql` and `) : sql`1 = 1`;
}

function kindsSql(kinds: readonly string[] | undefined): RawBuilder<unknown> {
	return kinds === undefined
		? sql`1 = 1`
		: kinds.length
			? sql`d.kind in (${sql.join(kinds)})`
			: sql`1 = 0`;
}

/**
 * Nearness in time (days from now to when it happens, or when it last changed): upcoming
 * items get up to 1.25× (the sooner, the more), past ones fade from 1× towards 0.6× over
 * about a year. Relevance always dominates; time only reorders near equals.
 */
function freshnessSql(days: RawBuilder<number>): RawBuilder<number> {
	return sql<number>`(case when ${days} >= 0
		then 1.0 + 0.25 / (1.0 + ${days} / 90.0)
		else 0.6 + 0.4 / (1.0 - ${days} / 180.0) end)`;
}

function tsqueryPartSql(part: TsqueryPart): RawBuilder<unknown> {
	const config = sql`'colab_search'::regconfig`;
	if (part.fn === 'phraseto_tsquery') return sql`phraseto_tsquery(${config}, ${part.text})`;
	if (part.fn === 'to_tsquery') return sql`to_tsquery(${config}, ${part.text})`;
	return sql`plainto_tsquery(${config}, ${part.text})`;
}

function anySql(parts: TsqueryPart[]): RawBuilder<unknown> {
	return sql`(${sql.join(parts.map(tsqueryPartSql), sql` || `)})`;
}

/**
 * A parsed query's PostgreSQL pieces, every one a bound parameter: `positive` (what must
 * match), `none` (` && !!…` to append to a tsquery, or nothing) and `excluded` (` and not …`
 * to append to a condition on another vector, or nothing).
 */
function tsqueryParts(parsed: ParsedQuery): {
	positive: RawBuilder<unknown>;
	none: RawBuilder<unknown>;
	excluded: RawBuilder<unknown>;
} {
	const plan = toTsqueryPlan(parsed);
	const positive = sql`(${sql.join(plan.all.map(anySql), sql` && `)})`;
	if (!plan.none.length) return { positive, none: sql``, excluded: sql`` };
	return {
		positive,
		none: sql` && !!${anySql(plan.none)}`,
		excluded: sql` and not (d.search_vector @@ ${anySql(plan.none)})`
	};
}

/** The whole PostgreSQL tsquery for a parsed query, every piece a bound parameter. */
function tsquerySql(parsed: ParsedQuery): RawBuilder<unknown> {
	const { positive, none } = tsqueryParts(parsed);
	return sql`(${positive}${none})`;
}

/**
 * How many matching documents a search ranks, at most: the most recently indexed matches the
 * person may see (with TITLE_CANDIDATES more whose title matches, so an older page named for
 * the words is still found). Ranking every match of a word found in most documents costs time
 * in proportion to the index (about 170 ms at 100,000 documents on SQLite); ranking a bounded
 * set keeps a search's cost flat as the index grows. Counts stop there too: "more than 200
 * results" is said as such, with a hint to narrow. It was 500: at 100,000 documents that made
 * PostgreSQL read about 2.5 times as many rows for a middling word, and a page of 20 results
 * ten pages deep is already further than people read.
 */
export const SEARCH_CANDIDATES = 200;

/**
 * How many of the newest title matches join the ranking beside SEARCH_CANDIDATES. A word in
 * many titles meant walking 20,000 rows on PostgreSQL to collect 500 of them; the newest 50
 * fill more than the first page and cost a tenth.
 */
export const TITLE_CANDIDATES = 50;

/**
 * How many of the newest documents PostgreSQL walks, row by row, before it decides how to find
 * older matches. Walking costs about a microsecond a row and stops as soon as enough matches
 * are found, which is cheapest for a common word; the text index costs about as much for each
 * document holding the words, which is cheapest for a rare one. Left to its estimates, the
 * planner walked all 100,000 rows for words it took for common (100 ms), or fetched 40,000
 * documents from the index to check a phrase of two common words. So the search walks this
 * window first, and what it found there decides: walk on, or ask the index.
 */
const NEWEST_WINDOW = 2000;

interface NewestWindow {
	/** The id where the newest NEWEST_WINDOW documents begin; null when there are fewer. */
	boundary: string | null;
	size: number;
	/** About how many documents lie beyond it (from the table's statistics). */
	beyond: number;
}

/**
 * Windows found lately, per database and size. Any boundary gives the same results (what the
 * walk does not reach, the second step does), so one a little old only costs a little time;
 * finding it costs a walk along the id index on every search otherwise.
 */
const recentWindows = new WeakMap<object, Map<number, { at: number; window: NewestWindow }>>();
const WINDOW_KEPT_MS = 30_000;

async function newestWindow(db: Db, size: number): Promise<NewestWindow> {
	const kept = recentWindows.get(db)?.get(size);
	if (kept && Date.now() - kept.at < WINDOW_KEPT_MS) return kept.window;
	const window = await findNewestWindow(db, size);
	const sizes = recentWindows.get(db) ?? new Map();
	sizes.set(size, { at: Date.now(), window });
	recentWindows.set(db, sizes);
	return window;
}

async function findNewestWindow(db: Db, size: number): Promise<NewestWindow> {
	const found = await sql<{ boundary: string | null; total: number | string | null }>`
		select
			(select id from search_document order by id desc offset ${size - 1} limit 1) as boundary,
			(select reltuples from pg_class where oid = 'search_document'::regclass) as total`.execute(db);
	const row = found.rows[0];
	const boundary =
		row?.boundary === null || row?.boundary === undefined ? null : String(row.boundary);
	return { boundary, size, beyond: Math.max(0, Number(row?.total ?? 0) - size) };
}

/** Bitmap and sequential scans on or off for the rest of the transaction (one round trip). */
function scansSql(on: boolean): RawBuilder<unknown> {
	const value = on ? 'on' : 'off';
	return sql`select set_config('enable_bitmapscan', ${value}, true), set_config('enable_seqscan', ${value}, true)`;
}

/**
 * Queries run with bitmap and sequential scans off, so PostgreSQL walks an index in order
 * (`walk`), and, when asked, with them on (`useIndex`, for reading matches from the text index).
 */
interface Walker {
	walk<Row>(query: RawBuilder<Row>): Promise<Row[]>;
	useIndex<Row>(query: RawBuilder<Row>): Promise<Row[]>;
}

/**
 * Runs `work` with scans off: in a transaction of its own, or inside the caller's, with the
 * settings put back for what follows. One transaction serves every walk of a search: each of
 * its own cost four round trips (begin, the settings, the query, commit), a third of a search.
 */
async function walking<T>(db: Db, work: (walker: Walker) => Promise<T>): Promise<T> {
	const walker = (trx: Db): Walker => ({
		walk: async (query) => (await query.execute(trx)).rows,
		useIndex: async (query) => {
			await scansSql(true).execute(trx);
			const found = await query.execute(trx);
			await scansSql(false).execute(trx);
			return found.rows;
		}
	});
	if (db.isTransaction) {
		await scansSql(false).execute(db);
		let result: T;
		try {
			result = await work(walker(db));
		} catch (failure) {
			// Put the settings back if the transaction can still run anything; the failure is
			// what the caller needs to see, not a second one from an aborted transaction.
			await scansSql(true)
				.execute(db)
				.catch(() => undefined);
			throw failure;
		}
		await scansSql(true).execute(db);
		return result;
	}
	return db.transaction().execute(async (trx) => {
		await scansSql(false).execute(trx);
		return work(walker(trx));
	});
}

/**
 * Ids of the newest `limit` documents that match and pass `where` (PostgreSQL). Walks the
 * newest window; if that found too few, walks on when the rate it found them at says walking
 * is cheaper than the index (always, for phrases and prefixes, whose index lookups read every
 * document holding the words), and otherwise reads the older ones from the index ('+ 0' keeps
 * the planner from walking in id order).
 */
async function newestMatches(
	walker: Walker,
	options: {
		match: RawBuilder<unknown>;
		where: RawBuilder<unknown>;
		limit: number;
		window: NewestWindow;
		/** Phrases or prefixes: the index finds candidates, and each must then be checked. */
		checked: boolean;
	}
): Promise<string[]> {
	const { match, where, limit, window, checked } = options;
	const { boundary } = window;
	const within = boundary === null ? sql`` : sql` and d.id >= ${boundary}::bigint`;
	const newest = await walker.walk(
		sql<{ id: string }>`
			select d.id from search_document d
			where ${match} and ${where}${within}
			order by d.id desc limit ${limit}`
	);
	const ids = newest.map((row) => String(row.id));
	if (ids.length >= limit || boundary === null) return ids;
	const needed = limit - ids.length;
	const rate = ids.length / window.size;
	const walkOn = rate > 0 && (checked || needed / rate <= rate * window.beyond);
	const older = sql<{ id: string }>`
		select d.id from search_document d
		where ${match} and ${where} and d.id < ${boundary}::bigint
		order by ${walkOn ? sql`d.id` : sql`d.id + 0`} desc limit ${needed}`;
	const rows = walkOn ? await walker.walk(older) : await walker.useIndex(older);
	return ids.concat(rows.map((row) => String(row.id)));
}

/**
 * Ranked documents the viewer may see, with a highlighted snippet each and the total count
 * (exact up to SEARCH_CANDIDATES; `capped` when there are more). Visibility is part of the SQL,
 * so hidden documents reach neither results nor counts.
 */
export async function searchDocuments(db: Db, options: SearchOptions): Promise<SearchPage> {
	const parsed = parseSearchQuery(options.query, { prefix: options.prefix });
	// No kinds asked for: nothing can match (and no facet word could say so).
	if (!parsed || options.kinds?.length === 0) return { results: [], total: 0, capped: false };
	const limit = Math.max(0, Math.min(MAX_SEARCH_LIMIT, Math.floor(options.limit) || 0));
	const offset = Math.max(0, Math.floor(options.offset) || 0);
	const now = options.now ?? new Date().toISOString();
	const pg = isPostgres(db);
	const at = (iso: string) => (pg ? sql`${iso}::timestamptz` : sql`${iso}`);
	const visibleAndDated = sql`${visibleSql(options.visibleTo, at(now))} and ${datesSql(options, at)}`;
	const where = sql`${visibleAndDated} and ${kindsSql(options.kinds)} and ${themeSql(options)}`;
	// PostgreSQL's lists read kinds and theme from facet words alone, except a long list of kinds.
	const pgWhere = kindsAsFacets(options.kinds)
		? visibleAndDated
		: sql`${visibleAndDated} and ${kindsSql(options.kinds)}`;
	const cap = SEARCH_CANDIDATES;

	let rows: RawResult[];
	let matched: number;
	if (pg) {
		const { positive, none, excluded } = tsqueryParts(parsed);
		// Kinds and theme are facet words in the vector (exact there), and only there: written
		// in SQL as well, the planner would count each filter twice, expect a tenth of the rows
		// it finds and choose to fetch every match instead of walking the newest.
		const groups = facetGroupsFor(options, true);
		const facets = groups.length ? sql` && ${facetTsquerySql(groups)}` : sql``;
		const days = sql<number>`(extract(epoch from (coalesce(d.starts_at, d.updated_at) - ${now}::timestamptz)) / 86400.0)`;
		const headline = sql`${'StartSel=' + MARK_START + ', StopSel=' + MARK_END + ', MaxWords=30, MinWords=12, MaxFragments=1, FragmentDelimiter=" … "'}`;
		// Candidates first, each list newest first: a walk along the newest rows, then the index
		// when the walk came up short (see newestMatches).
		const window = await newestWindow(
			db,
			Math.max(1, Math.floor(options.newestWindow ?? NEWEST_WINDOW))
		);
		const checked = parsed.all.some((group) => group.some((term) => term.kind !== 'word'));
		const [recent, titled] = await walking(db, async (walker) => [
			await newestMatches(walker, {
				match: sql`d.search_vector @@ (${positive}${none}${facets})`,
				where: pgWhere,
				limit: cap + 1,
				window,
				checked
			}),
			await newestMatches(walker, {
				// A match in the title is a match in the whole text: only exclusions and facets read
				// the whole vector (facets from its index, so a rare theme narrows titles too).
				match: groups.length
					? sql`d.title_vector @@ ${positive}${excluded} and d.search_vector @@ ${facetTsquerySql(groups)}`
					: sql`d.title_vector @@ ${positive}${excluded}`,
				where: pgWhere,
				limit: TITLE_CANDIDATES,
				window,
				// Titles are short: documents holding all the words in their title are few, so the
				// title index finds phrase candidates cheaply.
				checked: false
			})
		]);
		const candidates = [...new Set([...recent, ...titled])];
		const found = candidates.length
			? await sql<RawResult>`
			with q as materialized (select (${positive}${none}) as query),
			ranked as (
				select d.kind, d.doc_id, d.title, d.path, d.type, d.starts_at, d.organisation_id, d.body,
					ts_rank(d.search_vector, q.query) * ${freshnessSql(days)} as score
				from search_document d, q
				where d.id = any(${candidates}::bigint[])
				order by score desc, d.kind, d.doc_id
				limit ${limit} offset ${offset}
			)
			select r.kind, r.doc_id, r.title, r.path, r.type, r.starts_at, r.organisation_id, r.score,
				-- The parser would drop anything that looks like markup from the headline: hide '<' and
				-- '>' as two characters the stored text cannot hold, and put them back below.
				ts_headline('colab_search'::regconfig, translate(r.body, '<>', chr(3) || chr(4)), q.query, ${headline}) as snippet
			from ranked r, q
			order by r.score desc, r.kind, r.doc_id`.execute(db)
			: { rows: [] };
		rows = found.rows.map((row) => ({
			...row,
			snippet: row.snippet?.replaceAll('\u0003', '<').replaceAll('\u0004', '>') ?? null
		}));
		// The recent list is also the count: every visible match when it holds fewer than the cap.
		matched = recent.length;
	} else {
		const facets = facetGroupsFor(options, false);
		const match = toFts5Match(parsed, { facets });
		const titleMatch = toFts5Match(parsed, { titleOnly: true, facets });
		const days = sql<number>`(julianday(coalesce(d.starts_at, d.updated_at)) - julianday(${now}))`;
		const source = (expression: string, size: number) => sql`
			select * from (
				select d.id, (-bm25(search_fts, 2.5, 1.0, 0.0)) * ${freshnessSql(days)} as score
				from search_fts join search_document d on d.id = search_fts.rowid
				where search_fts match ${expression} and ${where}
				order by search_fts.rowid desc limit ${size}
			)`;
		// A title-only match scores its title alone, so a document found by both keeps its full
		// score (the larger: every part of bm25 here is positive).
		// The recent list (one past the cap) is also the count: every visible match, or "more".
		const found = await sql<RawResult & { id: number; matched: number }>`
			with recent as materialized (${source(match, cap + 1)}),
			best as (
				select id, max(score) as score from (
					select * from recent union all ${source(titleMatch, TITLE_CANDIDATES)}
				)
				group by id
			)
			select d.id, d.kind, d.doc_id, d.title, d.path, d.type, d.starts_at, d.organisation_id,
				best.score, (select count(*) from recent) as matched
			from best join search_document d on d.id = best.id
			order by best.score desc, d.kind, d.doc_id
			limit ${limit} offset ${offset}`.execute(db);
		const snippets = new Map<number, string | null>();
		if (found.rows.length) {
			// One lookup per shown result: `cross join` keeps the shown ids outside, so FTS5 seeks
			// each rowid (left to itself it would scan every match, as `rowid in (…)` does). The
			// cast matters: better-sqlite3 binds numbers as REAL, and FTS5 then skips `rowid =`
			// and scans every match for each id (seconds at 100,000 documents).
			const picked = await sql<{ id: number; snippet: string | null }>`
				with picked(id) as (values ${sql.join(found.rows.map((row) => sql`(cast(${row.id} as integer))`))})
				select picked.id, snippet(search_fts, 1, char(1), char(2), ' … ', 24) as snippet
				from picked cross join search_fts on search_fts.rowid = picked.id
				where search_fts match ${match}`.execute(db);
			for (const row of picked.rows) snippets.set(Number(row.id), row.snippet);
		}
		rows = found.rows.map((row) => ({ ...row, snippet: snippets.get(Number(row.id)) ?? null }));
		matched = found.rows[0]
			? Number(found.rows[0].matched)
			: offset > 0
				? await countMatches(
						db,
						sql`search_fts join search_document d on d.id = search_fts.rowid
							where search_fts match ${match} and ${where}`,
						cap
					)
				: 0;
	}

	return {
		total: Math.min(matched, cap),
		capped: matched > cap,
		results: rows.map((row) => ({
			kind: row.kind,
			docId: row.doc_id,
			title: row.title,
			path: row.path,
			type: row.type,
			startsAt: row.starts_at === null ? null : String(row.starts_at),
			organisationId: row.organisation_id,
			snippetHtml: snippetHtml(row.snippet),
			score: Number(row.score)
		}))
	};
}

/** Counts matches up to one more than `cap`, so a count never costs more than the cap. */
async function countMatches(db: Db, fromWhere: RawBuilder<unknown>, cap: number): Promise<number> {
	const counted = await sql<{ total: string | number }>`
		select count(*) as total from (select 1 from ${fromWhere} limit ${cap + 1}) m`.execute(db);
	return Number(counted.rows[0]?.total ?? 0);
}

/** How many characters of each body the spelling suggestions read. */
const SAMPLE_BODY_CHARACTERS = 4000;

interface MatchOptions {
	visibleTo: SearchViewer;
	limit: number;
	now?: string;
}

/**
 * Titles (and where they link) of documents the viewer may see whose title matches the typed
 * text, its last word as a prefix while it is still being typed: the suggestions under the
 * header's search box. Ranked as `searchDocuments` ranks, among the newest SEARCH_CANDIDATES
 * title matches (so a two-letter prefix costs no more than a word), with the same visibility
 * rules.
 */
export async function findTitleMatches(
	db: Db,
	options: MatchOptions & { query: string }
): Promise<Array<{ kind: string; docId: string; title: string; path: string }>> {
	const parsed = parseSearchQuery(options.query);
	if (!parsed) return [];
	const limit = Math.max(0, Math.min(MAX_SEARCH_LIMIT, Math.floor(options.limit) || 0));
	const now = options.now ?? new Date().toISOString();
	const cap = SEARCH_CANDIDATES;
	type Row = { kind: string; doc_id: string; title: string; path: string };
	let rows: Row[];
	if (isPostgres(db)) {
		const visible = visibleSql(options.visibleTo, sql`${now}::timestamptz`);
		const { positive, excluded } = tsqueryParts(parsed);
		const days = sql<number>`(extract(epoch from (coalesce(d.starts_at, d.updated_at) - ${now}::timestamptz)) / 86400.0)`;
		// The newest title matches found as a search finds its lists (see newestMatches), so a
		// prefix the planner takes for common does not walk every row.
		const window = await newestWindow(db, NEWEST_WINDOW);
		const candidates = await walking(db, (walker) =>
			newestMatches(walker, {
				match: sql`d.title_vector @@ ${positive}${excluded}`,
				where: visible,
				limit: cap,
				window,
				checked: false
			})
		);
		if (candidates.length === 0) return [];
		const found = await sql<Row>`
			with q as materialized (select ${positive} as query)
			select d.kind, d.doc_id, d.title, d.path
			from search_document d, q
			where d.id = any(${candidates}::bigint[])
			order by ts_rank(d.search_vector, q.query) * ${freshnessSql(days)} desc, d.title, d.kind, d.doc_id
			limit ${limit}`.execute(db);
		rows = found.rows;
	} else {
		const visible = visibleSql(options.visibleTo, sql`${now}`);
		const match = toFts5Match(parsed, { titleOnly: true });
		const days = sql<number>`(julianday(coalesce(d.starts_at, d.updated_at)) - julianday(${now}))`;
		const found = await sql<Row>`
			select d.kind, d.doc_id, d.title, d.path
			from (
				select d.id, (-bm25(search_fts, 2.5, 1.0, 0.0)) * ${freshnessSql(days)} as score
				from search_fts join search_document d on d.id = search_fts.rowid
				where search_fts match ${match} and ${visible}
				order by search_fts.rowid desc limit ${cap}
			) best join search_document d on d.id = best.id
			order by best.score desc, d.title, d.kind, d.doc_id
			limit ${limit}`.execute(db);
		rows = found.rows;
	}
	return rows.map((row) => ({
		kind: row.kind,
		docId: row.doc_id,
		title: row.title,
		path: row.path
	}));
}

/**
 * Titles and the start of the bodies of up to `limit` documents the viewer may see that hold a
 * word starting with `prefix`: where spelling suggestions come from, so a word only hidden
 * documents hold is never suggested.
 */
export async function findVisibleTextsWithPrefix(
	db: Db,
	options: MatchOptions & { prefix: string }
): Promise<Array<{ title: string; body: string }>> {
	const word = options.prefix.normalize('NFC').toLowerCase();
	if (!/^[\p{L}\p{N}][\p{L}\p{N}\p{M}]*$/u.test(word)) return [];
	const parsed = { all: [[{ kind: 'prefix' as const, word }]], none: [] };
	const limit = Math.max(0, Math.min(500, Math.floor(options.limit) || 0));
	const now = options.now ?? new Date().toISOString();
	type Row = { title: string; body: string };
	if (isPostgres(db)) {
		const visible = visibleSql(options.visibleTo, sql`${now}::timestamptz`);
		const found = await sql<Row>`
			select d.title, substr(d.body, 1, ${SAMPLE_BODY_CHARACTERS}) as body
			from search_document d
			where d.search_vector @@ ${tsquerySql(parsed)} and ${visible}
			limit ${limit}`.execute(db);
		return found.rows;
	}
	const visible = visibleSql(options.visibleTo, sql`${now}`);
	const found = await sql<Row>`
		select d.title, substr(d.body, 1, ${SAMPLE_BODY_CHARACTERS}) as body
		from search_fts join search_document d on d.id = search_fts.rowid
		where search_fts match ${toFts5Match(parsed)} and ${visible}
		limit ${limit}`.execute(db);
	return found.rows;
}

/** Document ids of one kind in order, `limit` at a time after `after`: for a reindex's sweep. */
export async function listSearchDocumentIds(
	db: Db,
	kind: string,
	batch: { after: string | null; limit: number }
): Promise<string[]> {
	let query = db
		.selectFrom('search_document')
		.select('doc_id')
		.where('kind', '=', kind)
		.orderBy('doc_id')
		.limit(batch.limit);
	if (batch.after !== null) query = query.where('doc_id', '>', batch.after);
	return (await query.execute()).map((row) => row.doc_id);
}

/** Removes every document whose kind is not in `kinds`; returns how many went, per kind. */
export async function removeSearchDocumentsOfOtherKinds(
	db: Db,
	kinds: readonly string[]
): Promise<Array<{ kind: string; count: number }>> {
	let counted = db
		.selectFrom('search_document')
		.select(['kind', (eb) => eb.fn.countAll<string | number>().as('count')])
		.groupBy('kind');
	if (kinds.length) counted = counted.where('kind', 'not in', kinds);
	const counts = await counted.execute();
	if (counts.length === 0) return [];
	let removal = db.deleteFrom('search_document');
	if (kinds.length) removal = removal.where('kind', 'not in', kinds);
	await removal.execute();
	return counts.map((row) => ({ kind: row.kind, count: Number(row.count) }));
}

/** Whether the index holds this document. */
export async function hasSearchDocument(db: Db, kind: string, docId: string): Promise<boolean> {
	const row = await db
		.selectFrom('search_document')
		.select('doc_id')
		.where('kind', '=', kind)
		.where('doc_id', '=', docId)
		.executeTakeFirst();
	return row !== undefined;
}
