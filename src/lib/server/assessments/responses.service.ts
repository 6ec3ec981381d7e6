import type { Kysely } from 'kysely';
import { isPerson, type Actor } from '../auth/auth.permissions';
import type { DB } from '../db/schema';
import { fieldErrors, type FieldErrors } from '../forms';
import { newId } from '../ids';
import {
	findAssessmentById,
	findAssessmentByShareCode,
	findInvitationByTokenHash,
	findLatestRound,
	findResponseById,
	findResponseByResumeHash,
	findResponseOfMember,
	findRoundById,
	findUnfinishedResponseOfInvitation,
	countAnswersOfResponse,
	insertResponse,
	listAnswersOfResponse,
	listCommentsOfResponse,
	markInvitationUsed,
	replaceAnswers,
	updateResponseResumeHash,
	updateUnsubmittedResponse,
	upsertComments
} from './assessments.repository';
import { answersSchema, perspectiveSchema } from './assessments.schema';
import { hashSecret, isRoundOpen, newSecret } from './assessments.service';
import type { AssessmentResponse, AssessmentRound, ResultsVisibility } from './assessments.tables';
import { listDimensions, listStatements } from './framework.repository';
import { frameworkVersion, type Framework } from './framework.service';
import { DONT_KNOW } from './scoring';

type Fail<R extends string> = { ok: false; reason: R };

/** How someone arrives to answer: by the assessment's shareable link, or an emailed invitation. */
export type ResponseStart =
	| { via: 'share'; shareCode: string; actor: Actor | null }
	| { via: 'invitation'; token: string; actor: Actor | null };

export type StartResponseResult =
	| {
			ok: true;
			responseId: string;
			/** For visitors: the code that brings them back to their answers. Shown once. */
			resumeCode: string | null;
			/** A member's earlier response to this round, given back rather than a second one. */
			resumed: boolean;
			submitted: boolean;
	  }
	| { ok: false; reason: 'invalid'; errors: FieldErrors }
	| Fail<'not-found' | 'closed' | 'sign_in' | 'used'>;

/**
 * Starts (or, for a member, resumes) someone's response to a round. The shareable link answers
 * the latest round; visitors may use it only when the assessment is open to them. An emailed
 * invitation is itself the permission, so it works without an account, once.
 */
export async function startResponse(
	db: Kysely<DB>,
	start: ResponseStart,
	perspective: unknown,
	now = new Date()
): Promise<StartResponseResult> {
	let round: AssessmentRound | undefined;
	let invitationId: string | null = null;
	if (start.via === 'share') {
		const assessment = await findAssessmentByShareCode(db, start.shareCode);
		if (!assessment) return { ok: false, reason: 'not-found' };
		round = await findLatestRound(db, assessment.id);
		if (!round) return { ok: false, reason: 'not-found' };
		if (!isRoundOpen(round, now)) return { ok: false, reason: 'closed' };
		if (!isPerson(start.actor) && !assessment.open_to_visitors)
			return { ok: false, reason: 'sign_in' };
	} else {
		const invitation = await findInvitationByTokenHash(db, hashSecret(start.token));
		if (!invitation) return { ok: false, reason: 'not-found' };
		round = await findRoundById(db, invitation.round_id);
		if (!round) return { ok: false, reason: 'not-found' };
		if (!isRoundOpen(round, now)) return { ok: false, reason: 'closed' };
		if (invitation.used_at) return { ok: false, reason: 'used' };
		invitationId = invitation.id;
	}
	const actor = start.actor;

	if (isPerson(actor)) {
		const existing = await findResponseOfMember(db, round.id, actor.id);
		if (existing)
			return {
				ok: true,
				responseId: existing.id,
				resumeCode: null,
				resumed: true,
				submitted: !!existing.submitted_at
			};
	}
	const at = now.toISOString();
	const resumeCode = isPerson(actor) ? null : newSecret();
	if (invitationId && !isPerson(actor)) {
		// A visitor opening their invitation again gets back what they started, with a new code
		// (and the perspective they chose then: the page does not ask again).
		const unfinished = await findUnfinishedResponseOfInvitation(db, invitationId);
		if (unfinished && !unfinished.user_id) {
			await updateResponseResumeHash(db, unfinished.id, hashSecret(resumeCode!), at);
			return { ok: true, responseId: unfinished.id, resumeCode, resumed: true, submitted: false };
		}
	}
	const parsed = perspectiveSchema.safeParse(perspective);
	if (!parsed.success)
		return {
			ok: false,
			reason: 'invalid',
			errors: { perspective: fieldErrors(parsed.error).form! }
		};
	const responseId = newId();
	try {
		await insertResponse(db, {
			id: responseId,
			round_id: round.id,
			perspective: parsed.data,
			user_id: isPerson(actor) ? actor.id : null,
			invitation_id: invitationId,
			resume_hash: resumeCode ? hashSecret(resumeCode) : null,
			continuum: null,
			submitted_at: null,
			created_at: at,
			updated_at: at
		});
	} catch (caught) {
		// The same member started twice at once: both get the one response.
		const code = (caught as { code?: unknown } | null)?.code;
		if (!isPerson(actor) || (code !== '23505' && code !== 'SQLITE_CONSTRAINT_UNIQUE')) throw caught;
		const existing = await findResponseOfMember(db, round.id, actor.id);
		if (!existing) throw caught;
		return {
			ok: true,
			responseId: existing.id,
			resumeCode: null,
			resumed: true,
			submitted: !!existing.submitted_at
		};
	}
	return { ok: true, responseId, resumeCode, resumed: false, submitted: false };
}

/** Whose answers: a member's by their session, a visitor's by the resume code they were given. */
export type ResponseKey = { responseId: string; actor: Actor | null } | { resumeCode: string };

/** The response a key opens, if it opens one. */
export async function findResponse(
	db: Kysely<DB>,
	key: ResponseKey
): Promise<AssessmentResponse | undefined> {
	if ('resumeCode' in key) {
		if (!key.resumeCode) return undefined;
		return findResponseByResumeHash(db, hashSecret(key.resumeCode));
	}
	if (!isPerson(key.actor)) return undefined;
	const response = await findResponseById(db, key.responseId);
	return response?.user_id === key.actor.id ? response : undefined;
}

/** A refusal found inside the transaction: rolls it back and is returned. */
class Refusal extends Error {
	constructor(readonly reason: 'submitted' | 'used' | 'closed' | 'empty') {
		super(reason);
	}
}

/** Why a response with no answer at all cannot be sent. */
export const EMPTY_SUBMISSION = 'Answer at least one statement before you send your answers.';

export type SaveAnswersResult =
	| { ok: true; submitted: boolean }
	| { ok: false; reason: 'invalid'; errors: FieldErrors }
	| Fail<'not-found' | 'closed' | 'submitted' | 'used'>;

/**
 * Saves what someone has answered so far, in one transaction; with `submit`, sends it in (and
 * uses up the invitation it came from). Only the fields in `values` change, so nothing saved
 * earlier is lost: `s-<statementId>` ('0'…'4', 'dont-know', or '' to clear), `continuum`,
 * `comment-<dimensionId>`. Statements of another framework version are ignored. A submitted
 * response, or one in a closed round, cannot change.
 */
export async function saveAnswers(
	db: Kysely<DB>,
	key: ResponseKey,
	values: unknown,
	options: { submit: boolean },
	now = new Date()
): Promise<SaveAnswersResult> {
	const response = await findResponse(db, key);
	if (!response) return { ok: false, reason: 'not-found' };
	const round = await findRoundById(db, response.round_id);
	const assessment = round && (await findAssessmentById(db, round.assessment_id));
	if (!round || !assessment) return { ok: false, reason: 'not-found' };
	if (response.submitted_at) return { ok: false, reason: 'submitted' };
	if (!isRoundOpen(round, now)) return { ok: false, reason: 'closed' };

	const [statements, dimensions] = await Promise.all([
		listStatements(db, assessment.framework_version_id),
		listDimensions(db, assessment.framework_version_id)
	]);
	const parsed = answersSchema.safeParse(values);
	if (!parsed.success) {
		// Nine comment boxes: each message says which area it is about.
		const errors = fieldErrors(parsed.error);
		for (const d of dimensions) {
			const key = `comment-${d.id}`;
			if (errors[key]) errors[key] = `${errors[key]} (in “${d.title}”)`;
		}
		return { ok: false, reason: 'invalid', errors };
	}
	const dimensionOf = new Map(statements.map((s) => [s.id, s.dimension_id]));
	const dimensionIds = new Set(dimensions.map((d) => d.id));
	const given = [...parsed.data.answers].filter(([id]) => dimensionOf.has(id));
	const answers = given.flatMap(([statementId, rating]) =>
		rating === undefined
			? []
			: [
					{
						response_id: response.id,
						statement_id: statementId,
						dimension_id: dimensionOf.get(statementId)!,
						rating
					}
				]
	);
	const comments = new Map([...parsed.data.comments].filter(([id]) => dimensionIds.has(id)));
	const at = now.toISOString();

	try {
		await db.transaction().execute(async (trx) => {
			// Re-read inside the transaction: an owner may have closed the round meanwhile.
			const current = await findRoundById(trx, round.id);
			if (!current || !isRoundOpen(current, now)) throw new Refusal('closed');
			const changes: Parameters<typeof updateUnsubmittedResponse>[2] = { updated_at: at };
			if (parsed.data.continuum !== undefined) changes.continuum = parsed.data.continuum;
			if (options.submit) {
				changes.submitted_at = at;
				// Sent answers keep no tie to the invitation, so not to the address it went to.
				changes.invitation_id = null;
			}
			if (!(await updateUnsubmittedResponse(trx, response.id, changes)))
				throw new Refusal('submitted');
			await replaceAnswers(
				trx,
				response.id,
				given.map(([id]) => id),
				answers
			);
			await upsertComments(trx, response.id, comments);
			// Sending nothing at all would count someone without a single answer.
			if (options.submit && (await countAnswersOfResponse(trx, response.id)) === 0)
				throw new Refusal('empty');
			// Only the day it was used: the exact moment would match the answers' own.
			if (options.submit && response.invitation_id)
				if (
					!(await markInvitationUsed(
						trx,
						response.invitation_id,
						`${at.slice(0, 10)}T00:00:00.000Z`
					))
				)
					throw new Refusal('used');
		});
	} catch (caught) {
		if (caught instanceof Refusal)
			return caught.reason === 'empty'
				? { ok: false, reason: 'invalid', errors: { form: EMPTY_SUBMISSION } }
				: { ok: false, reason: caught.reason };
		throw caught;
	}
	return { ok: true, submitted: options.submit };
}

export interface AnswerIntro {
	assessment: { title: string; description: string; resultsVisibility: ResultsVisibility };
	round: { number: number; closesAt: string; closedAt: string | null; open: boolean };
	/** A visitor's invitation with answers started and not sent: they carry on, not start again. */
	resumable: boolean;
	/** A visitor on a link that is for members only. */
	signInNeeded: boolean;
	/** An invitation already used for a set of answers. */
	used: boolean;
	/** A member's own response to this round, if they started one. */
	existing: { id: string; submitted: boolean } | null;
}

/**
 * What someone sees before they start answering: which service, until when, and whether they
 * can. Undefined when the link leads nowhere.
 */
export async function answerIntro(
	db: Kysely<DB>,
	start: ResponseStart,
	now = new Date()
): Promise<AnswerIntro | undefined> {
	let round: AssessmentRound | undefined;
	let used = false;
	let resumable = false;
	let assessment;
	if (start.via === 'share') {
		assessment = await findAssessmentByShareCode(db, start.shareCode);
		round = assessment && (await findLatestRound(db, assessment.id));
	} else {
		const invitation = await findInvitationByTokenHash(db, hashSecret(start.token));
		round = invitation && (await findRoundById(db, invitation.round_id));
		assessment = round && (await findAssessmentById(db, round.assessment_id));
		used = !!invitation?.used_at;
		if (invitation && !used && !isPerson(start.actor)) {
			const unfinished = await findUnfinishedResponseOfInvitation(db, invitation.id);
			resumable = !!unfinished && !unfinished.user_id;
		}
	}
	if (!assessment || !round) return undefined;
	const existing = isPerson(start.actor)
		? await findResponseOfMember(db, round.id, start.actor.id)
		: undefined;
	return {
		assessment: {
			title: assessment.title,
			description: assessment.description,
			resultsVisibility: assessment.results_visibility
		},
		round: {
			number: round.number,
			closesAt: round.closes_at,
			closedAt: round.closed_at,
			open: isRoundOpen(round, now)
		},
		resumable,
		signInNeeded: start.via === 'share' && !isPerson(start.actor) && !assessment.open_to_visitors,
		used,
		existing: existing ? { id: existing.id, submitted: !!existing.submitted_at } : null
	};
}

export interface ResponseForm {
	responseId: string;
	assessment: {
		id: string;
		title: string;
		description: string;
		resultsVisibility: ResultsVisibility;
	};
	round: { id: string; number: number; closesAt: string; closedAt: string | null; open: boolean };
	perspective: string;
	/** A member answering with their account (a visitor answers by their resume code). */
	member: boolean;
	submitted: boolean;
	/** The framework version the assessment started with. */
	framework: Framework;
	/** The form's values as saved: `s-<statementId>`, `continuum`, `comment-<dimensionId>`. */
	values: Record<string, string>;
	answered: number;
}

/**
 * Someone's own answers so far, as the form shows them, with the framework they answer. Only
 * the person themselves gets here: a member by their session, a visitor by their resume code.
 */
export async function responseForm(
	db: Kysely<DB>,
	key: ResponseKey,
	now = new Date()
): Promise<ResponseForm | undefined> {
	const response = await findResponse(db, key);
	const round = response && (await findRoundById(db, response.round_id));
	const assessment = round && (await findAssessmentById(db, round.assessment_id));
	if (!response || !round || !assessment) return undefined;
	const [framework, answers, comments] = await Promise.all([
		frameworkVersion(db, assessment.framework_version_id),
		listAnswersOfResponse(db, response.id),
		listCommentsOfResponse(db, response.id)
	]);
	if (!framework) return undefined;
	const values: Record<string, string> = {};
	for (const a of answers)
		values[`s-${a.statement_id}`] = a.rating === null ? DONT_KNOW : String(a.rating);
	for (const c of comments) values[`comment-${c.dimension_id}`] = c.comment;
	if (response.continuum) values.continuum = response.continuum;
	return {
		responseId: response.id,
		assessment: {
			id: assessment.id,
			title: assessment.title,
			description: assessment.description,
			resultsVisibility: assessment.results_visibility
		},
		round: {
			id: round.id,
			number: round.number,
			closesAt: round.closes_at,
			closedAt: round.closed_at,
			open: isRoundOpen(round, now)
		},
		perspective: response.perspective,
		member: response.user_id !== null,
		submitted: !!response.submitted_at,
		framework,
		values,
		answered: answers.length
	};
}
