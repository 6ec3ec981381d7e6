import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../testing/databases';
import type { SearchDocument } from './search.registry';
import { upsertSearchDocument, type SearchViewer } from './search.repository';
import { editDistance, suggestSpelling, suggestTitles } from './search.suggest';

const NOW = '2026-12-03T12:00:00.000Z';
const visitor: SearchViewer = { signedIn: false, audiences: [] };
const member: SearchViewer = { signedIn: true, audiences: [] };
const team: SearchViewer = { signedIn: true, audiences: ['team:t1'] };

function doc(docId: string, title: string, body: string, extra: Partial<SearchDocument> = {}) {
	return {
		kind: 'note',
		docId,
		title,
		body,
		path: `/notes/${docId}`,
		visibility: 'public',
		updatedAt: '2026-11-01T00:00:00.000Z',
		...extra
	} satisfies SearchDocument;
}

const CORPUS: SearchDocument[] = [
	doc('a', 'Garden open day', 'Meetings in the garden every Saturday morning.'),
	doc('b', 'Gardening club', 'Growing vegetables together in the allotment.'),
	doc('c', 'Housing conversations', 'An evening of talk about housing and rent.'),
	doc('d', 'Members budget', 'The treasury report and the budget.', { visibility: 'members' }),
	doc('e', 'Team plans', 'The secret quarterly roadmap.', { visibility: 'team:t1' }),
	doc('f', 'Scheduled post', 'A tomorrow announcement about hedgehogs.', {
		visibleFrom: '2026-12-04T09:00:00.000Z'
	}),
	doc('g', 'Hidden draft about gardens', 'Nothing here.', { visibility: 'team:other' })
];

describe('editDistance', () => {
	it('counts insertions, deletions, substitutions and swaps as one each', () => {
		expect(editDistance('garden', 'garden')).toBe(0);
		expect(editDistance('gardn', 'garden')).toBe(1);
		expect(editDistance('graden', 'garden')).toBe(1);
		expect(editDistance('gerdan', 'garden')).toBe(2);
		expect(editDistance('', 'abc')).toBe(3);
		expect(editDistance('café', 'cafe')).toBe(1);
	});
});

describeEachDatabase('search suggestions', (ctx) => {
	beforeAll(async () => {
		for (const d of CORPUS) await upsertSearchDocument(ctx.db, d);
	});

	const spell = (query: string, viewer: SearchViewer, extra: { kinds?: string[] } = {}) =>
		suggestSpelling(ctx.db, { query, visibleTo: viewer, now: NOW, ...extra });

	it('suggests a close spelling that finds something', async () => {
		expect(await spell('gardn ', visitor)).toBe('garden');
		expect(await spell('housng rent ', visitor)).toBe('housing rent');
		expect(await spell('Gadren ', visitor)).toBe('garden');
	});

	it('keeps quotes and the other words as typed', async () => {
		expect(await spell('"opne day" ', visitor)).toBe('"open day"');
	});

	it('suggests nothing when no word is near enough', async () => {
		expect(await spell('zzzzqqq ', visitor)).toBeNull();
		expect(await spell('', visitor)).toBeNull();
		expect(await spell('***', visitor)).toBeNull();
	});

	it('never suggests a word only members-only or team-only documents hold to a visitor', async () => {
		expect(await spell('treasurey ', visitor)).toBeNull();
		expect(await spell('treasurey ', member)).toBe('treasury');
		expect(await spell('quartelry ', member)).toBeNull();
		expect(await spell('quartelry ', team)).toBe('quarterly');
	});

	it('never suggests a word of a document held back until later', async () => {
		expect(await spell('hedgehog ', visitor)).toBeNull();
		expect(await spell('hedgehogz ', member)).toBeNull();
	});

	it('offers nothing when the corrected search would still find nothing', async () => {
		expect(await spell('gardn ', visitor, { kinds: ['other'] })).toBeNull();
	});

	it('survives hostile input', async () => {
		for (const query of ['x'.repeat(10_000), 'NEAR(a b)', "'; drop table x; --", '\u202e gardn']) {
			const suggestion = await spell(query, visitor);
			expect(suggestion === null || typeof suggestion === 'string').toBe(true);
		}
	});

	const titles = async (prefix: string, viewer: SearchViewer) =>
		(await suggestTitles(ctx.db, { prefix, visibleTo: viewer, now: NOW })).map((s) => s.title);

	it('suggests titles that start with what is typed', async () => {
		expect(await titles('gard', visitor)).toEqual(
			expect.arrayContaining(['Garden open day', 'Gardening club'])
		);
		expect(await titles('garden op', visitor)).toEqual(['Garden open day']);
		expect(await titles('rent', visitor)).toEqual([]);
	});

	it('never suggests a title the viewer may not open', async () => {
		expect(await titles('memb', visitor)).toEqual([]);
		expect(await titles('memb', member)).toEqual(['Members budget']);
		expect(await titles('team', member)).toEqual([]);
		expect(await titles('team', team)).toEqual(['Team plans']);
		expect(await titles('sched', member)).toEqual([]);
		expect(await titles('hidden', team)).toEqual([]);
	});

	it('gives no title suggestions, and no error, for hostile input', async () => {
		for (const prefix of ['', '*', '"', 'title:x', 'NEAR(', '\u0000', 'x'.repeat(10_000)]) {
			expect(Array.isArray(await titles(prefix, visitor))).toBe(true);
		}
	});
});
