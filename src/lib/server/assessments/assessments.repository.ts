import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema';
import type {
	Assessment,
	AssessmentAnswerTable,
	AssessmentInvitationTable,
	AssessmentResponse,
	AssessmentResponseTable,
	AssessmentRound,
	AssessmentRoundTable,
	AssessmentTable,
	ResultsVisibility
} from './assessments.tables';

type Db = Kysely<DB> | Transaction<DB>;
type Invitation = AssessmentInvitationTable;

// ---------------------------------------------------------------------------------------------
// Assessments, owners, rounds

export async function insertAssessment(trx: Db, row: Insertable<AssessmentTable>): Promise<void> {
	await trx.insertInto('assessment').values(row).execute();
}

/** Adds an owner; false when they already were one. */
export async function insertOwner(
	trx: Db,
	row: { assessment_id: string; user_id: string; added_at: string }
): Promise<boolean> {
	const result = await trx
		.insertInto('assessment_owner')
		.values(row)
		.onConflict((oc) => oc.columns(['assessment_id', 'user_id']).doNothing())
		.executeTakeFirst();
	return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function insertRound(trx: Db, row: Insertable<AssessmentRoundTable>): Promise<void> {
	await trx.insertInto('assessment_round').values(row).execute();
}

export async function findAssessmentById(db: Db, id: string): Promise<Assessment | undefined> {
	return db.selectFrom('assessment').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findAssessmentByShareCode(
	db: Db,
	shareCode: string
): Promise<Assessment | undefined> {
	return db
		.selectFrom('assessment')
		.selectAll()
		.where('share_code', '=', shareCode)
		.executeTakeFirst();
}

export async function listOwnerIds(db: Db, assessmentId: string): Promise<string[]> {
	const rows = await db
		.selectFrom('assessment_owner')
		.select('user_id')
		.where('assessment_id', '=', assessmentId)
		.execute();
	return rows.map((r) => r.user_id);
}

export async function findRoundById(db: Db, id: string): Promise<AssessmentRound | undefined> {
	return db.selectFrom('assessment_round').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The round with the highest number: the one the shareable link answers. */
export async function findLatestRound(
	db: Db,
	assessmentId: string
): Promise<AssessmentRound | undefined> {
	return db
		.selectFrom('assessment_round')
		.selectAll()
		.where('assessment_id', '=', assessmentId)
		.orderBy('number', 'desc')
		.limit(1)
		.executeTakeFirst();
}

export async function setRoundClosed(trx: Db, roundId: string, at: string): Promise<void> {
	await trx
		.updateTable('assessment_round')
		.set({ closed_at: at })
		.where('id', '=', roundId)
		.where('closed_at', 'is', null)
		.execute();
}

export interface OwnedAssessment {
	id: string;
	title: string;
	share_code: string;
	created_at: string;
	round_id: string;
	round_number: number;
	closes_at: string;
	closed_at: string | null;
	submitted: number;
}

/** The assessments a person owns, newest first, each with its latest round and how many answered. */
export async function listAssessmentsOwnedBy(db: Db, userId: string): Promise<OwnedAssessment[]> {
	const rows = await db
		.selectFrom('assessment as a')
		.innerJoin('assessment_owner as o', 'o.assessment_id', 'a.id')
		.innerJoin('assessment_round as r', 'r.assessment_id', 'a.id')
		.select((eb) => [
			'a.id',
			'a.title',
			'a.share_code',
			'a.created_at',
			'r.id as round_id',
			'r.number as round_number',
			'r.closes_at',
			'r.closed_at',
			eb
				.selectFrom('assessment_response as x')
				.select((e) => e.fn.countAll<number>().as('n'))
				.whereRef('x.round_id', '=', 'r.id')
				.where('x.submitted_at', 'is not', null)
				.as('submitted')
		])
		.where('o.user_id', '=', userId)
		.where(({ eb, selectFrom }) =>
			eb(
				'r.number',
				'=',
				selectFrom('assessment_round as later')
					.select((e) => e.fn.max('later.number').as('m'))
					.whereRef('later.assessment_id', '=', 'a.id')
			)
		)
		.orderBy('a.created_at', 'desc')
		.orderBy('a.id')
		.execute();
	return rows.map((r) => ({ ...r, submitted: Number(r.submitted ?? 0) }));
}

export interface RoundSummary extends AssessmentRound {
	/** Responses sent in. */
	submitted: number;
	/** Responses started and saved, not yet sent. */
	unfinished: number;
	/** Invitations emailed, and how many of them were used. */
	invited: number;
	invitationsUsed: number;
}

/** Every round of an assessment, oldest first, with its counts (grouped: one query each). */
export async function listRounds(db: Db, assessmentId: string): Promise<RoundSummary[]> {
	const [rounds, responses, invitations] = await Promise.all([
		db
			.selectFrom('assessment_round')
			.selectAll()
			.where('assessment_id', '=', assessmentId)
			.orderBy('number')
			.execute(),
		db
			.selectFrom('assessment_response as x')
			.innerJoin('assessment_round as r', 'r.id', 'x.round_id')
			.select((eb) => [
				'x.round_id',
				eb.fn.countAll<number | string>().as('n'),
				eb.fn.count<number | string>('x.submitted_at').as('submitted')
			])
			.where('r.assessment_id', '=', assessmentId)
			.groupBy('x.round_id')
			.execute(),
		db
			.selectFrom('assessment_invitation as i')
			.innerJoin('assessment_round as r', 'r.id', 'i.round_id')
			.select((eb) => [
				'i.round_id',
				eb.fn.countAll<number | string>().as('n'),
				eb.fn.count<number | string>('i.used_at').as('used')
			])
			.where('r.assessment_id', '=', assessmentId)
			.groupBy('i.round_id')
			.execute()
	]);
	const answered = new Map(responses.map((r) => [r.round_id, r]));
	const invited = new Map(invitations.map((i) => [i.round_id, i]));
	return rounds.map((round) => {
		const a = answered.get(round.id);
		const i = invited.get(round.id);
		const submitted = Number(a?.submitted ?? 0);
		return {
			...round,
			submitted,
			unfinished: Number(a?.n ?? 0) - submitted,
			invited: Number(i?.n ?? 0),
			invitationsUsed: Number(i?.used ?? 0)
		};
	});
}

/** A check with this title that this person started since `since`, if any. */
export async function findRecentAssessmentOf(
	db: Db,
	userId: string,
	title: string,
	since: string
): Promise<Assessment | undefined> {
	return db
		.selectFrom('assessment')
		.selectAll()
		.where('created_by', '=', userId)
		.where('title', '=', title)
		.where('created_at', '>=', since)
		.orderBy('created_at', 'desc')
		.executeTakeFirst();
}

/** How many answers have been sent to an assessment, in all its rounds. */
export async function countSubmittedResponses(db: Db, assessmentId: string): Promise<number> {
	const row = await db
		.selectFrom('assessment_response as x')
		.innerJoin('assessment_round as r', 'r.id', 'x.round_id')
		.select((eb) => eb.fn.countAll<number | string>().as('n'))
		.where('r.assessment_id', '=', assessmentId)
		.where('x.submitted_at', 'is not', null)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

/** The owners of an assessment with their names, in the order they were added. */
export async function listOwners(
	db: Db,
	assessmentId: string
): Promise<Array<{ id: string; name: string }>> {
	return db
		.selectFrom('assessment_owner as o')
		.innerJoin('app_user as u', 'u.id', 'o.user_id')
		.select(['u.id', 'u.name'])
		.where('o.assessment_id', '=', assessmentId)
		.orderBy('o.added_at')
		.orderBy('u.name')
		.execute();
}

/** Changes an assessment's settings. */
export async function updateAssessment(
	trx: Db,
	id: string,
	changes: {
		title: string;
		description: string;
		open_to_visitors: number;
		results_visibility: ResultsVisibility;
		threshold: number;
		updated_at: string;
	}
): Promise<void> {
	await trx.updateTable('assessment').set(changes).where('id', '=', id).execute();
}

// ---------------------------------------------------------------------------------------------
// Invitations

export async function insertInvitation(trx: Db, row: Invitation): Promise<void> {
	await trx.insertInto('assessment_invitation').values(row).execute();
}

export async function findInvitationByTokenHash(
	db: Db,
	tokenHash: string
): Promise<Invitation | undefined> {
	return db
		.selectFrom('assessment_invitation')
		.selectAll()
		.where('token_hash', '=', tokenHash)
		.executeTakeFirst();
}

/** The addresses of a round already invited whose invitation was used. */
export async function listUsedInvitationEmails(
	db: Db,
	roundId: string,
	emails: string[]
): Promise<string[]> {
	if (emails.length === 0) return [];
	const rows = await db
		.selectFrom('assessment_invitation')
		.select('email')
		.where('round_id', '=', roundId)
		.where('email', 'in', emails)
		.where('used_at', 'is not', null)
		.execute();
	return rows.map((r) => r.email);
}

/** A new invitation to the same address replaces one not yet used. */
export async function deleteUnusedInvitationsTo(
	trx: Db,
	roundId: string,
	email: string
): Promise<void> {
	await trx
		.deleteFrom('assessment_invitation')
		.where('round_id', '=', roundId)
		.where('email', '=', email)
		.where('used_at', 'is', null)
		.execute();
}

/** Marks an invitation used; false when it already was (it works once). */
export async function markInvitationUsed(trx: Db, id: string, at: string): Promise<boolean> {
	const result = await trx
		.updateTable('assessment_invitation')
		.set({ used_at: at })
		.where('id', '=', id)
		.where('used_at', 'is', null)
		.executeTakeFirst();
	return Number(result.numUpdatedRows) > 0;
}

// ---------------------------------------------------------------------------------------------
// Responses

export async function insertResponse(
	trx: Db,
	row: Insertable<AssessmentResponseTable>
): Promise<void> {
	await trx.insertInto('assessment_response').values(row).execute();
}

export async function findResponseById(
	db: Db,
	id: string
): Promise<AssessmentResponse | undefined> {
	return db.selectFrom('assessment_response').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findResponseByResumeHash(
	db: Db,
	resumeHash: string
): Promise<AssessmentResponse | undefined> {
	return db
		.selectFrom('assessment_response')
		.selectAll()
		.where('resume_hash', '=', resumeHash)
		.executeTakeFirst();
}

/** A member's response in a round (they have at most one). */
export async function findResponseOfMember(
	db: Db,
	roundId: string,
	userId: string
): Promise<AssessmentResponse | undefined> {
	return db
		.selectFrom('assessment_response')
		.selectAll()
		.where('round_id', '=', roundId)
		.where('user_id', '=', userId)
		.orderBy('created_at')
		.limit(1)
		.executeTakeFirst();
}

/** The unfinished response started from an invitation, if any. */
export async function findUnfinishedResponseOfInvitation(
	db: Db,
	invitationId: string
): Promise<AssessmentResponse | undefined> {
	return db
		.selectFrom('assessment_response')
		.selectAll()
		.where('invitation_id', '=', invitationId)
		.where('submitted_at', 'is', null)
		.limit(1)
		.executeTakeFirst();
}

export async function updateResponseResumeHash(
	trx: Db,
	id: string,
	resumeHash: string,
	at: string
): Promise<void> {
	await trx
		.updateTable('assessment_response')
		.set({ resume_hash: resumeHash, updated_at: at })
		.where('id', '=', id)
		.execute();
}

/**
 * Touches a response not yet submitted (and sets its continuum or submits it); false when it
 * was submitted meanwhile, so two tabs cannot both change it.
 */
export async function updateUnsubmittedResponse(
	trx: Db,
	id: string,
	changes: {
		continuum?: string | null;
		submitted_at?: string;
		invitation_id?: null;
		updated_at: string;
	}
): Promise<boolean> {
	const result = await trx
		.updateTable('assessment_response')
		.set(changes)
		.where('id', '=', id)
		.where('submitted_at', 'is', null)
		.executeTakeFirst();
	return Number(result.numUpdatedRows) > 0;
}

/** What one person has answered so far: for their own form, never for anyone else. */
export async function listAnswersOfResponse(
	db: Db,
	responseId: string
): Promise<Array<{ statement_id: string; rating: number | null }>> {
	return db
		.selectFrom('assessment_answer')
		.select(['statement_id', 'rating'])
		.where('response_id', '=', responseId)
		.execute();
}

/** How many statements a response has answered ("don't know" included). */
export async function countAnswersOfResponse(db: Db, responseId: string): Promise<number> {
	const row = await db
		.selectFrom('assessment_answer')
		.select((eb) => eb.fn.countAll<number | string>().as('n'))
		.where('response_id', '=', responseId)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

/** One person's comments so far, for their own form. */
export async function listCommentsOfResponse(
	db: Db,
	responseId: string
): Promise<Array<{ dimension_id: string; comment: string }>> {
	return db
		.selectFrom('assessment_comment')
		.select(['dimension_id', 'comment'])
		.where('response_id', '=', responseId)
		.execute();
}

/** Whether a member submitted an answer to a round. */
export async function hasSubmittedResponse(
	db: Db,
	roundId: string,
	userId: string
): Promise<boolean> {
	const row = await db
		.selectFrom('assessment_response')
		.select('id')
		.where('round_id', '=', roundId)
		.where('user_id', '=', userId)
		.where('submitted_at', 'is not', null)
		.executeTakeFirst();
	return !!row;
}

/** Replaces a response's answers to the given statements with `answers`. */
export async function replaceAnswers(
	trx: Db,
	responseId: string,
	statementIds: string[],
	answers: AssessmentAnswerTable[]
): Promise<void> {
	if (statementIds.length)
		await trx
			.deleteFrom('assessment_answer')
			.where('response_id', '=', responseId)
			.where('statement_id', 'in', statementIds)
			.execute();
	if (answers.length) await trx.insertInto('assessment_answer').values(answers).execute();
}

/** Sets a response's comments on the given dimensions; an empty comment removes it. */
export async function upsertComments(
	trx: Db,
	responseId: string,
	comments: Map<string, string>
): Promise<void> {
	const empty = [...comments].filter(([, c]) => !c).map(([d]) => d);
	const given = [...comments].filter(([, c]) => !!c);
	if (empty.length)
		await trx
			.deleteFrom('assessment_comment')
			.where('response_id', '=', responseId)
			.where('dimension_id', 'in', empty)
			.execute();
	if (given.length)
		await trx
			.insertInto('assessment_comment')
			.values(
				given.map(([dimension_id, comment]) => ({ response_id: responseId, dimension_id, comment }))
			)
			.onConflict((oc) =>
				oc
					.columns(['response_id', 'dimension_id'])
					.doUpdateSet({ comment: (eb) => eb.ref('excluded.comment') })
			)
			.execute();
}

// ---------------------------------------------------------------------------------------------
// Results: aggregates only. Nothing here returns a row per person.

/** Submitted responses per perspective. */
export async function countRespondentsByPerspective(
	db: Db,
	roundId: string
): Promise<Array<{ perspective: string; respondents: number }>> {
	const rows = await db
		.selectFrom('assessment_response')
		.select((eb) => ['perspective', eb.fn.countAll<number>().as('respondents')])
		.where('round_id', '=', roundId)
		.where('submitted_at', 'is not', null)
		.groupBy('perspective')
		.execute();
	return rows.map((r) => ({ perspective: r.perspective, respondents: Number(r.respondents) }));
}

/**
 * Per perspective and dimension: the mean of respondents' 0–100 dimension scores (each the mean
 * of their ratings ×25, "don't know" left out), and how many respondents have one. One query;
 * the inner grouping never leaves the database.
 */
export async function meanScoresByPerspective(
	db: Db,
	roundId: string
): Promise<Array<{ perspective: string; dimensionId: string; meanScore: number; scored: number }>> {
	const rows = await db
		.selectFrom((eb) =>
			eb
				.selectFrom('assessment_answer as a')
				.innerJoin('assessment_response as r', 'r.id', 'a.response_id')
				.select([
					'r.perspective',
					'a.dimension_id',
					sql<number>`avg(${sql.ref('a.rating')}) * 25`.as('score')
				])
				.where('r.round_id', '=', roundId)
				.where('r.submitted_at', 'is not', null)
				.where('a.rating', 'is not', null)
				.groupBy(['r.id', 'r.perspective', 'a.dimension_id'])
				.as('per_person')
		)
		.select((eb) => [
			'per_person.perspective',
			'per_person.dimension_id',
			eb.fn.avg<number | string>('per_person.score').as('mean_score'),
			eb.fn.countAll<number | string>().as('scored')
		])
		.groupBy(['per_person.perspective', 'per_person.dimension_id'])
		.execute();
	return rows.map((r) => ({
		perspective: r.perspective,
		dimensionId: r.dimension_id,
		// PostgreSQL's avg and count come back as numeric / bigint strings.
		meanScore: Number(r.mean_score),
		scored: Number(r.scored)
	}));
}

/** Submitted responses per perspective and stage of the continuum (null: not answered). */
export async function countContinuum(
	db: Db,
	roundId: string
): Promise<Array<{ perspective: string; stage: string | null; count: number }>> {
	const rows = await db
		.selectFrom('assessment_response')
		.select((eb) => ['perspective', 'continuum', eb.fn.countAll<number>().as('count')])
		.where('round_id', '=', roundId)
		.where('submitted_at', 'is not', null)
		.groupBy(['perspective', 'continuum'])
		.execute();
	return rows.map((r) => ({
		perspective: r.perspective,
		stage: r.continuum,
		count: Number(r.count)
	}));
}

/** The comments of a round's submitted responses: text and dimension only, in text order. */
export async function listRoundComments(
	db: Db,
	roundId: string
): Promise<Array<{ dimension_id: string; comment: string }>> {
	return (
		db
			.selectFrom('assessment_comment as c')
			.innerJoin('assessment_response as r', 'r.id', 'c.response_id')
			.select(['c.dimension_id', 'c.comment'])
			.where('r.round_id', '=', roundId)
			.where('r.submitted_at', 'is not', null)
			// Never in the order they came in, which could tie a comment to a person.
			.orderBy('c.dimension_id')
			.orderBy('c.comment')
			.execute()
	);
}
