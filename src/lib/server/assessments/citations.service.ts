import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import type { ResultsVisibility } from './assessments.tables';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * Rounds of the co-production check that other features (the library's case studies) may cite.
 * A round may be cited by one of its assessment's owners, or by anyone once its owners chose to
 * make the results public: either way, by the owners' choice.
 */
export interface CitableRound {
	roundId: string;
	assessmentId: string;
	title: string;
	number: number;
	resultsPublic: boolean;
	/** The address of its results (readable by visitors only when `resultsPublic`). */
	resultsUrl: string;
}

function toCitable(row: {
	round_id: string;
	assessment_id: string;
	title: string;
	number: number;
	results_visibility: ResultsVisibility;
}): CitableRound {
	return {
		roundId: row.round_id,
		assessmentId: row.assessment_id,
		title: row.title,
		number: row.number,
		resultsPublic: row.results_visibility === 'public',
		resultsUrl: `/assessments/${row.assessment_id}/results?round=${row.number}`
	};
}

function rounds(db: Db) {
	return db
		.selectFrom('assessment_round as r')
		.innerJoin('assessment as a', 'a.id', 'r.assessment_id')
		.select([
			'r.id as round_id',
			'a.id as assessment_id',
			'a.title',
			'r.number',
			'a.results_visibility'
		]);
}

/** The rounds this person may cite: those of assessments they own, and public ones (newest first). */
export async function roundsPersonMayCite(
	db: Db,
	userId: string,
	limit = 50
): Promise<CitableRound[]> {
	const rows = await rounds(db)
		.where((eb) =>
			eb.or([
				eb('a.results_visibility', '=', 'public'),
				eb(
					'a.id',
					'in',
					eb
						.selectFrom('assessment_owner as o')
						.select('o.assessment_id')
						.where('o.user_id', '=', userId)
				)
			])
		)
		.orderBy('r.created_at', 'desc')
		.limit(limit)
		.execute();
	return rows.map(toCitable);
}

/** Whether this person may cite this round now; the round as cited, or undefined. */
export async function roundPersonMayCite(
	db: Db,
	userId: string,
	roundId: string
): Promise<CitableRound | undefined> {
	const row = await rounds(db)
		.where('r.id', '=', roundId)
		.where((eb) =>
			eb.or([
				eb('a.results_visibility', '=', 'public'),
				eb.exists(
					eb
						.selectFrom('assessment_owner as o')
						.select('o.user_id')
						.whereRef('o.assessment_id', '=', 'a.id')
						.where('o.user_id', '=', userId)
				)
			])
		)
		.executeTakeFirst();
	return row ? toCitable(row) : undefined;
}

/** A cited round as a page shows it (whoever reads it), or undefined if it is gone. */
export async function citedRound(db: Db, roundId: string): Promise<CitableRound | undefined> {
	const row = await rounds(db).where('r.id', '=', roundId).executeTakeFirst();
	return row ? toCitable(row) : undefined;
}
