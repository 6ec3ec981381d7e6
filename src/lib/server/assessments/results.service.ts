import type { Kysely } from 'kysely';
import { isPerson, assertCan, type Actor } from '../auth/auth.permissions';
import type { DB } from '../db/schema';
import { csvCell } from '../csv';
import { canManageAssessment, canSeeResults, isOwner } from './assessments.permissions';
import { isRoundOpen } from './assessments.service';
import {
	countContinuum,
	countRespondentsByPerspective,
	findAssessmentById,
	findRoundById,
	hasSubmittedResponse,
	listOwnerIds,
	meanScoresByPerspective
} from './assessments.repository';
import type {
	Assessment,
	AssessmentRound,
	FrameworkDimension,
	ResultsVisibility
} from './assessments.tables';
import { listDimensions } from './framework.repository';
import { listRoundIdsAnsweredBy, listRoundsOfAssessment } from './results.repository';
import { roundComments, roundFigures } from './round-figures';
import {
	displayScore,
	effectiveThreshold,
	NOT_ANSWERED_LABEL,
	PERSPECTIVES,
	scoreRound,
	STAGES,
	STAGE_LABELS,
	type Band,
	type ContinuumCounts,
	type DimensionRef,
	type GroupResult,
	type RankedDimension,
	type Perspective,
	type RoundInput,
	type RoundResults,
	type Stage
} from './scoring';

function isPerspective(value: string): value is Perspective {
	return (PERSPECTIVES as readonly string[]).includes(value);
}

function isStage(value: string): value is Stage {
	return (STAGES as readonly string[]).includes(value);
}

/**
 * A round's grouped figures, straight from SQL aggregates: never one row per answer or per
 * person. Perspectives and stages the app does not know are left out.
 */
export async function roundInput(
	db: Kysely<DB>,
	round: Pick<AssessmentRound, 'id'>,
	assessment: Pick<Assessment, 'framework_version_id' | 'threshold'>
): Promise<RoundInput> {
	const [dimensions, perspectives, means, continuum] = await Promise.all([
		listDimensions(db, assessment.framework_version_id),
		countRespondentsByPerspective(db, round.id),
		meanScoresByPerspective(db, round.id),
		countContinuum(db, round.id)
	]);
	return shapeInput(dimensions, perspectives, means, continuum, assessment.threshold);
}

/**
 * The grouped rows of one round as `scoreRound` takes them: in the order of PERSPECTIVES, then
 * of the framework, then of STAGES with "not answered" last.
 */
function shapeInput(
	dimensions: ReadonlyArray<{ id: string; title: string }>,
	perspectives: ReadonlyArray<{ perspective: string; respondents: number }>,
	means: ReadonlyArray<{
		perspective: string;
		dimensionId: string;
		meanScore: number;
		scored: number;
	}>,
	continuum: ReadonlyArray<{ perspective: string; stage: string | null; count: number }>,
	threshold: number
): RoundInput {
	const order = (p: Perspective) => PERSPECTIVES.indexOf(p);
	const position = new Map(dimensions.map((d, i) => [d.id, i]));
	const stageOrder = (s: Stage | null) => (s === null ? STAGES.length : STAGES.indexOf(s));
	return {
		dimensions: dimensions.map((d) => ({ id: d.id, title: d.title })),
		perspectives: perspectives
			.flatMap((r) =>
				isPerspective(r.perspective)
					? [{ perspective: r.perspective, respondents: r.respondents }]
					: []
			)
			.sort((a, b) => order(a.perspective) - order(b.perspective)),
		dimensionMeans: means
			.flatMap((r) =>
				isPerspective(r.perspective) && position.has(r.dimensionId)
					? [
							{
								perspective: r.perspective,
								dimensionId: r.dimensionId,
								meanScore: r.meanScore,
								scored: r.scored
							}
						]
					: []
			)
			.sort(
				(a, b) =>
					order(a.perspective) - order(b.perspective) ||
					position.get(a.dimensionId)! - position.get(b.dimensionId)!
			),
		continuum: continuum
			.flatMap((r) =>
				isPerspective(r.perspective)
					? [
							{
								perspective: r.perspective,
								stage: r.stage !== null && isStage(r.stage) ? r.stage : null,
								count: r.count
							}
						]
					: []
			)
			.sort(
				(a, b) =>
					order(a.perspective) - order(b.perspective) || stageOrder(a.stage) - stageOrder(b.stage)
			),
		threshold
	};
}

/** Why an open round shows no figures yet. */
export const OPEN_ROUND_REASON =
	'Results appear when this round closes. Until then only the number of people who have answered is shown, so that nobody can work out one person’s answers by watching the figures change.';

/** The reason an open round's figures are held back, or null once it has closed. */
function heldBackReason(round: AssessmentRound, now: Date): string | null {
	return isRoundOpen(round, now) ? OPEN_ROUND_REASON : null;
}

/**
 * What `scoreRound` takes for each of an assessment's rounds, in their order, with what people
 * wrote: closed rounds' figures from memory when nothing changed (see round-figures.ts), open
 * rounds held back.
 */
async function inputsFor(
	db: Kysely<DB>,
	assessment: Pick<Assessment, 'framework_version_id' | 'threshold'>,
	rounds: readonly AssessmentRound[],
	now: Date,
	dimensions?: readonly FrameworkDimension[]
): Promise<RoundInput[]> {
	const [framework, figures] = await Promise.all([
		dimensions ?? listDimensions(db, assessment.framework_version_id),
		roundFigures(db, rounds, (r) => isRoundOpen(r, now))
	]);
	return rounds.map((round) => {
		const { perspectives, means, continuum } = figures.get(round.id)!;
		return {
			...shapeInput(framework, perspectives, means, continuum, assessment.threshold),
			heldBack: heldBackReason(round, now),
			closed: !isRoundOpen(round, now)
		};
	});
}

export interface RoundResultsView {
	assessment: { id: string; title: string };
	round: { id: string; number: number; closesAt: string; closedAt: string | null };
	results: RoundResults;
}

/** Loads a round, its assessment, and what the actor is to it. */
async function standingIn(db: Kysely<DB>, actor: Actor | null, roundId: string) {
	const round = await findRoundById(db, roundId);
	const assessment = round && (await findAssessmentById(db, round.assessment_id));
	if (!round || !assessment) return undefined;
	const owners = await listOwnerIds(db, assessment.id);
	const owner = isOwner(actor, owners);
	const hasResponded =
		!owner && isPerson(actor) ? await hasSubmittedResponse(db, round.id, actor.id) : false;
	return { round, assessment, standing: { isOwner: owner, hasResponded } };
}

/**
 * The results of a round, for whoever the assessment shows them to: aggregates only, every
 * group with fewer than the threshold hidden. Undefined for a round that does not exist.
 */
export async function roundResults(
	db: Kysely<DB>,
	actor: Actor | null,
	roundId: string,
	now = new Date()
): Promise<RoundResultsView | undefined> {
	const found = await standingIn(db, actor, roundId);
	if (!found) return undefined;
	const { round, assessment, standing } = found;
	assertCan(
		canSeeResults(actor, assessment, standing),
		'The results of this assessment are only for its owners.'
	);
	const [input] = await inputsFor(db, assessment, [round], now);
	return {
		assessment: { id: assessment.id, title: assessment.title },
		round: summaryOf(round),
		results: scoreRound(input!)
	};
}

export interface OwnerComments {
	/** False while fewer than the threshold have answered: a lone comment could say who wrote it. */
	shown: boolean;
	reason: string | null;
	/** In framework order, dimensions without comments left out; comments in alphabetical order. */
	dimensions: Array<{ key: string; title: string; comments: string[] }>;
}

/**
 * What people wrote, for the owners: the text under each dimension and nothing else (no
 * perspective, no person, no order of arrival).
 */
export async function ownerComments(
	db: Kysely<DB>,
	actor: Actor | null,
	roundId: string,
	now = new Date()
): Promise<OwnerComments | undefined> {
	const found = await standingIn(db, actor, roundId);
	if (!found) return undefined;
	const { round, assessment, standing } = found;
	assertCan(standing.isOwner, 'Only the owners of this assessment can read its comments.');
	const dimensions = await listDimensions(db, assessment.framework_version_id);
	const [input] = await inputsFor(db, assessment, [round], now, dimensions);
	return commentsOf(db, round, dimensions, input!.perspectives, assessment.threshold, now);
}

/**
 * A round's comments, held back while the round is open (each new one would show who had just
 * answered) and while fewer than the threshold have answered.
 */
async function commentsOf(
	db: Kysely<DB>,
	round: AssessmentRound,
	dimensions: ReadonlyArray<Pick<FrameworkDimension, 'id' | 'key' | 'title'>>,
	perspectives: RoundInput['perspectives'],
	setting: number,
	now: Date
): Promise<OwnerComments> {
	const respondents = perspectives.reduce((sum, r) => sum + r.respondents, 0);
	const open = heldBackReason(round, now);
	if (open)
		return {
			shown: false,
			reason: 'Comments appear when this round closes.',
			dimensions: []
		};
	const threshold = effectiveThreshold(setting);
	if (respondents < threshold)
		return {
			shown: false,
			reason: `Fewer than ${threshold} people answered this round, so its comments are not shown.`,
			dimensions: []
		};
	const comments = await roundComments(db, round.id, perspectives);
	return {
		shown: true,
		reason: null,
		dimensions: dimensions.flatMap((d) => {
			const texts = comments
				.filter((c) => c.dimension_id === d.id)
				.map((c) => c.comment)
				.sort((a, b) => a.localeCompare(b, 'en-GB'));
			return texts.length ? [{ key: d.key, title: d.title, comments: texts }] : [];
		})
	};
}

/**
 * The figures of a round as a CSV file: one row for everyone and one per perspective, with
 * each dimension's score, the overall score and the continuum counts. Hidden groups have empty
 * cells, never zeros.
 */
export function resultsCsv(view: RoundResultsView): string {
	const { results } = view;
	const stageKeys = [...STAGES, 'not-answered'] as const;
	const header = [
		'Group',
		'Respondents',
		...results.everyone.dimensions.map((d) => d.title),
		'Overall',
		...STAGES.map((s) => STAGE_LABELS[s]),
		NOT_ANSWERED_LABEL
	];
	const row = (label: string, group: GroupResult, counts: ContinuumCounts | null) => [
		label,
		group.respondents,
		...group.dimensions.map((d) => (d.score === null ? null : displayScore(d.score))),
		group.overall === null ? null : displayScore(group.overall),
		...stageKeys.map((k) => (counts ? counts[k] : null))
	];
	const rows = [
		header,
		row('Everyone', results.everyone, results.continuum.everyone),
		...results.byPerspective.map((p, i) =>
			row(p.label, p, results.continuum.byPerspective[i]?.counts ?? null)
		)
	];
	return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** A round as the results page lists it. */
export interface RoundSummary {
	id: string;
	number: number;
	closesAt: string;
	closedAt: string | null;
}

/** Everyone's figures in one round, for the trend across rounds. */
export interface TrendRound {
	number: number;
	/** Always given, as for everyone in a round. */
	respondents: number;
	shown: boolean;
	/** Why the round's figures are hidden (fewer people than the threshold). */
	reason: string | null;
	overall: number | null;
	band: Band | null;
	/** Every dimension, in framework order; null when hidden or when nobody rated it. */
	dimensions: Array<{ id: string; score: number | null }>;
}

/** Everyone's scores round by round, oldest round first. */
export interface ResultsTrend {
	dimensions: DimensionRef[];
	rounds: TrendRound[];
}

/** A weakest dimension, with the curators' guidance on what to try. */
export interface GuidedDimension extends RankedDimension {
	/** The dimension's key, the same in every framework version (the library tags by it). */
	key: string;
	guidance: string;
}

/** Everything the results page of an assessment shows for one round. */
export interface AssessmentResultsView extends RoundResultsView {
	/** Owners and administrators: they also see the comments and the link to manage it. */
	canManage: boolean;
	/** The rounds whose results the actor may see, oldest first. */
	rounds: RoundSummary[];
	/** The weakest dimensions with their guidance, from the assessment's framework version. */
	weakest: GuidedDimension[];
	/** Across the rounds the actor may see; null with fewer than two. */
	trend: ResultsTrend | null;
	/** What people wrote: for the owners alone (not administrators), null for anyone else. */
	comments: OwnerComments | null;
}

function refusalFor(visibility: ResultsVisibility): string {
	return visibility === 'respondents'
		? 'The results of this round are only for its owners and the people who answered it.'
		: 'The results of this assessment are only for its owners.';
}

/** The assessment and round asked for, the rounds the actor may see, and whether they manage it. */
async function resultsAccess(
	db: Kysely<DB>,
	actor: Actor | null,
	assessmentId: string,
	roundNumber: number | undefined
) {
	const [assessment, allRounds] = await Promise.all([
		findAssessmentById(db, assessmentId),
		listRoundsOfAssessment(db, assessmentId)
	]);
	if (!assessment || allRounds.length === 0) return undefined;
	if (roundNumber !== undefined && !allRounds.some((r) => r.number === roundNumber))
		return undefined;

	const owners = await listOwnerIds(db, assessment.id);
	const owner = isOwner(actor, owners);
	const answered = new Set(
		!owner && isPerson(actor) ? await listRoundIdsAnsweredBy(db, assessment.id, actor.id) : []
	);
	const maySee = (r: AssessmentRound) =>
		canSeeResults(actor, assessment, { isOwner: owner, hasResponded: answered.has(r.id) });
	const rounds = allRounds.filter(maySee);
	// Without a round asked for: the latest one this person may see (someone who answered
	// round 1 only still gets its results, not a refusal for round 2).
	const round =
		roundNumber === undefined ? rounds.at(-1) : allRounds.find((r) => r.number === roundNumber);
	assertCan(!!round && maySee(round), refusalFor(assessment.results_visibility));
	return {
		assessment,
		round: round!,
		rounds,
		canManage: canManageAssessment(actor, { isOwner: owner }),
		// Comments are for the owners alone: people wrote them for them, not for administrators.
		isOwner: owner
	};
}

/**
 * One round of an assessment by its number (the latest when not given), for whoever
 * `canSeeResults` lets see it: what the CSV download holds. Undefined for an assessment or
 * round that does not exist.
 */
export async function roundResultsByNumber(
	db: Kysely<DB>,
	actor: Actor | null,
	assessmentId: string,
	roundNumber?: number,
	now = new Date()
): Promise<RoundResultsView | undefined> {
	const access = await resultsAccess(db, actor, assessmentId, roundNumber);
	if (!access) return undefined;
	const { assessment, round } = access;
	return {
		assessment: { id: assessment.id, title: assessment.title },
		round: summaryOf(round),
		results: scoreRound((await inputsFor(db, assessment, [round], now))[0]!)
	};
}

/**
 * The results page of an assessment: one round (the latest unless `roundNumber` is given) with
 * the trend across every round the actor may see, the guidance for its weakest dimensions and,
 * for owners, the comments. Refuses whoever `canSeeResults` refuses for that round. Undefined
 * for an assessment or round that does not exist.
 *
 * Each round's figures come from the same grouped queries as `roundInput`, for all the rounds
 * shown at once, and are kept once the round has closed (see round-figures.ts): never one row
 * per person.
 */
export async function assessmentResults(
	db: Kysely<DB>,
	actor: Actor | null,
	assessmentId: string,
	roundNumber?: number,
	now = new Date()
): Promise<AssessmentResultsView | undefined> {
	const access = await resultsAccess(db, actor, assessmentId, roundNumber);
	if (!access) return undefined;
	const { assessment, round, rounds, canManage, isOwner: ownsIt } = access;

	const dimensions = await listDimensions(db, assessment.framework_version_id);
	const inputs = await inputsFor(db, assessment, rounds, now, dimensions);
	const scored = new Map(rounds.map((r, i) => [r.id, scoreRound(inputs[i]!)]));
	const results = scored.get(round.id)!;
	const byId = new Map(dimensions.map((d) => [d.id, d]));

	return {
		assessment: { id: assessment.id, title: assessment.title },
		round: summaryOf(round),
		results,
		canManage,
		rounds: rounds.map(summaryOf),
		weakest: results.weakest.map((d) => ({
			...d,
			key: byId.get(d.id)?.key ?? '',
			guidance: byId.get(d.id)?.guidance ?? ''
		})),
		trend:
			rounds.length < 2
				? null
				: {
						dimensions: dimensions.map((d) => ({ id: d.id, title: d.title })),
						rounds: rounds.map((r) => {
							const { everyone } = scored.get(r.id)!;
							return {
								number: r.number,
								respondents: everyone.respondents,
								shown: everyone.shown,
								reason: everyone.reason,
								overall: everyone.overall,
								band: everyone.band,
								dimensions: everyone.dimensions.map((d) => ({ id: d.id, score: d.score }))
							};
						})
					},
		comments: ownsIt
			? await commentsOf(
					db,
					round,
					dimensions,
					inputs[rounds.findIndex((r) => r.id === round.id)]!.perspectives,
					assessment.threshold,
					now
				)
			: null
	};
}

function summaryOf(round: AssessmentRound): RoundSummary {
	return {
		id: round.id,
		number: round.number,
		closesAt: round.closes_at,
		closedAt: round.closed_at
	};
}

/** "riverside-day-centre-results-round-2.csv": from the title, plain letters and digits only. */
export function resultsCsvFilename(title: string, roundNumber: number): string {
	const slug = title
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 60)
		.replace(/-+$/, '');
	return `${slug || 'assessment'}-results-round-${roundNumber}.csv`;
}
