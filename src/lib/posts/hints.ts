/** The writing advice as pages receive it (made on the server by `writingHints`). */
export interface Hints {
	words: number;
	longSentences: Array<{ words: number; start: string }>;
	readingLevel: { score: number; label: string } | null;
	imagesWithoutAlt: number;
	readingMinutes: number;
}
