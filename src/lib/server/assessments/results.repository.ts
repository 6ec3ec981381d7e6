import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema';
import type { AssessmentRound } from './assessments.tables';

type Db = Kysely<DB> | Transaction<DB>;

// Results across the rounds of one assessment: aggregates only, grouped by round, so the
// results page reads every round it shows in one pass. Nothing here returns a row per person.

/** An assessment's rounds, oldest first. */
export async function listRoundsOfAssessment(
	db: Db,
	assessmentId: string
): Promise<AssessmentRound[]> {
	return db
		.selectFrom('assessment_round')
		.selectAll()
		.where('assessment_id', '=', assessmentId)
		.orderBy('number')
		.execute();
}

/** The ids of an assessment's rounds to which a member submitted an answer. */
export async function listRoundIdsAnsweredBy(
	db: Db,
	assessmentId: string,
	userId: string
): Promise<string[]> {
	const rows = await db
		.selectFrom('assessment_response as r')
		.innerJoin('assessment_round as o', 'o.id', 'r.round_id')
		.select('r.round_id')
		.where('o.assessment_id', '=', assessmentId)
		.where('r.user_id', '=', userId)
		.where('r.submitted_at', 'is not', null)
		.execute();
	return rows.map((r) => r.round_id);
}

/** Submitted responses per round and perspective. */
export async function countRespondentsByRound(
	db: Db,
	roundIds: readonly string[]
): Promise<Array<{ roundId: string; perspective: string; respondents: number }>> {
	if (roundIds.length === 0) return [];
	const rows = await db
		.selectFrom('assessment_response')
		.select((eb) => ['round_id', 'perspective', eb.fn.countAll<number | string>().as('n')])
		.where('round_id', 'in', roundIds)
		.where('submitted_at', 'is not', null)
		.groupBy(['round_id', 'perspective'])
		.execute();
	return rows.map((r) => ({
		roundId: r.round_id,
		perspective: r.perspective,
		respondents: Number(r.n)
	}));
}

/**
 * Per round, perspective and dimension: the mean of respondents' 0–100 dimension scores and how
 * many have one, exactly as `meanScoresByPerspective` works them out for one round (see
 * docs/assessment.md), in one query for several rounds.
 */
export async function meanScoresByRound(
	db: Db,
	roundIds: readonly string[]
): Promise<
	Array<{
		roundId: string;
		perspective: string;
		dimensionId: string;
		meanScore: number;
		scored: number;
	}>
> {
	if (roundIds.length === 0) return [];
	const rows = await db
		.selectFrom((eb) =>
			eb
				.selectFrom('assessment_answer as a')
				.innerJoin('assessment_response as r', 'r.id', 'a.response_id')
				.select([
					'r.round_id',
					'r.perspective',
					'a.dimension_id',
					sql<number>`avg(cast(${sql.ref('a.rating')} as double precision)) * 25`.as('score')
				])
				.where('r.round_id', 'in', roundIds)
				.where('r.submitted_at', 'is not', null)
				.where('a.rating', 'is not', null)
				.groupBy(['r.id', 'r.round_id', 'r.perspective', 'a.dimension_id'])
				.as('per_person')
		)
		.select((eb) => [
			'per_person.round_id',
			'per_person.perspective',
			'per_person.dimension_id',
			eb.fn.avg<number | string>('per_person.score').as('mean_score'),
			eb.fn.countAll<number | string>().as('scored')
		])
		.groupBy(['per_person.round_id', 'per_person.perspective', 'per_person.dimension_id'])
		.execute();
	return rows.map((r) => ({
		roundId: r.round_id,
		perspective: r.perspective,
		dimensionId: r.dimension_id,
		// PostgreSQL's avg and count come back as numeric / bigint strings.
		meanScore: Number(r.mean_score),
		scored: Number(r.scored)
	}));
}
