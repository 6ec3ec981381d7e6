import { describe, expect, it } from 'vitest';
import {
	countLinks,
	countWords,
	imagesWithoutAlt,
	markdownImages,
	sentences,
	syllables,
	writingHints
} from './posts.writing-hints';

describe('writing hints', () => {
	it('finds sentences longer than 25 words, and says where they start', () => {
		const long = Array.from({ length: 30 }, (_, i) => `word${i}`).join(' ') + '.';
		const hints = writingHints(`# A heading\n\nShort one. ${long} Another short one.`);
		expect(hints.longSentences).toEqual([
			{ words: 30, start: 'word0 word1 word2 word3 word4 word5 word6 word7' }
		]);
		expect(writingHints('Short. Also short.').longSentences).toEqual([]);
	});

	it('scores easy text as easier than hard text, and says nothing about very short text', () => {
		const easy = 'The cat sat on the mat. We had tea. It was fun. '.repeat(5);
		const hard =
			'Institutional considerations regarding organisational accountability necessitate comprehensive evaluation methodologies. '.repeat(
				5
			);
		const e = writingHints(easy).readingLevel!;
		const h = writingHints(hard).readingLevel!;
		expect(e.score).toBeGreaterThan(h.score);
		expect(e.label).toMatch(/^Easy/);
		expect(h.label).toMatch(/hard/i);
		expect(writingHints('Too short.').readingLevel).toBeNull();
	});

	it('counts images without alt text, and only those', () => {
		const body = '![](/media/a/1.webp) and ![  ](x.png) and ![A field of squash](/media/b/2.webp)';
		expect(imagesWithoutAlt(body)).toBe(2);
		expect(markdownImages(body).map((i) => i.alt)).toEqual(['', '', 'A field of squash']);
		expect(writingHints(body).imagesWithoutAlt).toBe(2);
	});

	it('counts links but not images, and words as readers see them', () => {
		expect(
			countLinks('[a](https://a.test) [b](http://b.test) https://c.test ![i](https://d.test/i.png)')
		).toBe(3);
		expect(countLinks('no links here')).toBe(0);
		expect(
			countWords('## Hello **there** world\n\n- one\n- two ![alt words](/media/x/1.webp)')
		).toBe(5);
	});

	it('splits sentences and counts syllables roughly', () => {
		expect(sentences('One. Two? Three!\nFour')).toEqual(['One.', 'Two?', 'Three!', 'Four']);
		expect(syllables('cat')).toBe(1);
		expect(syllables('garden')).toBe(2);
		expect(syllables('community')).toBeGreaterThanOrEqual(3);
	});
});
