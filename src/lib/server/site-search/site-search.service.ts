import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { SessionUser } from '../auth/auth.types';
import type { DB } from '../db/schema';
import { addDaysToDate, formatDate, localDayStartUtc } from '../events/event-time';
import { activeServiceAreas } from '../library/tags.service';
import { activeThemes } from '../posts/themes.service';
import {
	consumeRateLimit,
	rateLimitKey,
	type RateLimitRule
} from '../rate-limit/rate-limit.service';
import {
	MAX_QUERY_LENGTH,
	MAX_QUERY_TERMS,
	parseSearchQuery,
	queryShortening
} from '../search/search.query';
import type { SearchRegistration } from '../search/search.registry';
import { searchDocuments, type SearchViewer } from '../search/search.repository';
import { suggestSpelling, suggestTitles } from '../search/search.suggest';
import { SEARCH_REGISTRATIONS } from './site-search.registry';

type Db = Kysely<DB> | Transaction<DB>;
type Registrations = readonly SearchRegistration<any>[];

/** Results on one page of /search. */
export const RESULTS_PER_PAGE = 20;
/** The deepest page a link may ask for; nobody reads further, and it bounds the work. */
export const MAX_PAGE = 500;

export type SearchWhen = 'upcoming' | 'past';

/** What /search was asked, read from its address. */
export interface SiteSearchRequest {
	/** The query as typed (kept whole for the box, even when longer than is searched). */
	query: string;
	types: string[];
	theme: string | null;
	/** 'YYYY-MM-DD' as typed, kept even when not a date, so the box shows it with its message. */
	from: string;
	to: string;
	when: SearchWhen | null;
	page: number;
}

/** Messages beside the fields the address got wrong, and notes about what was left out. */
export interface SiteSearchProblems {
	errors: Partial<Record<'from' | 'to', string>>;
	notices: string[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_MESSAGE = 'Enter a date as year, month and day, like 2026-12-31';

function isRealDate(text: string): boolean {
	if (!DATE.test(text)) return false;
	const date = new Date(`${text}T00:00:00Z`);
	return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

const paramsSchema = z.object({
	q: z.string().catch(''),
	type: z.array(z.string()).catch([]),
	theme: z.string().trim().catch(''),
	from: z.string().trim().catch(''),
	to: z.string().trim().catch(''),
	when: z.enum(['upcoming', 'past']).nullable().catch(null),
	page: z.coerce.number().int().min(1).max(MAX_PAGE).catch(1)
});

/**
 * Reads /search's address: never fails. Unknown types are ignored (with a note), a page number
 * out of range is page 1, and dates that are not dates get a message beside their field.
 */
export function parseSiteSearchParams(
	params: URLSearchParams,
	registrations: Registrations = SEARCH_REGISTRATIONS
): { request: SiteSearchRequest; problems: SiteSearchProblems } {
	const raw = paramsSchema.parse({
		q: params.get('q') ?? '',
		type: params.getAll('type'),
		theme: params.get('theme') ?? '',
		from: params.get('from') ?? '',
		to: params.get('to') ?? '',
		when: params.get('when') || null,
		page: params.get('page') ?? 1
	});
	const known = new Set(registrations.map((r) => r.kind));
	const types = [...new Set(raw.type)].filter((type) => known.has(type));
	const unknown = raw.type.filter((type) => type !== '' && !known.has(type));
	const problems: SiteSearchProblems = { errors: {}, notices: [] };
	if (unknown.length) {
		problems.notices.push(
			'The link asked for a kind of result we do not have, so we searched every kind instead.'
		);
	}
	if (raw.from && !isRealDate(raw.from)) problems.errors.from = `${DATE_MESSAGE}.`;
	if (raw.to && !isRealDate(raw.to)) problems.errors.to = `${DATE_MESSAGE}.`;
	if (!problems.errors.from && !problems.errors.to && raw.from && raw.to && raw.to < raw.from) {
		problems.errors.to = 'The “To” date must be the same as or after the “From” date.';
	}
	return {
		request: {
			query: raw.q.replace(/^\s+/, ''),
			types: types.length === known.size ? [] : types,
			theme: raw.theme || null,
			from: raw.from,
			to: raw.to,
			when: raw.when,
			page: raw.page
		},
		problems
	};
}

export interface SiteSearchResult {
	kind: string;
	docId: string;
	label: string;
	title: string;
	path: string;
	/** The item's date in words (when it happens, or was published), or null. */
	date: string | null;
	startsAt: string | null;
	/** Safe HTML: escaped text, matched words in `<mark>` (see search.snippet.ts). */
	snippetHtml: string;
}

export interface SiteSearchPage {
	results: SiteSearchResult[];
	/** Matches, exact up to SEARCH_CANDIDATES (200). */
	total: number;
	/** More matches than that: the page says "More than 200 results". */
	capped: boolean;
	page: number;
	pageCount: number;
	/** Set when the query was cut before it was searched: the page must say so. */
	shortened: 'characters' | 'terms' | null;
	/** A corrected query that finds something, offered when this one found nothing. */
	didYouMean: string | null;
	/** The query had something to search for (not empty, not only stop words or symbols). */
	searched: boolean;
}

/** The audience keys this person holds, from every registration that has team-only documents. */
export async function viewerFor(
	db: Db,
	user: Pick<SessionUser, 'id'> | null,
	registrations: Registrations = SEARCH_REGISTRATIONS
): Promise<SearchViewer> {
	if (!user) return { signedIn: false, audiences: [] };
	const lists = await Promise.all(
		registrations.map((r) => (r.audiencesFor ? r.audiencesFor(db, user.id) : []))
	);
	return { signedIn: true, audiences: [...new Set(lists.flat())] };
}

/** The sentence a page shows when the query was cut, or null. */
export function shorteningMessage(shortened: SiteSearchPage['shortened']): string | null {
	if (shortened === 'characters')
		return `Your search was long, so we searched for the first ${MAX_QUERY_LENGTH} characters.`;
	if (shortened === 'terms')
		return `Your search had many words, so we searched for the first ${MAX_QUERY_TERMS} words.`;
	return null;
}

/**
 * One page of site search for a visitor or a signed-in person: only what they may open, each
 * result labelled with its kind, and a spelling suggestion when nothing is found.
 */
export async function searchSite(
	db: Db,
	request: Omit<SiteSearchRequest, 'when'> & { when?: SearchWhen | null },
	viewer: Pick<SessionUser, 'id'> | null,
	options: { timeZone: string; now?: string; registrations?: Registrations } = {
		timeZone: 'Europe/London'
	}
): Promise<SiteSearchPage> {
	const registrations = options.registrations ?? SEARCH_REGISTRATIONS;
	const now = options.now ?? new Date().toISOString();
	const labels = new Map(registrations.map((r) => [r.kind, r.label]));
	const kinds = request.types.length
		? request.types.filter((t) => labels.has(t))
		: registrations.map((r) => r.kind);
	const visibleTo = await viewerFor(db, viewer, registrations);
	const range = dateRange(request, options.timeZone, now);
	const page = Math.max(1, Math.min(MAX_PAGE, Math.floor(request.page) || 1));
	// A submitted search matches whole words (and their stems); prefixes are for suggestions.
	const base = {
		query: request.query,
		kinds,
		theme: request.theme,
		...range,
		visibleTo,
		now,
		prefix: false
	};
	const found = await searchDocuments(db, {
		...base,
		limit: RESULTS_PER_PAGE,
		offset: (page - 1) * RESULTS_PER_PAGE
	});
	const searched = parseSearchQuery(request.query) !== null;
	const didYouMean = found.total === 0 && searched ? await suggestSpelling(db, base) : null;
	return {
		results: found.results.map((r) => ({
			kind: r.kind,
			docId: r.docId,
			label: labels.get(r.kind) ?? r.kind,
			title: r.title,
			path: r.path,
			date: r.startsAt ? formatDate(r.startsAt, options.timeZone) : null,
			startsAt: r.startsAt,
			snippetHtml: r.snippetHtml
		})),
		total: found.total,
		capped: found.capped,
		page,
		pageCount: Math.min(MAX_PAGE, Math.ceil(found.total / RESULTS_PER_PAGE)),
		shortened: queryShortening(request.query),
		didYouMean,
		searched
	};
}

/** The filter's moments: "to" is inclusive (before the next day starts); dates that are not dates are left out. */
function dateRange(
	request: { from: string; to: string; when?: SearchWhen | null },
	timeZone: string,
	now: string
): { from: string | null; before: string | null } {
	let from = isRealDate(request.from) ? localDayStartUtc(request.from, timeZone) : null;
	let before = isRealDate(request.to)
		? localDayStartUtc(addDaysToDate(request.to, 1), timeZone)
		: null;
	if (request.when === 'upcoming' && (!from || from < now)) from = now;
	if (request.when === 'past' && (!before || before > now)) before = now;
	return { from, before };
}

/**
 * Choices for the theme filter, by name: the blog's themes and the library's service areas
 * (case studies, pilots and champions are filed under those). Documents keep either as the
 * same kind of key, so a theme and a service area with one slug are one choice, under the
 * theme's name.
 */
export async function searchThemeOptions(db: Db): Promise<Array<{ value: string; label: string }>> {
	const [themes, areas] = await Promise.all([activeThemes(db), activeServiceAreas(db)]);
	const names = new Map<string, string>();
	for (const theme of themes) names.set(theme.slug, theme.name);
	for (const area of areas) if (!names.has(area.slug)) names.set(area.slug, area.label);
	return [...names]
		.map(([value, label]) => ({ value, label }))
		.sort((a, b) => a.label.localeCompare(b.label, 'en'));
}

/** Choices for the type filter, in the order of the central list. */
export function searchTypeOptions(
	registrations: Registrations = SEARCH_REGISTRATIONS
): Array<{ value: string; label: string }> {
	return registrations.map((r) => ({ value: r.kind, label: r.label }));
}

export interface SiteSuggestion {
	title: string;
	path: string;
	label: string;
}

/** Titles for the header's suggestions as someone types: only what they may open. */
export async function suggestSiteTitles(
	db: Db,
	typed: string,
	viewer: Pick<SessionUser, 'id'> | null,
	options: { limit?: number; registrations?: Registrations; now?: string } = {}
): Promise<SiteSuggestion[]> {
	const registrations = options.registrations ?? SEARCH_REGISTRATIONS;
	const text = String(typed ?? '')
		.replace(/^\s+/, '')
		.slice(0, 100);
	if (text.trim().length < 2) return [];
	const labels = new Map(registrations.map((r) => [r.kind, r.label]));
	const visibleTo = await viewerFor(db, viewer, registrations);
	const found = await suggestTitles(db, {
		prefix: text,
		visibleTo,
		limit: options.limit ?? 8,
		now: options.now
	});
	return found
		.filter((s) => labels.has(s.kind))
		.map((s) => ({ title: s.title, path: s.path, label: labels.get(s.kind) ?? s.kind }));
}

/** Suggestion requests one address may make a minute: plenty for typing, little for scraping. */
export const SUGGEST_RULE: RateLimitRule = { limit: 120, windowSeconds: 60 };

/**
 * Title suggestions for the header's box, counted against the client's address: refused with a
 * wait when someone asks far faster than anyone types.
 */
export async function suggestAsTyped(
	db: Kysely<DB>,
	typed: string,
	viewer: Pick<SessionUser, 'id'> | null,
	clientAddress: string
): Promise<{ ok: true; suggestions: SiteSuggestion[] } | { ok: false; retryAfterSeconds: number }> {
	const allowed = await consumeRateLimit(
		db,
		rateLimitKey('search-suggest', 'ip', clientAddress),
		SUGGEST_RULE
	);
	if (!allowed.ok) return allowed;
	return { ok: true, suggestions: await suggestSiteTitles(db, typed, viewer) };
}
