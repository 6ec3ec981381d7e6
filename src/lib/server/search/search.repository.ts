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
import { MARK_END, MARK_START, snippetHtml, withoutControlCharacters } from './search.snippet';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * Writes (or rewrites) one document, inside the caller's transaction when given one, so the
 * index changes with the row it describes. On SQLite triggers keep `search_fts` in step.
 */
export async function upsertSearchDocument(db: Db, doc: SearchDocument): Promise<void> {
	const row = {
		kind: doc.kind,
		doc_id: doc.docId,
		title: withoutControlCharacters(doc.title),
		body: withoutControlCharacters(doc.body),
		path: doc.path,
		type: doc.type ?? null,
		themes: (doc.themes ?? []).map((theme) => theme.replace(/\s+/g, '-')).join(' '),
		format: doc.format ?? null,
		starts_at: doc.startsAt ?? null,
		organisation_id: doc.organisationId ?? null,
		visibility: doc.visibility,
		visible_from: doc.visibleFrom ?? null,
		updated_at: doc.updatedAt
	};
	const { kind: _kind, doc_id: _docId, ...changes } = row;
	await db
		.insertInto('search_document')
		.values(row)
		.onConflict((oc) => oc.columns(['kind', 'doc_id']).doUpdateSet(changes))
		.execute();
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
	/** True when there are more matches than SEARCH_CANDIDATES ("more than 500 results"). */
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

function visibleSql(viewer: SearchViewer, now: RawBuilder<unknown>): RawBuilder<unknown> {
	const allowed = ['public'];
	if (viewer.signedIn) allowed.push('members');
	// 'public' and 'members' are not audience keys, whatever a caller passes.
	for (const key of viewer.audiences) if (key.includes(':')) allowed.push(key);
	return sql`d.visibility in (${sql.join(allowed)}) and (d.visible_from is null or d.visible_from <= ${now})`;
}

/** Theme and date filters; every value is bound, none is typed into the SQL. */
function filtersSql(
	options: SearchOptions,
	at: (iso: string) => RawBuilder<unknown>
): RawBuilder<unknown> {
	const parts: RawBuilder<unknown>[] = [];
	if (options.theme) {
		const key = options.theme
			.trim()
			.replace(/\s+/g, '-')
			.replace(/[!%_]/g, (c) => '!' + c);
		parts.push(sql`(' ' || d.themes || ' ') like ${'% ' + key + ' %'} escape '!'`);
	}
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

/** The whole PostgreSQL tsquery for a parsed query, every piece a bound parameter. */
function tsquerySql(parsed: ParsedQuery): RawBuilder<unknown> {
	const plan = toTsqueryPlan(parsed);
	const query = sql`(${sql.join(plan.all.map(anySql), sql` && `)})`;
	return plan.none.length ? sql`(${query} && !!${anySql(plan.none)})` : query;
}

/**
 * How many matching documents a search ranks, at most, from each of two sources: the most
 * recently indexed matches, and the most recently indexed matches in titles (so an older page
 * whose title matches is still found). Ranking every match of a word found in most documents
 * costs time in proportion to the index (about 170 ms at 100,000 documents on SQLite); ranking
 * a bounded set keeps a search's cost flat as the index grows. Counts stop there too: "more
 * than 500 results" is said as such.
 */
export const SEARCH_CANDIDATES = 500;

/** The titles' own vector, as migration 40 indexes it (the expression must match exactly). */
const TITLE_VECTOR = sql`to_tsvector('colab_search'::regconfig, translate(d.title, '<>/', '   '))`;

/**
 * Ranked documents the viewer may see, with a highlighted snippet each and the total count
 * (exact up to SEARCH_CANDIDATES; `capped` when there are more). Visibility is part of the SQL,
 * so hidden documents reach neither results nor counts.
 */
export async function searchDocuments(db: Db, options: SearchOptions): Promise<SearchPage> {
	const parsed = parseSearchQuery(options.query, { prefix: options.prefix });
	if (!parsed) return { results: [], total: 0, capped: false };
	const limit = Math.max(0, Math.min(MAX_SEARCH_LIMIT, Math.floor(options.limit) || 0));
	const offset = Math.max(0, Math.floor(options.offset) || 0);
	const now = options.now ?? new Date().toISOString();
	const pg = isPostgres(db);
	const at = (iso: string) => (pg ? sql`${iso}::timestamptz` : sql`${iso}`);
	const where = sql`${visibleSql(options.visibleTo, at(now))} and ${kindsSql(options.kinds)} and ${filtersSql(options, at)}`;
	const cap = SEARCH_CANDIDATES;

	let rows: RawResult[];
	let matched: number;
	if (pg) {
		const plan = toTsqueryPlan(parsed);
		const positive = sql`(${sql.join(plan.all.map(anySql), sql` && `)})`;
		const none = plan.none.length ? sql` && !!${anySql(plan.none)}` : sql``;
		const days = sql<number>`(extract(epoch from (coalesce(d.starts_at, d.updated_at) - ${now}::timestamptz)) / 86400.0)`;
		const headline = sql`${'StartSel=' + MARK_START + ', StopSel=' + MARK_END + ', MaxWords=30, MinWords=12, MaxFragments=1, FragmentDelimiter=" … "'}`;
		const found = await sql<RawResult & { matched: string | number }>`
			with q as materialized (select (${positive}${none}) as query),
			-- The query is written out in both lists (not read from q), so the planner sees it and
			-- can use the words' statistics: for a common word it walks the newest rows and stops at
			-- the limit (10 ms at 100,000 documents) instead of fetching every match (700 ms).
			recent as (
				select d.id from search_document d
				where d.search_vector @@ (${positive}${none}) and ${where}
				order by d.id desc limit ${cap + 1}
			),
			titled as (
				select d.id from search_document d
				where ${TITLE_VECTOR} @@ ${positive} and d.search_vector @@ (${positive}${none})
					and ${where}
				-- '+ 0': titles that match are few, so read them from the title index; walking the
				-- newest rows instead would build every title's vector until enough matched.
				order by d.id + 0 desc limit ${cap}
			),
			ranked as (
				select d.kind, d.doc_id, d.title, d.path, d.type, d.starts_at, d.organisation_id, d.body,
					ts_rank(d.search_vector, q.query) * ${freshnessSql(days)} as score
				from (select id from recent union select id from titled) c
				join search_document d on d.id = c.id, q
				order by score desc, d.kind, d.doc_id
				limit ${limit} offset ${offset}
			)
			select r.kind, r.doc_id, r.title, r.path, r.type, r.starts_at, r.organisation_id, r.score,
				(select count(*) from recent) as matched,
				-- The parser would drop anything that looks like markup from the headline: hide '<' and
				-- '>' as two characters the stored text cannot hold, and put them back below.
				ts_headline('colab_search'::regconfig, translate(r.body, '<>', chr(3) || chr(4)), q.query, ${headline}) as snippet
			from ranked r, q
			order by r.score desc, r.kind, r.doc_id`.execute(db);
		rows = found.rows.map((row) => ({
			...row,
			snippet: row.snippet?.replaceAll('\u0003', '<').replaceAll('\u0004', '>') ?? null
		}));
		// The recent list is also the count: every visible match when it holds fewer than the cap.
		matched = found.rows[0]
			? Number(found.rows[0].matched)
			: offset > 0
				? await countMatches(
						db,
						sql`search_document d where d.search_vector @@ (${positive}${none}) and ${where}`,
						cap
					)
				: 0;
	} else {
		const match = toFts5Match(parsed);
		const titleMatch = toFts5Match(parsed, { titleOnly: true });
		const days = sql<number>`(julianday(coalesce(d.starts_at, d.updated_at)) - julianday(${now}))`;
		const source = (expression: string, size: number) => sql`
			select * from (
				select d.id, (-bm25(search_fts, 2.5, 1.0)) * ${freshnessSql(days)} as score
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
					select * from recent union all ${source(titleMatch, cap)}
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
 * header's search box. Ranked as `searchDocuments` ranks, with the same visibility rules.
 */
export async function findTitleMatches(
	db: Db,
	options: MatchOptions & { query: string }
): Promise<Array<{ kind: string; docId: string; title: string; path: string }>> {
	const parsed = parseSearchQuery(options.query);
	if (!parsed) return [];
	const limit = Math.max(0, Math.min(MAX_SEARCH_LIMIT, Math.floor(options.limit) || 0));
	const now = options.now ?? new Date().toISOString();
	type Row = { kind: string; doc_id: string; title: string; path: string };
	let rows: Row[];
	if (isPostgres(db)) {
		const visible = visibleSql(options.visibleTo, sql`${now}::timestamptz`);
		const query = tsquerySql(parsed);
		const days = sql<number>`(extract(epoch from (coalesce(d.starts_at, d.updated_at) - ${now}::timestamptz)) / 86400.0)`;
		// The vector finds candidates by its index; the title's own vector keeps title matches.
		const found = await sql<Row>`
			with q as (select ${query} as query)
			select d.kind, d.doc_id, d.title, d.path
			from search_document d, q
			where d.search_vector @@ q.query and ${visible}
				and ${TITLE_VECTOR} @@ q.query
			order by ts_rank(d.search_vector, q.query) * ${freshnessSql(days)} desc, d.title, d.kind, d.doc_id
			limit ${limit}`.execute(db);
		rows = found.rows;
	} else {
		const visible = visibleSql(options.visibleTo, sql`${now}`);
		const match = `title : (${toFts5Match(parsed)})`;
		const days = sql<number>`(julianday(coalesce(d.starts_at, d.updated_at)) - julianday(${now}))`;
		const found = await sql<Row>`
			select d.kind, d.doc_id, d.title, d.path
			from search_fts join search_document d on d.id = search_fts.rowid
			where search_fts match ${match} and ${visible}
			order by (-bm25(search_fts, 2.5, 1.0)) * ${freshnessSql(days)} desc, d.title, d.kind, d.doc_id
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
