import { describe, expect, it } from 'vitest';
import { DATED_FACET, documentFacets, facetWord } from './search.facets';

describe('facetWord', () => {
	it('spells each value out exactly, so different values never share a word', () => {
		const values = [
			'mental-health',
			'mentalhealth',
			'Mental-health',
			'mental health',
			'x',
			'x000078'
		];
		const words = values.map((value) => facetWord('theme', value));
		expect(new Set(words).size).toBe(values.length);
		expect(facetWord('kind', 'case-study')).toBe('zfkcasex00002dstudy');
		expect(facetWord('kind', 'case-study')).not.toBe(facetWord('theme', 'case-study'));
	});

	it('makes words of letters and digits only, which both engines keep whole', () => {
		for (const value of ['pilot-team:01HXYZ', 'café', '🌱 garden', "o'neil", '']) {
			expect(facetWord('theme', value)).toMatch(/^zft[a-z0-9]*$/);
		}
	});
});

describe('documentFacets', () => {
	it('lists the kind, each theme once, and whether the document has a date', () => {
		expect(
			documentFacets({
				kind: 'post',
				themes: ['housing', 'housing', 'young-people'],
				startsAt: '2026-12-03T10:00:00.000Z'
			})
		).toBe(`zfkpost zfthousing zftyoungx00002dpeople ${DATED_FACET}`);
		expect(documentFacets({ kind: 'organisation', themes: [], startsAt: null })).toBe(
			'zfkorganisation'
		);
	});
});
