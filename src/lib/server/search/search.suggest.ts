import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import { parseSearchQuery, type SearchTerm } from './search.query';
import {
	findTitleMatches,
	findVisibleTextsWithPrefix,
	searchDocuments,
	type SearchOptions,
	type SearchViewer
} from './search.repository';

type Db = Kysely<DB> | Transaction<DB>;

/** How many visible documents one word's spelling suggestions are read from. */
const SAMPLE_DOCUMENTS = 200;

export interface TitleSuggestion {
	kind: string;
	title: string;
	path: string;
}

/**
 * Titles that match what is being typed (its last word as a prefix), for the suggestions under
 * the header's search box: only documents the viewer may see, best first, one per address.
 */
export async function suggestTitles(
	db: Db,
	options: { prefix: string; visibleTo: SearchViewer; limit?: number; now?: string }
): Promise<TitleSuggestion[]> {
	const limit = Math.max(1, Math.min(20, options.limit ?? 8));
	const found = await findTitleMatches(db, {
		query: options.prefix,
		visibleTo: options.visibleTo,
		limit: limit * 2,
		now: options.now
	});
	const seen = new Set<string>();
	const suggestions: TitleSuggestion[] = [];
	for (const match of found) {
		if (seen.has(match.path)) continue;
		seen.add(match.path);
		suggestions.push({ kind: match.kind, title: match.title, path: match.path });
		if (suggestions.length === limit) break;
	}
	return suggestions;
}

/**
 * Damerau–Levenshtein distance (optimal string alignment): insertions, deletions,
 * substitutions and swaps of two neighbouring letters each cost 1.
 */
export function editDistance(a: string, b: string): number {
	const x = [...a];
	const y = [...b];
	const rows: number[][] = Array.from({ length: x.length + 1 }, (_, i) =>
		Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0))
	);
	for (let i = 1; i <= x.length; i++) {
		for (let j = 1; j <= y.length; j++) {
			const cost = x[i - 1] === y[j - 1] ? 0 : 1;
			let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
			if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) {
				best = Math.min(best, rows[i - 2]![j - 2]! + 1);
			}
			rows[i]![j] = best;
		}
	}
	return rows[x.length]![y.length]!;
}

/** The furthest a suggestion may be from what was typed: 1 for short words, 2 for longer. */
function allowedDistance(word: string): number {
	return [...word].length <= 5 ? 1 : 2;
}

const WORD = /[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu;

function wordsOf(text: string): string[] {
	return text.normalize('NFC').toLowerCase().match(WORD) ?? [];
}

/** The words of a query a spelling could be suggested for: not exclusions, not numbers. */
function typedWords(terms: SearchTerm[][]): string[] {
	const words = terms.flat().flatMap((term) => (term.kind === 'phrase' ? term.words : [term.word]));
	return [...new Set(words)].filter((word) => [...word].length >= 3 && !/^\p{N}+$/u.test(word));
}

/** The closest word to `word` among the words of documents the viewer may see, if near enough. */
async function closestVisibleWord(
	db: Db,
	word: string,
	viewer: SearchViewer,
	now: string | undefined
): Promise<string | null> {
	const letters = [...word];
	const limit = allowedDistance(word);
	// The first three letters give a close sample; a slip in the third letter needs two.
	const prefixes = [...new Set([letters.slice(0, 3).join(''), letters.slice(0, 2).join('')])];
	for (const prefix of prefixes) {
		if ([...prefix].length >= letters.length) continue;
		const texts = await findVisibleTextsWithPrefix(db, {
			prefix,
			visibleTo: viewer,
			limit: SAMPLE_DOCUMENTS,
			now
		});
		const counts = new Map<string, number>();
		for (const text of texts) {
			for (const candidate of wordsOf(`${text.title} ${text.body}`)) {
				counts.set(candidate, (counts.get(candidate) ?? 0) + 1);
			}
		}
		if (counts.has(word)) return null;
		let best: { word: string; distance: number; count: number } | null = null;
		for (const [candidate, count] of counts) {
			if (Math.abs([...candidate].length - letters.length) > limit) continue;
			const distance = editDistance(word, candidate);
			if (distance === 0 || distance > limit) continue;
			if (
				!best ||
				distance < best.distance ||
				(distance === best.distance && count > best.count) ||
				(distance === best.distance && count === best.count && candidate < best.word)
			) {
				best = { word: candidate, distance, count };
			}
		}
		if (best) return best.word;
	}
	return null;
}

/**
 * For a search that found nothing: the same query with each misspelt word replaced by the
 * closest word in documents the viewer may see, or null when there is no such spelling or the
 * corrected query would find nothing either. Words of documents the viewer may not see are
 * never read, so a suggestion cannot give them away.
 */
export async function suggestSpelling(
	db: Db,
	options: Omit<SearchOptions, 'limit' | 'offset'>
): Promise<string | null> {
	const parsed = parseSearchQuery(options.query);
	if (!parsed) return null;
	let corrected = options.query.normalize('NFC');
	let changed = false;
	for (const word of typedWords(parsed.all)) {
		const better = await closestVisibleWord(db, word, options.visibleTo, options.now);
		if (!better) continue;
		// Words hold only letters, digits and marks, so they are safe inside a pattern.
		const pattern = new RegExp(`(?<![\\p{L}\\p{N}\\p{M}])${word}(?![\\p{L}\\p{N}\\p{M}])`, 'giu');
		const next = corrected.replace(pattern, better);
		if (next !== corrected) {
			corrected = next;
			changed = true;
		}
	}
	if (!changed) return null;
	const check = await searchDocuments(db, { ...options, query: corrected, limit: 1, offset: 0 });
	return check.total > 0 ? corrected.trim() : null;
}
