/**
 * Scoring for the co-production check: from the figures SQL groups by perspective to the
 * results people see. Every rule is in docs/assessment.md, with an example worked by hand that
 * scoring.spec.ts checks number by number.
 *
 * Nothing here reads the database or holds one row per answer: `scoreRound` takes a few dozen
 * grouped rows, however many people answered. `scoreFromAnswers` is the slow reference that
 * the spec uses to check the grouping.
 */

import { plural } from '../../plural';

/** The five ratings a statement can get, weakest first. */
export const RATINGS = [
	{ value: 0, label: 'Never' },
	{ value: 1, label: 'Rarely' },
	{ value: 2, label: 'Sometimes' },
	{ value: 3, label: 'Often' },
	{ value: 4, label: 'Always' }
] as const;

/** A rating that counts: 0 (never) to 4 (always). */
export type Rating = (typeof RATINGS)[number]['value'];

/** The answer that does not count towards a score (stored as a null rating). */
export const DONT_KNOW = 'dont-know';

/** How "Don't know" is worded. */
export const DONT_KNOW_LABEL = 'Don’t know';

/** Anything a person can answer to a statement. */
export type Answer = Rating | typeof DONT_KNOW;

/** The continuum of participation, weakest to strongest. */
export const STAGES = [
	'informing',
	'consulting',
	'engaging',
	'co-designing',
	'co-producing'
] as const;

/** A stage on the continuum of participation. */
export type Stage = (typeof STAGES)[number];

/** Plain names of the stages. */
export const STAGE_LABELS: Record<Stage, string> = {
	informing: 'Informing',
	consulting: 'Consulting',
	engaging: 'Engaging',
	'co-designing': 'Co-designing',
	'co-producing': 'Co-producing'
};

/** The key under which people who skipped the continuum question are counted. */
export const NOT_ANSWERED = 'not-answered';

/** How skipping the continuum question is worded. */
export const NOT_ANSWERED_LABEL = 'Not answered';

/** Where someone answers from, in the order results list them. */
export const PERSPECTIVES = [
	'uses-services',
	'carer',
	'frontline',
	'manager',
	'commissioner',
	'partner',
	'other'
] as const;

/** Where someone answers from. */
export type Perspective = (typeof PERSPECTIVES)[number];

/** The words a person picks their perspective by. */
export const PERSPECTIVE_LABELS: Record<Perspective, string> = {
	'uses-services': 'I use the service (or have used it)',
	carer: 'I care for someone who uses it',
	frontline: 'I work on the front line',
	manager: 'I manage a service or team',
	commissioner: 'I commission or fund services',
	partner: 'I’m from a partner organisation',
	other: 'Something else'
};

/** The two sides the perception gap compares. */
export const SIDES = ['lived', 'professional'] as const;

/** A side of the perception gap. */
export type Side = (typeof SIDES)[number];

/** The perspectives on each side. Partners and "something else" are on neither. */
export const SIDE_PERSPECTIVES: Record<Side, readonly Perspective[]> = {
	lived: ['uses-services', 'carer'],
	professional: ['frontline', 'manager', 'commissioner']
};

/** Plain names of the sides, as they start a sentence. */
export const SIDE_LABELS: Record<Side, string> = {
	lived: 'People who use services and carers',
	professional: 'Staff, managers and commissioners'
};

/** The side a perspective is on, or null for partners and "something else". */
export function sideOf(perspective: Perspective): Side | null {
	for (const side of SIDES) {
		if (SIDE_PERSPECTIVES[side].includes(perspective)) return side;
	}
	return null;
}

/** The four bands of a score, lowest first. */
export const BANDS = ['not-yet', 'early', 'developing', 'strong'] as const;

/** A band of a score. */
export type Band = (typeof BANDS)[number];

/** Plain names of the bands. */
export const BAND_LABELS: Record<Band, string> = {
	'not-yet': 'Not yet co-produced',
	early: 'Early steps',
	developing: 'Getting there',
	strong: 'Strong co-production'
};

/** The lowest score of each band above "not yet". */
const BAND_FLOORS: ReadonlyArray<readonly [Band, number]> = [
	['strong', 80],
	['developing', 60],
	['early', 40]
];

/** The fewest people a group's figures are ever shown for, whatever the setting. */
export const MIN_THRESHOLD = 3;

/** A perception gap of this many points or more (either way) is highlighted. */
export const GAP_HIGHLIGHT = 20;

/**
 * Scores are exact fractions with small denominators, but the database and the weighted means
 * add floating-point noise (59.99999999999999 for 60). Two scores closer than this are the same
 * score, in bands, ties, highlights and rounding.
 */
const EPSILON = 1e-9;

/** The band of a score from 0 to 100, from the unrounded score. */
export function bandOf(score: number): Band {
	if (!(score >= -EPSILON && score <= 100 + EPSILON)) {
		throw new RangeError(`A score runs from 0 to 100, not ${score}.`);
	}
	for (const [band, floor] of BAND_FLOORS) {
		if (score >= floor - EPSILON) return band;
	}
	return 'not-yet';
}

/** A score as people see it: a whole number, rounded half up (62.5 shows as 63). */
export function displayScore(score: number): number {
	return Math.floor(score + 0.5 + EPSILON);
}

/** The threshold in force for a setting: the setting, but never below 3. */
export function effectiveThreshold(setting: number): number {
	if (!Number.isFinite(setting)) return MIN_THRESHOLD;
	return Math.max(MIN_THRESHOLD, Math.ceil(setting));
}

/** A dimension of the framework, in framework order. */
export interface DimensionRef {
	id: string;
	title: string;
}

/**
 * The grouped figures of one round, as SQL produces them (submitted responses only). Rows may
 * be missing: a perspective nobody answered from has no rows; a dimension in which none of a
 * perspective's respondents gave a rating has no `dimensionMeans` row for it.
 */
export interface RoundInput {
	/** The framework's dimensions, in framework order. */
	dimensions: DimensionRef[];
	/** Submitted responses per perspective. */
	perspectives: Array<{ perspective: Perspective; respondents: number }>;
	dimensionMeans: Array<{
		perspective: Perspective;
		dimensionId: string;
		/** Mean over that perspective's respondents of their 0–100 dimension score. */
		meanScore: number;
		/** How many of its respondents have a score in that dimension. */
		scored: number;
	}>;
	/** Answers to the continuum question per perspective; null stage: not answered. */
	continuum: Array<{ perspective: Perspective; stage: Stage | null; count: number }>;
	/** The assessment's setting; `effectiveThreshold` is applied to it. */
	threshold: number;
	/**
	 * Why the figures are held back, if they are: while a round is open only the number who have
	 * answered is shown, or anyone watching the figures change could work out each new answer.
	 */
	heldBack?: string | null;
	/** The round has closed: "fewer than K answered" is then final, not "so far". */
	closed?: boolean;
}

/** One dimension's score for a group; null when hidden or when nobody in the group rated it. */
export interface DimensionResult {
	id: string;
	title: string;
	score: number | null;
	band: Band | null;
}

/** A group's figures. When hidden, every figure is null and `reason` says why. */
export interface GroupResult {
	/** Submitted responses; for a hidden perspective null, so small numbers never show. */
	respondents: number | null;
	shown: boolean;
	reason: string | null;
	/** Every dimension, in framework order. */
	dimensions: DimensionResult[];
	overall: number | null;
	band: Band | null;
}

/** Everyone who answered, together. */
export interface EveryoneResult extends GroupResult {
	/** Always given, so owners can see how many have answered so far. */
	respondents: number;
}

/** The people who answered from one perspective. */
export interface PerspectiveResult extends GroupResult {
	perspective: Perspective;
	label: string;
}

/** Whether one side of the perception gap has enough people to be shown. */
export interface SideResult {
	side: Side;
	label: string;
	respondents: number | null;
	shown: boolean;
	reason: string | null;
}

/** The perception gap in one dimension: lived minus professional. */
export interface GapResult {
	dimensionId: string;
	title: string;
	lived: number | null;
	professional: number | null;
	gap: number | null;
	/** True when the gap is 20 points or more, either way. */
	highlighted: boolean;
	/** A plain sentence, for highlighted gaps only. */
	explanation: string | null;
	/** Why there is no gap, when there is none. */
	reason: string | null;
}

/** A dimension named as one of the strongest or weakest. */
export interface RankedDimension {
	id: string;
	title: string;
	score: number;
	band: Band;
}

/** How many people placed the work at each stage, and how many skipped the question. */
export type ContinuumCounts = Record<Stage | typeof NOT_ANSWERED, number>;

/** The continuum answers, for everyone and for each perspective; null when hidden. */
export interface ContinuumResult {
	everyone: ContinuumCounts | null;
	byPerspective: Array<{
		perspective: Perspective;
		label: string;
		counts: ContinuumCounts | null;
	}>;
}

/** Everything the results page shows for a round. */
export interface RoundResults {
	/** The threshold in force (never below 3). */
	threshold: number;
	/** Why every figure is held back (the round is still open), or null. */
	heldBack: string | null;
	everyone: EveryoneResult;
	/** All seven perspectives, in the order of PERSPECTIVES. */
	byPerspective: PerspectiveResult[];
	sides: Record<Side, SideResult>;
	/** One per dimension, in framework order. */
	gaps: GapResult[];
	/** Up to two, highest first; never the same dimension as in `weakest`. */
	strongest: RankedDimension[];
	/** Up to two, lowest first. */
	weakest: RankedDimension[];
	continuum: ContinuumResult;
}

type Includes = (perspective: Perspective) => boolean;

/** A sentence saying why a perspective's figures are hidden. */
function perspectiveReason(threshold: number): string {
	return `Fewer than ${threshold} people answered from this perspective.`;
}

function everyoneReason(threshold: number, closed: boolean): string {
	return closed
		? `Fewer than ${threshold} people answered this round, so its results are not shown.`
		: `Fewer than ${threshold} people have answered so far, so there are no results yet.`;
}

function sideReason(side: Side, threshold: number): string {
	return side === 'lived'
		? `Fewer than ${threshold} people who use services or care for someone answered.`
		: `Fewer than ${threshold} staff, managers and commissioners answered.`;
}

function noRatingReason(side: Side): string {
	return side === 'lived'
		? 'Nobody who uses services or cares for someone gave this a rating.'
		: 'No staff, managers or commissioners gave this a rating.';
}

/** The plain sentence under a highlighted gap. */
function gapExplanation(gap: number): string {
	const direction = gap < 0 ? 'lower' : 'higher';
	const points = displayScore(Math.abs(gap));
	return `${SIDE_LABELS.lived} rate this ${plural(points, 'point', 'points')} ${direction} than ${SIDE_LABELS.professional.toLowerCase()}.`;
}

/**
 * Scores a round from its grouped figures. Everyone, each perspective and each side is shown
 * only when at least `effectiveThreshold(input.threshold)` people answered from it; hidden
 * figures are null, never zero.
 */
export function scoreRound(input: RoundInput): RoundResults {
	if (input.heldBack) return heldBack(input, input.heldBack);
	const threshold = effectiveThreshold(input.threshold);
	const everyoneIncludes: Includes = () => true;

	function respondents(includes: Includes): number {
		let total = 0;
		for (const row of input.perspectives) {
			if (includes(row.perspective)) total += row.respondents;
		}
		return total;
	}

	/** Weighted mean of the perspectives' means by how many each scored: the mean of people. */
	function dimensionScore(includes: Includes, dimensionId: string): number | null {
		let sum = 0;
		let scored = 0;
		for (const row of input.dimensionMeans) {
			if (row.dimensionId !== dimensionId || !includes(row.perspective) || row.scored <= 0) {
				continue;
			}
			sum += row.meanScore * row.scored;
			scored += row.scored;
		}
		return scored === 0 ? null : sum / scored;
	}

	function figures(includes: Includes, shown: boolean) {
		const dimensions: DimensionResult[] = input.dimensions.map(({ id, title }) => {
			const score = shown ? dimensionScore(includes, id) : null;
			return { id, title, score, band: score === null ? null : bandOf(score) };
		});
		const scores = dimensions.flatMap((d) => (d.score === null ? [] : [d.score]));
		const overall = scores.length === 0 ? null : scores.reduce((a, b) => a + b, 0) / scores.length;
		return { dimensions, overall, band: overall === null ? null : bandOf(overall) };
	}

	function continuumCounts(includes: Includes): ContinuumCounts {
		const counts = emptyCounts();
		for (const row of input.continuum) {
			if (!includes(row.perspective)) continue;
			const key = row.stage !== null && isStage(row.stage) ? row.stage : NOT_ANSWERED;
			counts[key] += row.count;
		}
		return counts;
	}

	const total = respondents(everyoneIncludes);
	const everyoneShown = total >= threshold;
	const everyone: EveryoneResult = {
		respondents: total,
		shown: everyoneShown,
		reason: everyoneShown ? null : everyoneReason(threshold, input.closed ?? false),
		...figures(everyoneIncludes, everyoneShown)
	};

	const counts = new Map(PERSPECTIVES.map((p) => [p, respondents((q) => q === p)]));
	const release = safeToShow(counts, threshold, everyoneShown);

	const byPerspective: PerspectiveResult[] = PERSPECTIVES.map((perspective) => {
		const includes: Includes = (p) => p === perspective;
		const count = counts.get(perspective)!;
		const shown = release.perspectives.has(perspective);
		return {
			perspective,
			label: PERSPECTIVE_LABELS[perspective],
			respondents: shown ? count : null,
			shown,
			reason: shown ? null : count >= threshold ? SUBTRACTION_REASON : perspectiveReason(threshold),
			...figures(includes, shown)
		};
	});

	const sideIncludes: Record<Side, Includes> = {
		lived: (p) => SIDE_PERSPECTIVES.lived.includes(p),
		professional: (p) => SIDE_PERSPECTIVES.professional.includes(p)
	};
	const sides = {} as Record<Side, SideResult>;
	for (const side of SIDES) {
		const count = respondents(sideIncludes[side]);
		const shown = release.sides.has(side);
		sides[side] = {
			side,
			label: SIDE_LABELS[side],
			respondents: shown ? count : null,
			shown,
			reason: shown ? null : count >= threshold ? SUBTRACTION_REASON : sideReason(side, threshold)
		};
	}

	const gaps: GapResult[] = input.dimensions.map(({ id, title }) => {
		const lived = sides.lived.shown ? dimensionScore(sideIncludes.lived, id) : null;
		const professional = sides.professional.shown
			? dimensionScore(sideIncludes.professional, id)
			: null;
		const gap = lived !== null && professional !== null ? lived - professional : null;
		const highlighted = gap !== null && Math.abs(gap) >= GAP_HIGHLIGHT - EPSILON;
		let reason: string | null = null;
		if (gap === null) {
			reason =
				sides.lived.reason ??
				sides.professional.reason ??
				noRatingReason(lived === null ? 'lived' : 'professional');
		}
		return {
			dimensionId: id,
			title,
			lived,
			professional,
			gap,
			highlighted,
			explanation: highlighted && gap !== null ? gapExplanation(gap) : null,
			reason
		};
	});

	const { strongest, weakest } = rank(everyone.dimensions);

	const continuum: ContinuumResult = {
		everyone: everyoneShown ? continuumCounts(everyoneIncludes) : null,
		byPerspective: byPerspective.map(({ perspective, label, shown }) => ({
			perspective,
			label,
			counts: shown ? continuumCounts((p) => p === perspective) : null
		}))
	};

	return {
		threshold,
		heldBack: null,
		everyone,
		byPerspective,
		sides,
		gaps,
		strongest,
		weakest,
		continuum
	};
}

/** Results with every figure hidden for `reason`, but how many have answered. */
function heldBack(input: RoundInput, reason: string): RoundResults {
	const empty = scoreRound({ ...input, heldBack: null, perspectives: [], dimensionMeans: [] });
	const respondents = input.perspectives.reduce((total, p) => total + p.respondents, 0);
	return {
		...empty,
		heldBack: reason,
		everyone: { ...empty.everyone, respondents, reason },
		byPerspective: empty.byPerspective.map((p) => ({ ...p, reason })),
		sides: {
			lived: { ...empty.sides.lived, reason },
			professional: { ...empty.sides.professional, reason }
		},
		gaps: empty.gaps.map((g) => ({ ...g, reason })),
		continuum: {
			everyone: null,
			byPerspective: empty.continuum.byPerspective.map((p) => ({ ...p, counts: null }))
		}
	};
}

/** Why a group big enough to show is hidden all the same. */
export const SUBTRACTION_REASON =
	'Hidden so that a smaller group’s answers cannot be worked out by taking these figures from the totals.';

/**
 * Which perspectives and sides can be shown without giving away a hidden group by subtraction
 * (what statisticians call secondary suppression). Every total that is shown, or that can be
 * worked out by taking shown totals from each other, must hide either nobody or at least K
 * people; otherwise the smallest group still shown in it is hidden too, and the check runs
 * again. The totals are each shown side and, when everyone is shown, the rest of everyone (the
 * perspectives on neither side, and those of a side that is not shown).
 */
function safeToShow(
	counts: ReadonlyMap<Perspective, number>,
	threshold: number,
	everyoneShown: boolean
): { perspectives: Set<Perspective>; sides: Set<Side> } {
	const count = (p: Perspective) => counts.get(p) ?? 0;
	const sum = (ps: readonly Perspective[]) => ps.reduce((total, p) => total + count(p), 0);
	const perspectives = new Set(PERSPECTIVES.filter((p) => count(p) >= threshold));
	const sides = new Set(SIDES.filter((side) => sum(SIDE_PERSPECTIVES[side]) >= threshold));
	/** The smallest of these, the last in order on a tie (so the first listed stay). */
	const smallest = <T>(items: T[], size: (item: T) => number) =>
		items.reduce((a, b) => (size(b) <= size(a) ? b : a));

	for (;;) {
		const totals: Perspective[][] = [...sides].map((side) => [...SIDE_PERSPECTIVES[side]]);
		if (everyoneShown)
			totals.push(
				PERSPECTIVES.filter((p) => ![...sides].some((s) => SIDE_PERSPECTIVES[s].includes(p)))
			);
		const unsafe = totals.find((total) => {
			const hidden = sum(total.filter((p) => !perspectives.has(p)));
			return hidden > 0 && hidden < threshold;
		});
		if (!unsafe) return { perspectives, sides };
		const candidates = unsafe.filter((p) => perspectives.has(p));
		if (candidates.length) {
			perspectives.delete(smallest(candidates, count));
			continue;
		}
		// Only the rest of everyone can be left with no shown group to hide (a shown side's
		// hidden groups add up to the side itself): hiding a side makes that rest bigger. Hide
		// the side whose own perspectives are least shown, so the fewest figures are lost.
		if (sides.size === 0) return { perspectives, sides };
		const shownIn = (side: Side) => sum(SIDE_PERSPECTIVES[side].filter((p) => perspectives.has(p)));
		const [first, ...rest] = [...sides];
		const hide = rest.reduce((a, b) => {
			const byShown = shownIn(b) - shownIn(a);
			const bySize = sum(SIDE_PERSPECTIVES[b]) - sum(SIDE_PERSPECTIVES[a]);
			return byShown < 0 || (byShown === 0 && bySize <= 0) ? b : a;
		}, first!);
		sides.delete(hide);
	}
}

/**
 * The strongest and weakest of everyone's dimensions. With n scored dimensions each list gets
 * min(2, ⌊n / 2⌋), so no dimension is both; ties go to the one first in the framework.
 */
function rank(dimensions: DimensionResult[]): {
	strongest: RankedDimension[];
	weakest: RankedDimension[];
} {
	const scored = dimensions.flatMap((d, index) =>
		d.score === null || d.band === null
			? []
			: [{ index, ranked: { id: d.id, title: d.title, score: d.score, band: d.band } }]
	);
	const size = Math.min(2, Math.floor(scored.length / 2));
	const byScore = (direction: 1 | -1) => (a: (typeof scored)[number], b: typeof a) => {
		const difference = a.ranked.score - b.ranked.score;
		if (Math.abs(difference) > EPSILON) return direction * difference;
		return a.index - b.index;
	};
	const strongest = [...scored].sort(byScore(-1)).slice(0, size);
	const rest = scored.filter((s) => !strongest.includes(s));
	const weakest = rest.sort(byScore(1)).slice(0, size);
	return {
		strongest: strongest.map((s) => s.ranked),
		weakest: weakest.map((s) => s.ranked)
	};
}

function emptyCounts(): ContinuumCounts {
	return {
		informing: 0,
		consulting: 0,
		engaging: 0,
		'co-designing': 0,
		'co-producing': 0,
		[NOT_ANSWERED]: 0
	};
}

function isStage(value: string): value is Stage {
	return (STAGES as readonly string[]).includes(value);
}

/** One person's response, with every answer, as the reference implementation takes it. */
export interface RawResponse {
	respondentId: string;
	perspective: Perspective;
	/** Only submitted responses count; unfinished ones are left out of everything. */
	submitted: boolean;
	stage: Stage | null;
	/** One per statement; a statement left out, or with an undefined rating, was not answered. */
	answers: Array<{ dimensionId: string; rating: Answer | undefined }>;
}

/** A round's raw answers, for the reference implementation. */
export interface RawRound {
	dimensions: DimensionRef[];
	responses: RawResponse[];
	threshold: number;
}

/**
 * The reference for the SQL: the grouped figures of a round, worked out from every answer in
 * memory. For specs only; the results page must use the grouped query. Rows come in the order
 * of PERSPECTIVES, then of the framework, then of STAGES with "not answered" last.
 */
export function scoreFromAnswers(raw: RawRound): RoundInput {
	const seen = new Set<string>();
	for (const response of raw.responses) {
		if (seen.has(response.respondentId)) {
			throw new Error(`Respondent ${response.respondentId} appears twice.`);
		}
		seen.add(response.respondentId);
	}
	const submitted = raw.responses.filter((r) => r.submitted);

	/** A person's 0–100 score in a dimension, or null when they gave it no rating. */
	function personScore(response: RawResponse, dimensionId: string): number | null {
		const ratings = response.answers.flatMap((a) =>
			a.dimensionId === dimensionId && typeof a.rating === 'number' ? [a.rating] : []
		);
		if (ratings.length === 0) return null;
		return (ratings.reduce<number>((a, b) => a + b, 0) / ratings.length) * 25;
	}

	const input: RoundInput = {
		dimensions: raw.dimensions.map(({ id, title }) => ({ id, title })),
		perspectives: [],
		dimensionMeans: [],
		continuum: [],
		threshold: raw.threshold
	};
	for (const perspective of PERSPECTIVES) {
		const people = submitted.filter((r) => r.perspective === perspective);
		if (people.length === 0) continue;
		input.perspectives.push({ perspective, respondents: people.length });
		for (const { id } of raw.dimensions) {
			const scores = people.flatMap((r) => {
				const score = personScore(r, id);
				return score === null ? [] : [score];
			});
			if (scores.length === 0) continue;
			input.dimensionMeans.push({
				perspective,
				dimensionId: id,
				meanScore: scores.reduce((a, b) => a + b, 0) / scores.length,
				scored: scores.length
			});
		}
		for (const stage of [...STAGES, null]) {
			const count = people.filter((r) => r.stage === stage).length;
			if (count > 0) input.continuum.push({ perspective, stage, count });
		}
	}
	return input;
}
