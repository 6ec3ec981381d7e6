import { describe, expect, it } from 'vitest';
import { parseDraft, wordDiff } from './statements.text';
import { DRAFT } from './statements.testing';

describe('a draft in Markdown', () => {
	it('becomes sections from ## headings and clauses from paragraphs and list items', () => {
		const draft = parseDraft(DRAFT);
		expect(draft.title).toBe('Our shared statement');
		expect(draft.sections.map((s) => [s.heading, s.clauses.length])).toEqual([
			['Our vision', 2],
			['How we work', 3]
		]);
		expect(draft.clauseCount).toBe(5);
		expect(draft.leftOut).toEqual([]);
	});

	it('puts clauses before the first heading in an introduction, flattens emphasis and reports what it left out', () => {
		const draft = parseDraft(
			'We **believe** in it.\n\n## Empty\n\n## Ways\n\n1. One\n   - Nested\n\n```\ncode\n```\n\n| a |\n|---|\n| b |\n'
		);
		expect(draft.sections).toEqual([
			{ heading: 'Introduction', clauses: ['We believe in it.'] },
			{ heading: 'Ways', clauses: ['One', 'Nested'] }
		]);
		expect(draft.leftOut).toEqual([
			'A block of code in “Ways” was left out: only paragraphs and list items become clauses.',
			'A table in “Ways” was left out: only paragraphs and list items become clauses.',
			'The section “Empty” has no clauses, so it was left out.'
		]);
	});

	it('finds nothing in an empty or heading-only draft', () => {
		expect(parseDraft('').clauseCount).toBe(0);
		expect(parseDraft('## Only a heading').clauseCount).toBe(0);
	});
});

describe('word by word comparison', () => {
	it('marks added and removed words and keeps the rest', () => {
		expect(wordDiff('we design them together', 'we design and deliver them together')).toEqual([
			{ kind: 'same', text: 'we design ' },
			{ kind: 'added', text: 'and deliver ' },
			{ kind: 'same', text: 'them together' }
		]);
		expect(wordDiff('a b c', 'a c')).toEqual([
			{ kind: 'same', text: 'a ' },
			{ kind: 'removed', text: 'b ' },
			{ kind: 'same', text: 'c' }
		]);
	});

	it('shows a new clause as all added and a removed one as all removed', () => {
		expect(wordDiff('', 'new words')).toEqual([{ kind: 'added', text: 'new words' }]);
		expect(wordDiff('old words', '')).toEqual([{ kind: 'removed', text: 'old words' }]);
		expect(wordDiff('same', 'same')).toEqual([{ kind: 'same', text: 'same' }]);
	});

	it('compares 200 clauses of 40 words quickly', () => {
		const words = Array.from({ length: 40 }, (_, i) => `word${i}`);
		const started = performance.now();
		for (let i = 0; i < 200; i++)
			wordDiff(words.join(' '), [...words.slice(0, 20), 'new', ...words.slice(21)].join(' '));
		expect(performance.now() - started).toBeLessThan(1000);
	});
});
