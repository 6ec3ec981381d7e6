/**
 * Turns what a person typed into a query each engine can run safely. Nothing typed reaches an
 * engine's query language: the text is cut into words (runs of letters, digits and combining
 * marks), and only those words are passed on, quoted (FTS5) or as bound parameters
 * (PostgreSQL). What a person can say:
 *
 * - `two words`: both must be there;
 * - `"a phrase"`: the words next to each other (an unclosed quote runs to the end);
 * - `-word` or `-"a phrase"`: must not be there;
 * - `this OR that`: either (OR in capitals, between two terms);
 * - the last word, while still being typed (no space after it), matches as a prefix.
 *
 * Everything else (operators, brackets, column filters, punctuation, emoji, control characters)
 * only separates words. English stop words are dropped outside phrases on both engines, as
 * PostgreSQL's English configuration drops them, so both find the same things.
 */

/** The most terms (words, phrases, exclusions) a query keeps; the rest is ignored. */
export const MAX_QUERY_TERMS = 12;
/** The most words kept in one phrase. */
export const MAX_PHRASE_WORDS = 8;
/** Longer input is cut before it is read, so a 10,000-character query costs no more. */
export const MAX_QUERY_LENGTH = 512;
/** Longer words are dropped: no real word is this long, and it keeps the index lookups small. */
export const MAX_WORD_LENGTH = 40;

export type SearchTerm =
	| { kind: 'word'; word: string }
	| { kind: 'prefix'; word: string }
	| { kind: 'phrase'; words: string[] };

export interface ParsedQuery {
	/** Every group must match; a group matches when any of its terms does. */
	all: SearchTerm[][];
	/** None of these may match. */
	none: SearchTerm[];
}

// PostgreSQL's english.stop, so words it ignores are ignored on SQLite too.
const STOP_WORDS = new Set(
	(
		'i me my myself we our ours ourselves you your yours yourself yourselves he him his himself ' +
		'she her hers herself it its itself they them their theirs themselves what which who whom ' +
		'this that these those am is are was were be been being have has had having do does did ' +
		'doing a an the and but if or because as until while of at by for with about against ' +
		'between into through during before after above below to from up down in out on off over ' +
		'under again further then once here there when where why how all any both each few more ' +
		'most other some such no nor not only own same so than too very s t can will just don ' +
		'should now'
	).split(' ')
);

// A word starts with a letter or digit: a lone mark (an emoji's variation selector, a stray
// accent) is no word to either engine, and FTS5 would read it as an empty phrase.
const WORD = /[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu;

function wordsOf(text: string): string[] {
	return (text.normalize('NFC').toLowerCase().match(WORD) ?? []).filter(
		(word) => word.length <= MAX_WORD_LENGTH
	);
}

function withoutEndStopWords(words: string[]): string[] {
	let start = 0;
	let end = words.length;
	while (start < end && STOP_WORDS.has(words[start] ?? '')) start++;
	while (end > start && STOP_WORDS.has(words[end - 1] ?? '')) end--;
	return words.slice(start, end);
}

interface Token {
	negated: boolean;
	or: boolean;
	term: SearchTerm;
}

/**
 * Reads typed text into terms; returns null when nothing searchable is left. With
 * `prefix: false` (a submitted search, not one being typed) the last word is a whole word too.
 */
export function parseSearchQuery(
	input: string,
	options: { prefix?: boolean } = {}
): ParsedQuery | null {
	return readQuery(input, MAX_QUERY_TERMS, options.prefix ?? true);
}

/**
 * Whether a query was cut before it was searched, so a page can say so: 'characters' when it
 * was longer than MAX_QUERY_LENGTH, 'terms' when it had more than MAX_QUERY_TERMS terms.
 */
export function queryShortening(input: string): 'characters' | 'terms' | null {
	const text = String(input ?? '');
	if (text.length > MAX_QUERY_LENGTH) return 'characters';
	const read = readQuery(text, MAX_QUERY_TERMS + 1, true);
	const terms = read ? read.all.flat().length + read.none.length : 0;
	return terms > MAX_QUERY_TERMS ? 'terms' : null;
}

function readQuery(input: string, maxTerms: number, prefixLast: boolean): ParsedQuery | null {
	const text = String(input ?? '').slice(0, MAX_QUERY_LENGTH);
	const tokens: Token[] = [];
	// Quoted phrases, or runs of anything but spaces and quotes; a leading '-' negates.
	const pieces = /(-?)"([^"]*)"?|(\S+?)(?=\s|"|$)/gu;
	let pendingOr = false;
	let match: RegExpExecArray | null;
	while ((match = pieces.exec(text)) !== null) {
		if (match[0] === '') {
			pieces.lastIndex++;
			continue;
		}
		if (tokens.length >= maxTerms) break;
		if (match[2] !== undefined) {
			// Stop words at either end of a phrase are dropped, as PostgreSQL drops them (one
			// inside a phrase stays: FTS5 then wants that very word where PostgreSQL takes any).
			const words = withoutEndStopWords(wordsOf(match[2])).slice(0, MAX_PHRASE_WORDS);
			const [first] = words;
			if (first === undefined) continue;
			const term: SearchTerm =
				words.length === 1 ? { kind: 'word', word: first } : { kind: 'phrase', words };
			if (term.kind === 'word' && STOP_WORDS.has(term.word)) continue;
			tokens.push({ negated: match[1] === '-', or: pendingOr, term });
			pendingOr = false;
			continue;
		}
		const raw = match[3] ?? '';
		if (raw === 'OR') {
			pendingOr = tokens.length > 0;
			continue;
		}
		const negated = raw.startsWith('-') && raw.length > 1;
		const last = prefixLast && match.index + match[0].length === text.length && !/\s$/.test(text);
		const words = wordsOf(raw).filter((word) => !STOP_WORDS.has(word));
		words.forEach((word, i) => {
			if (tokens.length >= maxTerms) return;
			const prefix = last && !negated && i === words.length - 1;
			tokens.push({
				// "-well-known" excludes each of its words; "a-b" simply needs both.
				negated,
				or: i === 0 && pendingOr,
				term: prefix ? { kind: 'prefix', word } : { kind: 'word', word }
			});
		});
		pendingOr = false;
	}

	const all: SearchTerm[][] = [];
	const none: SearchTerm[] = [];
	for (const token of tokens) {
		if (token.negated) none.push(token.term);
		else if (token.or && all.length > 0) all.at(-1)?.push(token.term);
		else all.push([token.term]);
	}
	// Only exclusions would mean "everything except": nothing found is the clearer answer.
	return all.length === 0 ? null : { all, none };
}

function fts5Term(term: SearchTerm): string {
	// Words hold only letters, digits and marks, so a double-quoted string is always literal.
	if (term.kind === 'phrase') return `"${term.words.join(' ')}"`;
	return term.kind === 'prefix' ? `"${term.word}"*` : `"${term.word}"`;
}

function fts5Any(terms: SearchTerm[]): string {
	const parts = terms.map(fts5Term);
	return parts.length === 1 ? parts.join('') : `(${parts.join(' OR ')})`;
}

/** Facet words (search.facets.ts): every group must match, any word of a group will do. */
export type FacetGroups = readonly (readonly string[])[];

/**
 * An FTS5 MATCH expression built from quoted words only. People's words search titles and
 * bodies (never the facets column); `titleOnly` asks for them in titles (exclusions still apply
 * to the whole text). `facets` narrows to documents carrying a word of each group.
 */
export function toFts5Match(
	query: ParsedQuery,
	options: { titleOnly?: boolean; facets?: FacetGroups } = {}
): string {
	const words = query.all.map(fts5Any).join(' AND ');
	let positive = options.titleOnly ? `title : (${words})` : words;
	for (const group of options.facets ?? []) {
		// Facet words are lower-case letters and digits, so quoting keeps them literal.
		if (group.length) positive += ` AND (${group.map((word) => `"${word}"`).join(' OR ')})`;
	}
	if (query.none.length === 0) return positive;
	return `(${positive}) NOT ${fts5Any(query.none)}`;
}

/**
 * One piece of a PostgreSQL tsquery: the function to call and its text, passed as a bound
 * parameter. `to_tsquery` only ever sees a single word in quotes followed by `:*`.
 */
export type TsqueryPart =
	| { fn: 'plainto_tsquery'; text: string }
	| { fn: 'phraseto_tsquery'; text: string }
	| { fn: 'to_tsquery'; text: string };

export interface TsqueryPlan {
	all: TsqueryPart[][];
	none: TsqueryPart[];
}

function tsqueryPart(term: SearchTerm): TsqueryPart {
	if (term.kind === 'phrase') return { fn: 'phraseto_tsquery', text: term.words.join(' ') };
	if (term.kind === 'prefix') return { fn: 'to_tsquery', text: `'${term.word}':*` };
	return { fn: 'plainto_tsquery', text: term.word };
}

/** The pieces of a PostgreSQL tsquery, combined with && / || / !! by the repository. */
export function toTsqueryPlan(query: ParsedQuery): TsqueryPlan {
	return {
		all: query.all.map((group) => group.map(tsqueryPart)),
		none: query.none.map(tsqueryPart)
	};
}
