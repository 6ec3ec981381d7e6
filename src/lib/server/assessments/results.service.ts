import type { Kysely } from 'kysely';
import { assertCan, type Actor } from '../auth/auth.permissions';
import type { SessionUser } from '../auth/auth.types';
import type { DB } from '../db/schema';
import { csvCell } from '../csv';
import { canManageAssessment, canSeeResults, isOwner } from './assessments.permissions';
import {
	countContinuum,
	countRespondentsByPerspective,
	findAssessmentById,
	findRoundById,
	hasSubmittedResponse,
	listOwnerIds,
	listRoundComments,
	meanScoresByPerspective
} from './assessments.repository';
import type { Assessment, AssessmentRound } from './assessments.tables';
import { listDimensions } from './framework.repository';
import {
	displayScore,
	effectiveThreshold,
	NOT_ANSWERED_LABEL,
	PERSPECTIVES,
	scoreRound,
	STAGES,
	STAGE_LABELS,
	type ContinuumCounts,
	type GroupResult,
	type Perspective,
	type RoundInput,
	type RoundResults,
	type Stage
} from './scoring';

function isPerson(actor: Actor | null | undefined): actor is SessionUser {
	return !!actor && 'id' in actor;
}

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
	const order = (p: Perspective) => PERSPECTIVES.indexOf(p);
	const position = new Map(dimensions.map((d, i) => [d.id, i]));
	const stageOrder = (s: Stage | null) => (s === null ? STAGES.length : STAGES.indexOf(s));
	return {
		dimensions: dimensions.map((d) => ({ id: d.id, title: d.title })),
		perspectives: perspectives
			.flatMap((r) => (isPerspective(r.perspective) ? [{ ...r, perspective: r.perspective }] : []))
			.sort((a, b) => order(a.perspective) - order(b.perspective)),
		dimensionMeans: means
			.flatMap((r) =>
				isPerspective(r.perspective) && position.has(r.dimensionId)
					? [{ ...r, perspective: r.perspective }]
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
		threshold: assessment.threshold
	};
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
	roundId: string
): Promise<RoundResultsView | undefined> {
	const found = await standingIn(db, actor, roundId);
	if (!found) return undefined;
	const { round, assessment, standing } = found;
	assertCan(
		canSeeResults(actor, assessment, standing),
		'The results of this assessment are only for its owners.'
	);
	const input = await roundInput(db, round, assessment);
	return {
		assessment: { id: assessment.id, title: assessment.title },
		round: {
			id: round.id,
			number: round.number,
			closesAt: round.closes_at,
			closedAt: round.closed_at
		},
		results: scoreRound(input)
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
	roundId: string
): Promise<OwnerComments | undefined> {
	const found = await standingIn(db, actor, roundId);
	if (!found) return undefined;
	const { round, assessment, standing } = found;
	assertCan(
		canManageAssessment(actor, standing),
		'Only the owners of this assessment can read its comments.'
	);
	const threshold = effectiveThreshold(assessment.threshold);
	const respondents = (await countRespondentsByPerspective(db, round.id)).reduce(
		(sum, r) => sum + r.respondents,
		0
	);
	if (respondents < threshold)
		return {
			shown: false,
			reason: `Comments appear once at least ${threshold} people have answered.`,
			dimensions: []
		};
	const [dimensions, comments] = await Promise.all([
		listDimensions(db, assessment.framework_version_id),
		listRoundComments(db, round.id)
	]);
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
