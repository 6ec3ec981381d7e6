import { describe, expect, it } from 'vitest';
import {
	BAND_LABELS,
	DONT_KNOW,
	PERSPECTIVES,
	PERSPECTIVE_LABELS,
	RATINGS,
	SIDE_PERSPECTIVES,
	SUBTRACTION_REASON,
	STAGES,
	bandOf,
	displayScore,
	effectiveThreshold,
	scoreFromAnswers,
	scoreRound,
	sideOf,
	type Answer,
	type Band,
	type Perspective,
	type RawResponse,
	type RawRound,
	type RoundInput,
	type Stage
} from './scoring';

/** Close enough for a score worked out by hand as a fraction (825 / 14 and so on). */
function near(value: number): number {
	return expect.closeTo(value, 9) as number;
}

const DK = DONT_KNOW;
const INVOLVEMENT = { id: 'involvement', title: 'People who use the service are closely involved' };
const RECIPROCITY = { id: 'reciprocity', title: 'It works both ways' };

/** One response of the worked example: two ratings per dimension, in statement order. */
function person(
	respondentId: string,
	perspective: Perspective,
	involvement: [Answer | undefined, Answer | undefined],
	reciprocity: [Answer | undefined, Answer | undefined],
	stage: Stage | null,
	submitted = true
): RawResponse {
	return {
		respondentId,
		perspective,
		submitted,
		stage,
		answers: [
			...involvement.map((rating) => ({ dimensionId: INVOLVEMENT.id, rating })),
			...reciprocity.map((rating) => ({ dimensionId: RECIPROCITY.id, rating }))
		]
	};
}

/** The example worked by hand in docs/assessment.md. */
function workedExample(threshold = 3): RawRound {
	return {
		dimensions: [INVOLVEMENT, RECIPROCITY],
		threshold,
		responses: [
			person('U1', 'uses-services', [1, 2], [3, 2], 'co-designing'),
			person('U2', 'uses-services', [2, DK], [2, 2], 'consulting'),
			person('U3', 'uses-services', [1, 1], [DK, DK], null),
			person('F1', 'frontline', [3, 3], [3, 2], 'co-producing'),
			person('F2', 'frontline', [2, 3], [2, 2], 'co-designing'),
			person('M1', 'manager', [4, 3], [3, 3], 'co-producing'),
			person('M2', 'manager', [3, undefined], [2, 3], 'engaging'),
			person('D', 'uses-services', [4, 4], [4, 4], 'co-producing', false)
		]
	};
}

const HIDDEN_PERSPECTIVE = 'Fewer than 3 people answered from this perspective.';

describe('lists and labels', () => {
	it('rates Never 0 to Always 4, and lists the stages and perspectives in order', () => {
		expect(RATINGS.map((r) => `${r.value} ${r.label}`)).toEqual([
			'0 Never',
			'1 Rarely',
			'2 Sometimes',
			'3 Often',
			'4 Always'
		]);
		expect(STAGES).toEqual(['informing', 'consulting', 'engaging', 'co-designing', 'co-producing']);
		expect(PERSPECTIVES).toHaveLength(7);
		expect(PERSPECTIVE_LABELS.partner).toBe('I’m from a partner organisation');
	});

	it('puts people who use services and carers on one side, staff on the other, partners on neither', () => {
		expect(PERSPECTIVES.map((p) => sideOf(p))).toEqual([
			'lived',
			'lived',
			'professional',
			'professional',
			'professional',
			null,
			null
		]);
	});
});

describe('bands', () => {
	it('bands the unrounded score at 40, 60 and 80', () => {
		const cases: Array<[number, Band]> = [
			[0, 'not-yet'],
			[39.999, 'not-yet'],
			[40, 'early'],
			[59.999, 'early'],
			[60, 'developing'],
			[79.999, 'developing'],
			[80, 'strong'],
			[100, 'strong']
		];
		for (const [score, band] of cases) expect(bandOf(score), String(score)).toBe(band);
	});

	it('treats floating-point noise as the score it stands for', () => {
		expect(bandOf(0.1 * 3 * 200)).toBe('developing'); // 60.00000000000001
		expect(bandOf(60 - 1e-12)).toBe('developing');
	});

	it('has plain words for each band', () => {
		expect(BAND_LABELS).toEqual({
			'not-yet': 'Not yet co-produced',
			early: 'Early steps',
			developing: 'Getting there',
			strong: 'Strong co-production'
		});
	});

	it('refuses a score outside 0 to 100', () => {
		expect(() => bandOf(-1)).toThrow(RangeError);
		expect(() => bandOf(100.5)).toThrow(RangeError);
		expect(() => bandOf(Number.NaN)).toThrow(RangeError);
	});
});

describe('displayScore', () => {
	it('rounds half up to a whole number', () => {
		expect(displayScore(62.5)).toBe(63);
		expect(displayScore(62.49)).toBe(62);
		expect(displayScore(37.5)).toBe(38);
		expect(displayScore(0)).toBe(0);
		expect(displayScore(100)).toBe(100);
		expect(displayScore(62.5 - 1e-12)).toBe(63);
	});
});

describe('effectiveThreshold', () => {
	it('is the setting, but never below 3', () => {
		expect(effectiveThreshold(1)).toBe(3);
		expect(effectiveThreshold(0)).toBe(3);
		expect(effectiveThreshold(3)).toBe(3);
		expect(effectiveThreshold(5)).toBe(5);
		expect(effectiveThreshold(Number.NaN)).toBe(3);
	});

	it('hides a perspective of 2 even when the setting says 1', () => {
		const results = scoreRound(scoreFromAnswers(workedExample(1)));
		expect(results.threshold).toBe(3);
		expect(results.byPerspective.find((p) => p.perspective === 'frontline')).toMatchObject({
			shown: false,
			respondents: null,
			reason: HIDDEN_PERSPECTIVE
		});
	});
});

describe('the worked example in docs/assessment.md', () => {
	it('groups the raw answers into the figures SQL gives', () => {
		expect(scoreFromAnswers(workedExample())).toEqual({
			dimensions: [INVOLVEMENT, RECIPROCITY],
			threshold: 3,
			perspectives: [
				{ perspective: 'uses-services', respondents: 3 },
				{ perspective: 'frontline', respondents: 2 },
				{ perspective: 'manager', respondents: 2 }
			],
			dimensionMeans: [
				{ perspective: 'uses-services', dimensionId: 'involvement', meanScore: 37.5, scored: 3 },
				{ perspective: 'uses-services', dimensionId: 'reciprocity', meanScore: 56.25, scored: 2 },
				{ perspective: 'frontline', dimensionId: 'involvement', meanScore: 68.75, scored: 2 },
				{ perspective: 'frontline', dimensionId: 'reciprocity', meanScore: 56.25, scored: 2 },
				{ perspective: 'manager', dimensionId: 'involvement', meanScore: 81.25, scored: 2 },
				{ perspective: 'manager', dimensionId: 'reciprocity', meanScore: 68.75, scored: 2 }
			],
			continuum: [
				{ perspective: 'uses-services', stage: 'consulting', count: 1 },
				{ perspective: 'uses-services', stage: 'co-designing', count: 1 },
				{ perspective: 'uses-services', stage: null, count: 1 },
				{ perspective: 'frontline', stage: 'co-designing', count: 1 },
				{ perspective: 'frontline', stage: 'co-producing', count: 1 },
				{ perspective: 'manager', stage: 'engaging', count: 1 },
				{ perspective: 'manager', stage: 'co-producing', count: 1 }
			]
		} satisfies RoundInput);
	});

	const results = scoreRound(scoreFromAnswers(workedExample()));

	it('scores everyone together', () => {
		expect(results.threshold).toBe(3);
		expect(results.everyone).toEqual({
			respondents: 7,
			shown: true,
			reason: null,
			dimensions: [
				{ ...INVOLVEMENT, score: near(412.5 / 7), band: 'early' },
				{ ...RECIPROCITY, score: near(362.5 / 6), band: 'developing' }
			],
			overall: near(10025 / 168),
			band: 'early'
		});
		expect(results.everyone.dimensions.map((d) => displayScore(d.score ?? -1))).toEqual([59, 60]);
		// Shown as 60 but banded from 59.67…: "Early steps".
		expect(displayScore(results.everyone.overall ?? -1)).toBe(60);
	});

	it('shows people who use services (3) and hides frontline staff and managers (2 each)', () => {
		const hidden = {
			respondents: null,
			shown: false,
			reason: HIDDEN_PERSPECTIVE,
			dimensions: [
				{ ...INVOLVEMENT, score: null, band: null },
				{ ...RECIPROCITY, score: null, band: null }
			],
			overall: null,
			band: null
		};
		expect(results.byPerspective).toEqual([
			{
				perspective: 'uses-services',
				label: 'I use the service (or have used it)',
				respondents: 3,
				shown: true,
				reason: null,
				dimensions: [
					{ ...INVOLVEMENT, score: 37.5, band: 'not-yet' },
					{ ...RECIPROCITY, score: 56.25, band: 'early' }
				],
				overall: 46.875,
				band: 'early'
			},
			...PERSPECTIVES.slice(1).map((perspective) => ({
				perspective,
				label: PERSPECTIVE_LABELS[perspective],
				...hidden
			}))
		]);
	});

	it('shows both sides: the staff side adds up two hidden perspectives to 4', () => {
		expect(results.sides).toEqual({
			lived: {
				side: 'lived',
				label: 'People who use services and carers',
				respondents: 3,
				shown: true,
				reason: null
			},
			professional: {
				side: 'professional',
				label: 'Staff, managers and commissioners',
				respondents: 4,
				shown: true,
				reason: null
			}
		});
	});

	it('highlights the gap of 37.5 points and not the one of 6.25', () => {
		expect(results.gaps).toEqual([
			{
				dimensionId: 'involvement',
				title: INVOLVEMENT.title,
				lived: 37.5,
				professional: 75,
				gap: -37.5,
				highlighted: true,
				explanation:
					'People who use services and carers rate this 38 points lower than staff, managers and commissioners.',
				reason: null
			},
			{
				dimensionId: 'reciprocity',
				title: RECIPROCITY.title,
				lived: 56.25,
				professional: 62.5,
				gap: -6.25,
				highlighted: false,
				explanation: null,
				reason: null
			}
		]);
	});

	it('names one strongest and one weakest of the two dimensions', () => {
		expect(results.strongest).toEqual([
			{ ...RECIPROCITY, score: near(362.5 / 6), band: 'developing' }
		]);
		expect(results.weakest).toEqual([{ ...INVOLVEMENT, score: near(412.5 / 7), band: 'early' }]);
	});

	it('counts the continuum for everyone and for shown perspectives only', () => {
		expect(results.continuum.everyone).toEqual({
			informing: 0,
			consulting: 1,
			engaging: 1,
			'co-designing': 2,
			'co-producing': 2,
			'not-answered': 1
		});
		expect(results.continuum.byPerspective.map((p) => [p.perspective, p.counts])).toEqual([
			[
				'uses-services',
				{
					informing: 0,
					consulting: 1,
					engaging: 0,
					'co-designing': 1,
					'co-producing': 0,
					'not-answered': 1
				}
			],
			...PERSPECTIVES.slice(1).map((p) => [p, null])
		]);
	});

	it('with a threshold of 5, shows everyone but no perspective and no gap', () => {
		const five = scoreRound(scoreFromAnswers(workedExample(5)));
		expect(five.threshold).toBe(5);
		expect(five.everyone.shown).toBe(true);
		expect(five.everyone.overall).toBeCloseTo(10025 / 168, 9);
		expect(five.byPerspective.filter((p) => p.shown)).toEqual([]);
		expect(five.sides.lived).toMatchObject({ shown: false, respondents: null });
		expect(five.sides.professional).toMatchObject({ shown: false, respondents: null });
		expect(five.gaps.map((g) => [g.lived, g.professional, g.gap, g.highlighted])).toEqual([
			[null, null, null, false],
			[null, null, null, false]
		]);
		expect(five.gaps[0]?.reason).toBe(
			'Fewer than 5 people who use services or care for someone answered.'
		);
		expect(five.byPerspective[0]?.reason).toBe(
			'Fewer than 5 people answered from this perspective.'
		);
		expect(five.continuum.byPerspective.every((p) => p.counts === null)).toBe(true);
	});
});

/** Grouped figures for tests that need no raw answers: `[perspective, respondents]` rows. */
function grouped(
	dimensions: string[],
	perspectives: Array<[Perspective, number]>,
	means: Array<[Perspective, string, number, number]>,
	threshold = 3
): RoundInput {
	return {
		dimensions: dimensions.map((id) => ({ id, title: `Title of ${id}` })),
		perspectives: perspectives.map(([perspective, respondents]) => ({ perspective, respondents })),
		dimensionMeans: means.map(([perspective, dimensionId, meanScore, scored]) => ({
			perspective,
			dimensionId,
			meanScore,
			scored
		})),
		continuum: perspectives.map(([perspective, count]) => ({ perspective, stage: null, count })),
		threshold
	};
}

describe('scoreRound', () => {
	it('hides everything while only 2 people have answered', () => {
		const results = scoreRound(
			grouped(
				['a', 'b'],
				[
					['uses-services', 1],
					['manager', 1]
				],
				[
					['uses-services', 'a', 50, 1],
					['manager', 'a', 100, 1],
					['manager', 'b', 75, 1]
				]
			)
		);
		expect(results.everyone).toEqual({
			respondents: 2,
			shown: false,
			reason: 'Fewer than 3 people have answered so far, so there are no results yet.',
			dimensions: [
				{ id: 'a', title: 'Title of a', score: null, band: null },
				{ id: 'b', title: 'Title of b', score: null, band: null }
			],
			overall: null,
			band: null
		});
		expect(results.byPerspective.every((p) => !p.shown && p.respondents === null)).toBe(true);
		expect(results.gaps.every((g) => g.gap === null && !g.highlighted)).toBe(true);
		expect(results.strongest).toEqual([]);
		expect(results.weakest).toEqual([]);
		expect(results.continuum.everyone).toBeNull();
	});

	it('shows a side made of perspectives that are each hidden, and words a gap the other way', () => {
		const results = scoreRound(
			grouped(
				['a'],
				[
					['uses-services', 2],
					['carer', 1],
					['manager', 3],
					['partner', 3]
				],
				[
					['uses-services', 'a', 90, 2],
					['carer', 'a', 60, 1],
					['manager', 'a', 50, 3],
					['partner', 'a', 0, 3]
				]
			)
		);
		const shown = results.byPerspective.filter((p) => p.shown).map((p) => p.perspective);
		expect(shown).toEqual(['manager', 'partner']);
		expect(results.sides.lived).toMatchObject({ shown: true, respondents: 3 });
		// Lived: (90 × 2 + 60 × 1) / 3 = 80. Partners count in everyone, on neither side.
		expect(results.gaps[0]).toMatchObject({
			lived: 80,
			professional: 50,
			gap: 30,
			highlighted: true,
			explanation:
				'People who use services and carers rate this 30 points higher than staff, managers and commissioners.'
		});
		// Everyone: (180 + 60 + 150 + 0) / 9 = 43.33.
		expect(results.everyone.dimensions[0]?.score).toBeCloseTo(390 / 9, 9);
	});

	describe('never gives a small group away by subtraction', () => {
		const round = (counts: Array<[Perspective, number]>) =>
			scoreRound(
				grouped(
					['a'],
					counts,
					counts.map(([p, n]) => [p, 'a', 50, n])
				)
			);
		const shownOf = (results: ReturnType<typeof scoreRound>) =>
			results.byPerspective.filter((p) => p.shown).map((p) => p.perspective);

		it('hides 5 people who use services when 1 carer is hidden and the lived side is shown', () => {
			// Lived side (6) − uses-services (5) would be the one carer's own answers.
			const results = round([
				['uses-services', 5],
				['carer', 1]
			]);
			expect(shownOf(results)).toEqual([]);
			expect(results.byPerspective[0]).toMatchObject({
				perspective: 'uses-services',
				respondents: null,
				reason: SUBTRACTION_REASON
			});
			expect(results.byPerspective[1]?.reason).toBe(
				'Fewer than 3 people answered from this perspective.'
			);
			expect(results.sides.lived).toMatchObject({ shown: true, respondents: 6 });
			expect(results.everyone.shown).toBe(true);
		});

		it('hides the smallest other staff group when one commissioner answered', () => {
			// Professional side (11) − frontline (10) would be the commissioner.
			const results = round([
				['uses-services', 10],
				['frontline', 10],
				['manager', 3],
				['commissioner', 1]
			]);
			expect(shownOf(results)).toEqual(['uses-services', 'frontline']);
			expect(results.byPerspective.find((p) => p.perspective === 'manager')?.reason).toBe(
				SUBTRACTION_REASON
			);
			expect(results.sides.professional.shown).toBe(true);
		});

		it('hides a side when everyone minus both sides would be 2 partners', () => {
			// Everyone (8) − lived (3) − professional (3) would be the two partners.
			const results = round([
				['uses-services', 2],
				['carer', 1],
				['manager', 3],
				['partner', 2]
			]);
			// The lived side has no perspective of its own on show, so hiding it loses least.
			expect(results.sides.lived).toMatchObject({
				shown: false,
				respondents: null,
				reason: SUBTRACTION_REASON
			});
			expect(results.sides.professional).toMatchObject({ shown: true, respondents: 3 });
			expect(shownOf(results)).toEqual(['manager']);
			expect(results.gaps[0]).toMatchObject({ gap: null, reason: SUBTRACTION_REASON });
			expect(results.everyone.shown).toBe(true);
		});
	});

	it('highlights a gap of exactly 20 points but not 19.99', () => {
		const gapOf = (professional: number) =>
			scoreRound(
				grouped(
					['a'],
					[
						['carer', 3],
						['commissioner', 3]
					],
					[
						['carer', 'a', 70, 3],
						['commissioner', 'a', professional, 3]
					]
				)
			).gaps[0];
		expect(gapOf(50)).toMatchObject({ gap: 20, highlighted: true });
		expect(gapOf(90)?.explanation).toBe(
			'People who use services and carers rate this 20 points lower than staff, managers and commissioners.'
		);
		expect(gapOf(50.01)).toMatchObject({ highlighted: false, explanation: null });
	});

	it('breaks ties for strongest and weakest by framework order, never naming a dimension twice', () => {
		const results = scoreRound(
			grouped(
				['a', 'b', 'c', 'd'],
				[['frontline', 4]],
				[
					['frontline', 'a', 80, 4],
					['frontline', 'b', 60, 4],
					['frontline', 'c', 80, 4],
					['frontline', 'd', 80, 4]
				]
			)
		);
		expect(results.strongest.map((d) => d.id)).toEqual(['a', 'c']);
		expect(results.weakest.map((d) => d.id)).toEqual(['b', 'd']);
	});

	it('names one of each from three dimensions, and none from one', () => {
		const three = scoreRound(
			grouped(
				['a', 'b', 'c'],
				[['other', 3]],
				[
					['other', 'a', 50, 3],
					['other', 'b', 50, 3],
					['other', 'c', 50, 3]
				]
			)
		);
		expect([three.strongest.map((d) => d.id), three.weakest.map((d) => d.id)]).toEqual([
			['a'],
			['b']
		]);
		const one = scoreRound(grouped(['a'], [['other', 3]], [['other', 'a', 50, 3]]));
		expect([one.strongest, one.weakest]).toEqual([[], []]);
	});

	it('leaves a dimension nobody rated without a score, and out of the overall score', () => {
		const results = scoreRound(
			grouped(
				['a', 'b', 'c'],
				[
					['uses-services', 3],
					['frontline', 3]
				],
				[
					['uses-services', 'a', 50, 3],
					['frontline', 'a', 75, 2],
					['uses-services', 'c', 100, 1],
					['frontline', 'c', 80, 3]
				]
			)
		);
		expect(results.everyone.dimensions.map((d) => [d.id, d.score, d.band])).toEqual([
			['a', 60, 'developing'],
			['b', null, null],
			['c', 85, 'strong']
		]);
		// (60 + 85) / 2, not (60 + 0 + 85) / 3.
		expect(results.everyone.overall).toBe(72.5);
		expect(results.gaps[1]).toMatchObject({
			gap: null,
			highlighted: false,
			reason: 'Nobody who uses services or cares for someone gave this a rating.'
		});
		expect(results.strongest.map((d) => d.id)).toEqual(['c']);
		expect(results.weakest.map((d) => d.id)).toEqual(['a']);
	});

	it('weighs perspectives by how many scored, not how many answered', () => {
		// 4 people answered from each; 1 of the carers rated "a", 4 of the managers did.
		const results = scoreRound(
			grouped(
				['a'],
				[
					['carer', 4],
					['manager', 4]
				],
				[
					['carer', 'a', 100, 1],
					['manager', 'a', 50, 4]
				]
			)
		);
		expect(results.everyone.dimensions[0]?.score).toBe(60);
	});
});

// ---------------------------------------------------------------------------------------------
// Property: grouping then scoring gives what a brute force straight from the answers gives.
// The brute force works in exact fractions, so bands, ties and highlights at a boundary are
// decided exactly; it shares no code with scoring.ts beyond the lists of names.

/** An exact fraction n / d with d > 0. */
class Q {
	readonly n: bigint;
	readonly d: bigint;
	constructor(n: bigint, d: bigint = 1n) {
		const g = gcd(n < 0n ? -n : n, d) || 1n;
		this.n = n / g;
		this.d = d / g;
	}
	add(other: Q): Q {
		return new Q(this.n * other.d + other.n * this.d, this.d * other.d);
	}
	sub(other: Q): Q {
		return new Q(this.n * other.d - other.n * this.d, this.d * other.d);
	}
	over(count: number): Q {
		return new Q(this.n, this.d * BigInt(count));
	}
	cmp(other: Q): number {
		const left = this.n * other.d;
		const right = other.n * this.d;
		return left < right ? -1 : left > right ? 1 : 0;
	}
	abs(): Q {
		return this.n < 0n ? new Q(-this.n, this.d) : this;
	}
	value(): number {
		return Number(this.n) / Number(this.d);
	}
}

function gcd(a: bigint, b: bigint): bigint {
	while (b !== 0n) [a, b] = [b, a % b];
	return a;
}

function meanOf(values: Q[]): Q | null {
	if (values.length === 0) return null;
	return values.reduce((a, b) => a.add(b), new Q(0n)).over(values.length);
}

function bruteBand(score: Q): Band {
	if (score.cmp(new Q(80n)) >= 0) return 'strong';
	if (score.cmp(new Q(60n)) >= 0) return 'developing';
	if (score.cmp(new Q(40n)) >= 0) return 'early';
	return 'not-yet';
}

/** Which groups a round's results show (checked for safety by `disclosed` below). */
interface Release {
	perspectives: ReadonlySet<string>;
	lived: boolean;
	professional: boolean;
}

/**
 * Everything scoreRound decides, without its sentences, straight from the raw answers, for the
 * groups it chose to show.
 */
function bruteForce(raw: RawRound, release: Release) {
	const k = Math.max(3, raw.threshold);
	const people = raw.responses.filter((r) => r.submitted);

	function personScore(r: RawResponse, dimension: string): Q | null {
		let sum = 0;
		let count = 0;
		for (const a of r.answers) {
			if (a.dimensionId !== dimension || a.rating === undefined || a.rating === DK) continue;
			sum += a.rating;
			count += 1;
		}
		return count === 0 ? null : new Q(BigInt(25 * sum), BigInt(count));
	}

	function groupScores(group: RawResponse[]): Array<Q | null> {
		return raw.dimensions.map(({ id }) => meanOf(group.flatMap((r) => personScore(r, id) ?? [])));
	}

	function figures(group: RawResponse[], shown: boolean) {
		const scores = shown ? groupScores(group) : raw.dimensions.map(() => null);
		const overall = meanOf(scores.flatMap((s) => s ?? []));
		return {
			exact: scores,
			dimensions: scores.map((s, i) => ({
				id: raw.dimensions[i]?.id,
				score: s === null ? null : near(s.value()),
				band: s === null ? null : bruteBand(s)
			})),
			overall: overall === null ? null : near(overall.value()),
			band: overall === null ? null : bruteBand(overall)
		};
	}

	const everyoneShown = people.length >= k;
	const everyone = figures(people, everyoneShown);

	const byPerspective = PERSPECTIVES.map((perspective) => {
		const group = people.filter((r) => r.perspective === perspective);
		const shown = release.perspectives.has(perspective);
		const { exact: _exact, ...rest } = figures(group, shown);
		return { perspective, respondents: shown ? group.length : null, shown, ...rest };
	});

	const lived = people.filter((r) => SIDE_PERSPECTIVES.lived.includes(r.perspective));
	const professional = people.filter((r) => SIDE_PERSPECTIVES.professional.includes(r.perspective));
	const livedShown = release.lived;
	const professionalShown = release.professional;
	const livedScores = livedShown ? groupScores(lived) : raw.dimensions.map(() => null);
	const professionalScores = professionalShown
		? groupScores(professional)
		: raw.dimensions.map(() => null);
	const gaps = raw.dimensions.map(({ id }, i) => {
		const l = livedScores[i] ?? null;
		const p = professionalScores[i] ?? null;
		const gap = l !== null && p !== null ? l.sub(p) : null;
		return {
			dimensionId: id,
			lived: l === null ? null : near(l.value()),
			professional: p === null ? null : near(p.value()),
			gap: gap === null ? null : near(gap.value()),
			highlighted: gap !== null && gap.abs().cmp(new Q(20n)) >= 0
		};
	});

	// Strongest first (ties: earlier in the framework), then the weakest of the rest.
	const scored = everyone.exact.flatMap((s, index) =>
		s === null ? [] : [{ s, index, id: raw.dimensions[index]?.id }]
	);
	const size = Math.min(2, Math.floor(scored.length / 2));
	const strongest = [...scored].sort((a, b) => b.s.cmp(a.s) || a.index - b.index).slice(0, size);
	const weakest = scored
		.filter((x) => !strongest.includes(x))
		.sort((a, b) => a.s.cmp(b.s) || a.index - b.index)
		.slice(0, size);

	function counts(group: RawResponse[]) {
		return Object.fromEntries([
			...STAGES.map((stage) => [stage, group.filter((r) => r.stage === stage).length]),
			['not-answered', group.filter((r) => r.stage === null).length]
		]);
	}

	return {
		threshold: k,
		everyone: {
			respondents: people.length,
			shown: everyoneShown,
			dimensions: everyone.dimensions,
			overall: everyone.overall,
			band: everyone.band
		},
		byPerspective,
		sides: {
			lived: { respondents: livedShown ? lived.length : null, shown: livedShown },
			professional: {
				respondents: professionalShown ? professional.length : null,
				shown: professionalShown
			}
		},
		gaps,
		strongest: strongest.map((x) => x.id),
		weakest: weakest.map((x) => x.id),
		continuum: {
			everyone: everyoneShown ? counts(people) : null,
			byPerspective: byPerspective.map((p) =>
				p.shown ? counts(people.filter((r) => r.perspective === p.perspective)) : null
			)
		}
	};
}

/** The parts of scoreRound's results the brute force works out (no sentences or titles). */
function decided(results: ReturnType<typeof scoreRound>) {
	const figures = (
		g: (typeof results)['everyone'] | (typeof results)['byPerspective'][number]
	) => ({
		dimensions: g.dimensions.map((d) => ({ id: d.id, score: d.score, band: d.band })),
		overall: g.overall,
		band: g.band
	});
	return {
		threshold: results.threshold,
		everyone: {
			respondents: results.everyone.respondents,
			shown: results.everyone.shown,
			...figures(results.everyone)
		},
		byPerspective: results.byPerspective.map((p) => ({
			perspective: p.perspective,
			respondents: p.respondents,
			shown: p.shown,
			...figures(p)
		})),
		sides: {
			lived: { respondents: results.sides.lived.respondents, shown: results.sides.lived.shown },
			professional: {
				respondents: results.sides.professional.respondents,
				shown: results.sides.professional.shown
			}
		},
		gaps: results.gaps.map((g) => ({
			dimensionId: g.dimensionId,
			lived: g.lived,
			professional: g.professional,
			gap: g.gap,
			highlighted: g.highlighted
		})),
		strongest: results.strongest.map((d) => d.id),
		weakest: results.weakest.map((d) => d.id),
		continuum: {
			everyone: results.continuum.everyone,
			byPerspective: results.continuum.byPerspective.map((p) => p.counts)
		}
	};
}

/** A small seeded random number generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/**
 * A random round, leaning towards the awkward cases: perspectives near the threshold, whole
 * dimensions of "Don't know", skipped statements, unfinished responses and sides that disagree.
 */
function randomRound(next: () => number): RawRound {
	const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
	const dimensions = Array.from({ length: 1 + Math.floor(next() * 5) }, (_, i) => ({
		id: `d${i}`,
		title: `Dimension ${i}`,
		statements: 1 + Math.floor(next() * 4),
		nobody: next() < 0.1
	}));
	// Each perspective leans low or high, so some gaps pass 20 points.
	const lean = Object.fromEntries(PERSPECTIVES.map((p) => [p, next()])) as Record<
		Perspective,
		number
	>;
	const used = PERSPECTIVES.filter(() => next() < 0.6);
	const perspectives = used.length > 0 ? used : [pick(PERSPECTIVES)];
	const responses: RawResponse[] = [];
	const size = Math.floor(next() * 25);
	for (let i = 0; i < size; i++) {
		const perspective = pick(perspectives);
		const answers: RawResponse['answers'] = [];
		for (const dimension of dimensions) {
			for (let s = 0; s < dimension.statements; s++) {
				const roll = next();
				if (roll < 0.08) continue;
				let rating: Answer | undefined;
				if (dimension.nobody || roll < 0.2) rating = DK;
				else if (roll < 0.25) rating = undefined;
				else rating = Math.min(4, Math.floor((lean[perspective] + next()) * 2.5)) as Answer;
				answers.push({ dimensionId: dimension.id, rating });
			}
		}
		responses.push({
			respondentId: `r${i}`,
			perspective,
			submitted: next() < 0.9,
			stage: next() < 0.15 ? null : pick(STAGES),
			answers
		});
	}
	return {
		dimensions: dimensions.map(({ id, title }) => ({ id, title })),
		responses,
		threshold: Math.floor(next() * 7)
	};
}

/** Each group shown when it alone has K people: the rule before any subtraction is considered. */
function primaryRelease(raw: RawRound): Release {
	const k = Math.max(3, raw.threshold);
	const people = raw.responses.filter((r) => r.submitted);
	const size = (ps: readonly string[]) => people.filter((r) => ps.includes(r.perspective)).length;
	return {
		perspectives: new Set(PERSPECTIVES.filter((p) => size([p]) >= k)),
		lived: size(SIDE_PERSPECTIVES.lived) >= k,
		professional: size(SIDE_PERSPECTIVES.professional) >= k
	};
}

/**
 * Every group of fewer than K people (but more than none) whose total can be worked out from
 * what is shown: the shown groups, and every sum or difference of them, by brute force over
 * sets of perspectives. Empty when the release gives nobody away.
 */
function disclosed(raw: RawRound, release: Release): string[] {
	const k = Math.max(3, raw.threshold);
	const people = raw.responses.filter((r) => r.submitted);
	const key = (ps: Iterable<string>) => [...new Set(ps)].sort().join('+');
	const known = new Map<string, string[]>();
	const add = (ps: string[]) => {
		if (ps.length && !known.has(key(ps))) known.set(key(ps), ps);
	};
	if (people.length >= k) add([...PERSPECTIVES]);
	if (release.lived) add([...SIDE_PERSPECTIVES.lived]);
	if (release.professional) add([...SIDE_PERSPECTIVES.professional]);
	for (const p of release.perspectives) add([p]);
	for (let grew = true; grew;) {
		const before = known.size;
		const sets = [...known.values()];
		for (const a of sets)
			for (const b of sets) {
				if (b.every((p) => a.includes(p))) add(a.filter((p) => !b.includes(p)));
				if (!b.some((p) => a.includes(p))) add([...a, ...b]);
			}
		grew = known.size > before;
	}
	return [...known.entries()].flatMap(([name, ps]) => {
		const n = people.filter((r) => ps.includes(r.perspective)).length;
		return n > 0 && n < k ? [`${name}: ${n}`] : [];
	});
}

describe('property: scoreRound(scoreFromAnswers(raw)) matches a brute force', () => {
	it('agrees on 200 random rounds', () => {
		const seen = {
			hiddenPerspective: 0,
			highlighted: 0,
			notHighlighted: 0,
			unscored: 0,
			secondary: 0
		};
		for (let seed = 1; seed <= 200; seed++) {
			const raw = randomRound(random(seed));
			const input = scoreFromAnswers(raw);
			const results = scoreRound(input);
			const release: Release = {
				perspectives: new Set(
					results.byPerspective.filter((p) => p.shown).map((p) => p.perspective)
				),
				lived: results.sides.lived.shown,
				professional: results.sides.professional.shown
			};
			expect(disclosed(raw, release), `seed ${seed}`).toEqual([]);
			if (disclosed(raw, primaryRelease(raw)).length === 0)
				expect(release, `seed ${seed}: nothing more hidden than needed`).toEqual(
					primaryRelease(raw)
				);
			expect(decided(results), `seed ${seed}`).toEqual(bruteForce(raw, release));
			if (release.perspectives.size < primaryRelease(raw).perspectives.size) seen.secondary += 1;
			if (input.perspectives.some((p) => p.respondents < results.threshold)) {
				seen.hiddenPerspective += 1;
			}
			seen.highlighted += results.gaps.filter((g) => g.highlighted).length;
			seen.notHighlighted += results.gaps.filter((g) => g.gap !== null && !g.highlighted).length;
			seen.unscored += results.everyone.dimensions.filter(
				(d) => results.everyone.shown && d.score === null
			).length;
		}
		// The rounds reached the cases that matter.
		expect(seen.hiddenPerspective).toBeGreaterThan(20);
		expect(seen.highlighted).toBeGreaterThan(20);
		expect(seen.notHighlighted).toBeGreaterThan(20);
		expect(seen.unscored).toBeGreaterThan(5);
		expect(seen.secondary).toBeGreaterThan(5);
	});
});
