import { markdownToPlainText } from '../markdown';

/**
 * Advice for writing that everyone can read, computed on the server so it shows without
 * JavaScript. Advice only: nothing here stops a post, except images without alt text on publish
 * (see {@link imagesWithoutAlt}).
 */

/** A sentence longer than this many words is hard for many readers. */
export const LONG_SENTENCE_WORDS = 25;

/** Every Markdown image: `![alt](url)`, with its alt text as written. */
const IMAGE = /!\[([^\]]*)\]\(\s*([^)\s]*)[^)]*\)/g;

/** The images in a post's Markdown, in order. */
export function markdownImages(body: string): Array<{ alt: string; url: string }> {
	return [...body.matchAll(IMAGE)].map((m) => ({ alt: (m[1] ?? '').trim(), url: m[2] ?? '' }));
}

/** How many images have no alt text (`![](…)`): a post with any cannot be published. */
export function imagesWithoutAlt(body: string): number {
	return markdownImages(body).filter((i) => i.alt === '').length;
}

/** Links written in the post (Markdown links and bare web addresses), images left out. */
export function countLinks(body: string): number {
	const withoutImages = body.replace(IMAGE, '');
	const markdownLinks = withoutImages.match(/\]\(\s*(https?:|mailto:)/gi)?.length ?? 0;
	const bare = withoutImages.replace(/\]\([^)]*\)/g, ']').match(/\bhttps?:\/\/\S+/gi)?.length ?? 0;
	return markdownLinks + bare;
}

/** Words in the post as readers see it. */
export function countWords(body: string): number {
	return words(markdownToPlainText(body.replace(IMAGE, ''))).length;
}

function words(text: string): string[] {
	return text.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? [];
}

/** A rough syllable count for an English word (vowel groups, a silent final e). */
export function syllables(word: string): number {
	const w = word.toLowerCase().replace(/[^a-z]/g, '');
	if (w.length <= 3) return 1;
	const trimmed = w.replace(/(?:[^laeiouy]es|ed|[^laeiouy]e)$/, '').replace(/^y/, '');
	return Math.max(1, trimmed.match(/[aeiouy]{1,2}/g)?.length ?? 1);
}

/** The sentences of plain text: split at . ! ? and at line ends (lists and headings). */
export function sentences(text: string): string[] {
	return text
		.split(/(?<=[.!?])\s+|\n+/)
		.map((s) => s.trim())
		.filter((s) => words(s).length > 0);
}

export interface ReadingLevel {
	/** Flesch reading ease, 0 (very hard) to 100 (very easy). */
	score: number;
	/** In words: "Easy to read", … */
	label: string;
}

export interface WritingHints {
	words: number;
	/** Sentences over {@link LONG_SENTENCE_WORDS} words, with their length and first words. */
	longSentences: Array<{ words: number; start: string }>;
	readingLevel: ReadingLevel | null;
	imagesWithoutAlt: number;
	/** Minutes to read at 200 words a minute, at least 1. */
	readingMinutes: number;
}

function levelLabel(score: number): string {
	if (score >= 70) return 'Easy to read: most people will follow it.';
	if (score >= 50)
		return 'Fairly easy to read: shorter sentences and words would help some readers.';
	if (score >= 30) return 'Hard to read: try shorter sentences and everyday words.';
	return 'Very hard to read: break up long sentences and use everyday words.';
}

/** Plain-English advice on a post's Markdown. */
export function writingHints(body: string): WritingHints {
	const text = markdownToPlainText(body.replace(IMAGE, ''));
	const all = sentences(text);
	const allWords = words(text);
	const longSentences = all
		.map((s) => ({ words: words(s).length, start: words(s).slice(0, 8).join(' ') }))
		.filter((s) => s.words > LONG_SENTENCE_WORDS);
	let readingLevel: ReadingLevel | null = null;
	// Too little text gives a meaningless score.
	if (allWords.length >= 30 && all.length > 0) {
		const syllableCount = allWords.reduce((n, w) => n + syllables(w), 0);
		const raw =
			206.835 - 1.015 * (allWords.length / all.length) - 84.6 * (syllableCount / allWords.length);
		const score = Math.round(Math.min(100, Math.max(0, raw)));
		readingLevel = { score, label: levelLabel(score) };
	}
	return {
		words: allWords.length,
		longSentences,
		readingLevel,
		imagesWithoutAlt: imagesWithoutAlt(body),
		readingMinutes: Math.max(1, Math.round(allWords.length / 200))
	};
}
