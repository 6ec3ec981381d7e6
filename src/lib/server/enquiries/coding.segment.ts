/** One sentence of a transcript: its number (from 1), its words, and where they sit in the body. */
export interface Sentence {
	n: number;
	start: number;
	end: number;
	text: string;
}

/**
 * Splits a body into sentences, keeping character offsets into it: a sentence ends at . ! ? or …
 * (with any closing quotes or brackets) before a space, or at a line break. Each range is trimmed
 * to its words; blank stretches are not sentences.
 */
export function splitSentences(body: string): Sentence[] {
	const sentences: Sentence[] = [];
	const ender = /[.!?…]+["'”’)\]]*(?=\s)|\r?\n/g;
	let from = 0;
	const push = (start: number, end: number) => {
		const range = trimRange(body, start, end);
		if (range)
			sentences.push({
				n: sentences.length + 1,
				...range,
				text: body.slice(range.start, range.end)
			});
	};
	for (const match of body.matchAll(ender)) {
		const end = match.index + match[0].length;
		push(from, end);
		from = end;
	}
	push(from, body.length);
	return sentences;
}

/** The range shrunk to its first and last non-space character; null when only space is left. */
export function trimRange(
	body: string,
	start: number,
	end: number
): { start: number; end: number } | null {
	let s = start;
	let e = end;
	while (s < e && /\s/.test(body[s]!)) s++;
	while (e > s && /\s/.test(body[e - 1]!)) e--;
	return s < e ? { start: s, end: e } : null;
}
