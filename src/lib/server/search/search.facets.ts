/**
 * Facets as index words. Each document's kind and themes, and whether it has a date, are
 * written into the full-text index as made-up words (`search_document.facets`), so that a
 * filtered search is narrowed by the index itself: the engine intersects the word's list with
 * the facet's list, instead of reading row after row of a common word to find the few that
 * pass a filter (a theme that 4 % of documents carry made SQLite read 12,000 rows for 500).
 *
 * Each value is spelled out exactly (letters a to z other than x, and digits, as they are; any
 * other character as 'x' and its six-digit code), so two values never make the same word and
 * PostgreSQL, which keeps the words verbatim, can filter by them alone. SQLite's tokenizer
 * stems words, so there the exact rules stay in SQL beside them and the words only narrow what
 * is read. Measured and left out: the audience (most documents are public, so intersecting
 * with it only adds work) and months (a date filter spanning a year became an OR of twelve
 * lists, slower than reading rows).
 *
 * On PostgreSQL each facet word is stored with a leading '#', which no word of a query can
 * hold; on SQLite someone who types one finds only what the filter would have shown them.
 */

/** Which facet a word stands for: a letter after the shared prefix. */
type FacetName = 'kind' | 'theme';
const LETTER: Record<FacetName, string> = { kind: 'k', theme: 't' };

/** One facet word: the prefix, the facet's letter, the value spelled out exactly. */
export function facetWord(name: FacetName, value: string): string {
	const spelled = value.replace(
		/[^a-wyz0-9]/gu,
		(c) => 'x' + (c.codePointAt(0) ?? 0).toString(16).padStart(6, '0')
	);
	return `zf${LETTER[name]}${spelled}`;
}

/** The word every document with a date (`startsAt`) carries, for date filters. */
export const DATED_FACET = 'zfdated';

/** The facet words of one document, space-separated, as `search_document.facets` holds them. */
export function documentFacets(doc: {
	kind: string;
	themes: readonly string[];
	startsAt: string | null;
}): string {
	const words = [facetWord('kind', doc.kind)];
	for (const theme of doc.themes) words.push(facetWord('theme', theme));
	if (doc.startsAt) words.push(DATED_FACET);
	return [...new Set(words)].join(' ');
}
