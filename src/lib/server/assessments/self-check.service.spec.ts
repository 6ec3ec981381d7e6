import { describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import {
	currentCheckFramework,
	profileOf,
	readCheckAnswers,
	saveSelfCheck,
	type CheckFramework
} from './self-check.service';

/** Two areas, worked out by hand below. */
const FRAMEWORK: CheckFramework = {
	versionId: 'v1',
	number: 1,
	dimensions: [
		{
			id: 'd1',
			key: 'involvement',
			title: 'Involvement',
			description: '',
			guidance: 'Invite people early.',
			statements: [
				{ id: 'a', text: 'A' },
				{ id: 'b', text: 'B' },
				{ id: 'c', text: 'C' },
				{ id: 'd', text: 'D' }
			]
		},
		{
			id: 'd2',
			key: 'decisions',
			title: 'Decisions',
			description: '',
			guidance: 'Agree how you decide.',
			statements: [
				{ id: 'e', text: 'E' },
				{ id: 'f', text: 'F' },
				{ id: 'g', text: 'G' }
			]
		},
		{
			id: 'd3',
			key: 'values',
			title: 'Values',
			description: '',
			guidance: '',
			statements: [{ id: 'h', text: 'H' }]
		}
	]
};

describe('a check taken alone', () => {
	it('scores each area from counted answers only, and the whole from the areas', () => {
		// Involvement: always, always, often, don't know → (4 + 4 + 3) ÷ 3 × 25 = 91.67 (strong).
		// Decisions: never, rarely, left out → (0 + 1) ÷ 2 × 25 = 12.5 (not yet), shown as 13.
		// Values: don't know only → no score. Overall: (91.67 + 12.5) ÷ 2 = 52.08 (early steps).
		const answers = readCheckAnswers(FRAMEWORK, {
			's-a': '4',
			's-b': '4',
			's-c': '3',
			's-d': 'dont-know',
			's-e': '0',
			's-f': '1',
			's-h': 'dont-know',
			's-x': '4',
			continuum: 'consulting'
		});
		expect(answers).toEqual({
			ratings: { a: 4, b: 4, c: 3, d: null, e: 0, f: 1, h: null },
			continuum: 'consulting'
		});
		const profile = profileOf(FRAMEWORK, answers);
		expect(profile.answered).toBe(7);
		expect(profile.statements).toBe(8);
		expect(profile.dimensions.map((d) => [d.id, d.display, d.band])).toEqual([
			['d1', 92, 'strong'],
			['d2', 13, 'not-yet'],
			['d3', null, null]
		]);
		expect(profile.overall).toBeCloseTo(52.0833, 3);
		expect(profile.overallLabel).toBe('Early steps');
		expect(profile.strongest).toEqual([{ id: 'd1', title: 'Involvement', display: 92 }]);
		expect(profile.weakest).toEqual([
			{ id: 'd2', title: 'Decisions', display: 13, guidance: 'Agree how you decide.' }
		]);
	});

	it('ignores values that are not answers, and has no profile without any', () => {
		const answers = readCheckAnswers(FRAMEWORK, { 's-a': '5', 's-b': 'often', continuum: 'x' });
		expect(answers).toEqual({ ratings: {}, continuum: null });
		const profile = profileOf(FRAMEWORK, answers);
		expect(profile.overall).toBeNull();
		expect(profile.strongest).toEqual([]);
	});
});

describeEachDatabase('saved checks', (ctx) => {
	it('saves a member’s check only when asked, with at least one answer', async () => {
		const framework = await currentCheckFramework(ctx.db);
		expect(framework.dimensions).toHaveLength(9);
		const member = await createTestUser(ctx.db);
		const first = framework.dimensions[0]!.statements[0]!.id;
		const empty = await saveSelfCheck(
			ctx.db,
			member,
			framework,
			{ ratings: {}, continuum: null },
			''
		);
		expect(empty).toEqual({
			ok: false,
			errors: { form: 'Answer at least one statement before saving.' }
		});
		const long = await saveSelfCheck(
			ctx.db,
			member,
			framework,
			{ ratings: { [first]: 3 }, continuum: null },
			'x'.repeat(151)
		);
		expect(long).toEqual({
			ok: false,
			errors: { label: 'Keep the name to 150 characters or fewer' }
		});
		const saved = await saveSelfCheck(
			ctx.db,
			member,
			framework,
			{ ratings: { [first]: 3 }, continuum: 'engaging' },
			'  Day centre  '
		);
		expect(saved.ok).toBe(true);
		const rows = await ctx.db
			.selectFrom('self_check')
			.select(['label', 'answers', 'framework_version_id'])
			.where('user_id', '=', member.id)
			.execute();
		expect(rows).toEqual([
			{
				label: 'Day centre',
				answers: JSON.stringify({ ratings: { [first]: 3 }, continuum: 'engaging' }),
				framework_version_id: framework.versionId
			}
		]);
	});
});
