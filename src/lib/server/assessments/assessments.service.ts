import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { isPerson, assertCan, type Actor } from '../auth/auth.permissions';
import { findAccountByEmail } from '../auth/users.service';
import type { DB } from '../db/schema';
import { isUniqueViolation } from '../db/errors';
import { addDaysToDate, localDayStartUtc } from '../events/event-time';
import { allErrors, fieldErrors, validFields, type FieldErrors } from '../forms';
import { newId } from '../ids';
import { enqueueMail } from '../mail/outbox';
import { mayRepresentOrganisation } from '../organisations/organisations.service';
import { consumeRateLimit } from '../rate-limit/rate-limit.service';
import { invitationMail, type AssessmentsSite } from './assessments.mails';
import { canCreateAssessment, canManageAssessment, isOwner } from './assessments.permissions';
import {
	deleteUnusedInvitationsTo,
	findAssessmentById,
	findLatestRound,
	findRoundById,
	insertAssessment,
	insertInvitation,
	insertOwner,
	insertRound,
	listAssessmentsOwnedBy,
	listOwnerIds,
	listOwners,
	countSubmittedResponses,
	findRecentAssessmentOf,
	listRounds,
	listUsedInvitationEmails,
	setRoundClosed,
	updateAssessment,
	type RoundSummary
} from './assessments.repository';
import {
	assessmentSchema,
	invitationsSchema,
	RESULTS_VISIBILITIES,
	roundSchema,
	settingsSchema
} from './assessments.schema';
import type { Assessment, AssessmentRound } from './assessments.tables';
import { findCurrentVersion } from './framework.repository';

export type { AssessmentsSite } from './assessments.mails';

/** Rounds close at the end of their last day, in this time zone unless the site says otherwise. */
export const DEFAULT_TIME_ZONE = 'Europe/London';
/** Each owner may invite this many addresses an hour, so nobody can use us to send spam. */
export const INVITATION_RATE_LIMIT = { limit: 100, windowSeconds: 60 * 60 };

type Fail<R extends string> = { ok: false; reason: R };
type Invalid = { ok: false; reason: 'invalid'; errors: FieldErrors };

/** SHA-256 of an emailed or shown secret: only the hash is stored. */
export function hashSecret(secret: string): string {
	return createHash('sha256').update(secret).digest('base64url');
}

/** A new random secret for a link or a resume code. */
export function newSecret(): string {
	return randomBytes(24).toString('base64url');
}

/** Whether a round still takes answers at `now`. */
export function isRoundOpen(round: AssessmentRound, now: Date): boolean {
	return !round.closed_at && new Date(round.closes_at).getTime() > now.getTime();
}

/** The moment a round with this last day closes: the end of that day, local time. */
function closingInstant(date: string, timeZone: string): string {
	return localDayStartUtc(addDaysToDate(date, 1), timeZone);
}

/** Loads an assessment and whether the actor may manage it; refuses (403) when they may not. */
export async function managedAssessment(
	db: Kysely<DB>,
	actor: Actor | null,
	assessmentId: string
): Promise<Assessment | undefined> {
	const assessment = await findAssessmentById(db, assessmentId);
	if (!assessment) return undefined;
	const owners = await listOwnerIds(db, assessment.id);
	assertCan(
		canManageAssessment(actor, { isOwner: isOwner(actor, owners) }),
		'Only the owners of this assessment can do that.'
	);
	return assessment;
}

export type CreateAssessmentResult =
	| { ok: true; assessment: Assessment; roundId: string }
	| Invalid
	| { ok: false; reason: 'rate-limited'; retryAfterSeconds: number };

/** Each person may start this many checks a day. */
export const CREATE_RATE_LIMIT = { limit: 20, windowSeconds: 24 * 60 * 60 };
/** A check with the same name from the same person this recently is the same form sent again. */
const REPEAT_WINDOW_MS = 2 * 60 * 1000;

/**
 * Starts an assessment on the current framework: the creator becomes its owner, and round 1
 * opens until the end of the closing date. An organisation is recorded only if the creator
 * belongs to it.
 */
export async function createAssessment(
	db: Kysely<DB>,
	actor: Actor | null,
	values: unknown,
	now = new Date(),
	timeZone = DEFAULT_TIME_ZONE
): Promise<CreateAssessmentResult> {
	assertCan(canCreateAssessment(actor), 'Sign in to start an assessment.');
	const parsed = assessmentSchema.safeParse(values);
	if (!parsed.success) {
		// The date and organisation checks still run on the fields that are fine, so every
		// message shows at once.
		const fine = validFields(assessmentSchema, isRecord(values) ? values : {});
		const later: FieldErrors = {};
		if (fine.closesDate !== undefined) closingDate(fine.closesDate, timeZone, now, later);
		if (fine.organisation && !(await mayRepresentOrganisation(db, actor.id, fine.organisation)))
			later.organisation = 'Choose an organisation you belong to, or none';
		const errors = allErrors(assessmentSchema, fieldErrors(parsed.error), later);
		return { ok: false, reason: 'invalid', errors };
	}
	const data = parsed.data;
	const errors: FieldErrors = {};
	const closesAt = closingDate(data.closesDate, timeZone, now, errors);
	if (data.organisation && !(await mayRepresentOrganisation(db, actor.id, data.organisation)))
		errors.organisation = 'Choose an organisation you belong to, or none';
	if (Object.keys(errors).length || !closesAt) {
		return { ok: false, reason: 'invalid', errors: allErrors(assessmentSchema, {}, errors) };
	}

	// The same form sent twice (a double press, or the browser sending it again) gives the check
	// already made, not a second one.
	const twin = await findRecentAssessmentOf(
		db,
		actor.id,
		data.title,
		new Date(now.getTime() - REPEAT_WINDOW_MS).toISOString()
	);
	if (twin) {
		const first = await findLatestRound(db, twin.id);
		if (first) return { ok: true, assessment: twin, roundId: first.id };
	}
	const limited = await consumeRateLimit(
		db,
		`assessment-create:user:${actor.id}`,
		CREATE_RATE_LIMIT,
		now
	);
	if (!limited.ok)
		return { ok: false, reason: 'rate-limited', retryAfterSeconds: limited.retryAfterSeconds };

	const version = await findCurrentVersion(db);
	if (!version) throw new Error('No framework version: has the database been migrated?');
	const at = now.toISOString();
	const assessment: Assessment = {
		id: newId(),
		title: data.title,
		description: data.description,
		framework_version_id: version.id,
		organisation_id: data.organisation,
		created_by: actor.id,
		open_to_visitors: data.openToVisitors ? 1 : 0,
		share_code: newSecret(),
		results_visibility: data.resultsVisibility,
		threshold: data.threshold,
		created_at: at,
		updated_at: at
	};
	const roundId = newId();
	await db.transaction().execute(async (trx) => {
		await insertAssessment(trx, assessment);
		await insertOwner(trx, { assessment_id: assessment.id, user_id: actor.id, added_at: at });
		await insertRound(trx, {
			id: roundId,
			assessment_id: assessment.id,
			number: 1,
			closes_at: closesAt,
			closed_at: null,
			created_at: at
		});
	});
	return { ok: true, assessment, roundId };
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The closing instant of a date, or undefined (with a message) when it is not in the future. */
function closingDate(
	date: string,
	timeZone: string,
	now: Date,
	errors: FieldErrors
): string | undefined {
	let closesAt: string;
	try {
		closesAt = closingInstant(date, timeZone);
	} catch {
		errors.closesDate = 'Enter a real date, like 2027-03-14';
		return undefined;
	}
	if (new Date(closesAt).getTime() <= now.getTime()) {
		errors.closesDate = 'The closing date must be today or later';
		return undefined;
	}
	return closesAt;
}

export interface MyAssessment {
	id: string;
	title: string;
	shareCode: string;
	createdAt: string;
	latestRound: {
		id: string;
		number: number;
		closesAt: string;
		closedAt: string | null;
		open: boolean;
		/** How many have submitted answers so far. */
		submitted: number;
	};
}

/** The assessments the signed-in person owns, newest first, each with its latest round. */
export async function listMyAssessments(
	db: Kysely<DB>,
	actor: Actor | null,
	now = new Date()
): Promise<MyAssessment[]> {
	assertCan(isPerson(actor), 'Sign in to see your assessments.');
	const rows = await listAssessmentsOwnedBy(db, actor.id);
	return rows.map((r) => ({
		id: r.id,
		title: r.title,
		shareCode: r.share_code,
		createdAt: r.created_at,
		latestRound: {
			id: r.round_id,
			number: r.round_number,
			closesAt: r.closes_at,
			closedAt: r.closed_at,
			open: !r.closed_at && new Date(r.closes_at).getTime() > now.getTime(),
			submitted: r.submitted
		}
	}));
}

export type OpenRoundResult =
	{ ok: true; round: AssessmentRound } | Invalid | Fail<'not-found' | 'round-open'>;

/**
 * Opens the next round of an assessment (owners only), on the same framework version so the
 * rounds compare. The previous round must have closed first.
 */
export async function openNewRound(
	db: Kysely<DB>,
	actor: Actor | null,
	assessmentId: string,
	values: unknown,
	now = new Date(),
	timeZone = DEFAULT_TIME_ZONE
): Promise<OpenRoundResult> {
	const assessment = await managedAssessment(db, actor, assessmentId);
	if (!assessment) return { ok: false, reason: 'not-found' };
	const parsed = roundSchema.safeParse(values);
	if (!parsed.success) return { ok: false, reason: 'invalid', errors: fieldErrors(parsed.error) };
	const errors: FieldErrors = {};
	const closesAt = closingDate(parsed.data.closesDate, timeZone, now, errors);
	if (!closesAt) return { ok: false, reason: 'invalid', errors };
	try {
		const round = await db.transaction().execute(async (trx) => {
			const previous = await findLatestRound(trx, assessment.id);
			if (previous && isRoundOpen(previous, now)) return undefined;
			const round: AssessmentRound = {
				id: newId(),
				assessment_id: assessment.id,
				number: (previous?.number ?? 0) + 1,
				closes_at: closesAt,
				closed_at: null,
				created_at: now.toISOString()
			};
			await insertRound(trx, round);
			return round;
		});
		return round ? { ok: true, round } : { ok: false, reason: 'round-open' };
	} catch (caught) {
		// Two owners opening the next round at once: the unique round number lets one through.
		if (isUniqueViolation(caught)) return { ok: false, reason: 'round-open' };
		throw caught;
	}
}

/**
 * Closes a round early (owners only); closing a closed round changes nothing. With
 * `inAssessment` (the page it was asked from), a round of another assessment is not found, so
 * a stale or altered form cannot close the wrong round.
 */
export async function closeRound(
	db: Kysely<DB>,
	actor: Actor | null,
	roundId: string,
	now = new Date(),
	inAssessment?: string
): Promise<{ ok: true } | Fail<'not-found' | 'not-latest'>> {
	const round = await findRoundById(db, roundId);
	if (!round || (inAssessment !== undefined && round.assessment_id !== inAssessment))
		return { ok: false, reason: 'not-found' };
	if (!(await managedAssessment(db, actor, round.assessment_id)))
		return { ok: false, reason: 'not-found' };
	// A tab left open on round 1 after a co-owner opened round 2 says so, rather than "closed".
	const latest = await findLatestRound(db, round.assessment_id);
	if (latest && latest.id !== round.id) return { ok: false, reason: 'not-latest' };
	if (isRoundOpen(round, now)) await setRoundClosed(db, round.id, now.toISOString());
	return { ok: true };
}

export type InviteRespondentsResult =
	| { ok: true; sent: string[]; alreadyAnswered: string[] }
	| Invalid
	| Fail<'not-found' | 'closed'>
	| { ok: false; reason: 'rate-limited'; retryAfterSeconds: number };

/**
 * Emails people a link to answer a round (owners only): one invitation per address, each
 * working once. `inAssessment` as for `closeRound`. Only a hash of the link's token is kept. Inviting an address again replaces its
 * unused invitation; addresses whose invitation was used are left alone.
 */
export async function inviteRespondents(
	db: Kysely<DB>,
	site: AssessmentsSite,
	actor: Actor | null,
	roundId: string,
	values: unknown,
	now = new Date(),
	inAssessment?: string
): Promise<InviteRespondentsResult> {
	const round = await findRoundById(db, roundId);
	if (!round || (inAssessment !== undefined && round.assessment_id !== inAssessment))
		return { ok: false, reason: 'not-found' };
	const assessment = await managedAssessment(db, actor, round.assessment_id);
	if (!assessment) return { ok: false, reason: 'not-found' };
	if (!isRoundOpen(round, now)) return { ok: false, reason: 'closed' };
	const parsed = invitationsSchema.safeParse(values);
	if (!parsed.success) return { ok: false, reason: 'invalid', errors: fieldErrors(parsed.error) };

	const alreadyAnswered = await listUsedInvitationEmails(db, round.id, parsed.data.emails);
	const emails = parsed.data.emails.filter((e) => !alreadyAnswered.includes(e));
	if (isPerson(actor)) {
		for (let i = 0; i < emails.length; i++) {
			const limited = await consumeRateLimit(
				db,
				`assessment-invite:user:${actor.id}`,
				INVITATION_RATE_LIMIT,
				now
			);
			if (!limited.ok)
				return { ok: false, reason: 'rate-limited', retryAfterSeconds: limited.retryAfterSeconds };
		}
	}
	const accounts = new Map<string, string>();
	for (const email of emails) {
		const account = await findAccountByEmail(db, email);
		if (account) accounts.set(email, account.id);
	}

	await db.transaction().execute(async (trx) => {
		for (const email of emails) {
			const token = newSecret();
			await deleteUnusedInvitationsTo(trx, round.id, email);
			await insertInvitation(trx, {
				id: newId(),
				round_id: round.id,
				email,
				token_hash: hashSecret(token),
				invited_by: isPerson(actor) ? actor.id : null,
				created_at: now.toISOString(),
				used_at: null
			});
			await enqueueMail(
				trx,
				invitationMail(site, {
					token,
					email,
					assessmentTitle: assessment.title,
					inviterName: isPerson(actor) ? actor.name : null,
					closesAt: round.closes_at,
					resultsVisibility: assessment.results_visibility,
					userId: accounts.get(email) ?? null
				})
			);
		}
	});
	return { ok: true, sent: emails, alreadyAnswered };
}

export interface ManagedAssessment {
	assessment: Assessment;
	/** Oldest first. */
	rounds: Array<RoundSummary & { open: boolean }>;
	owners: Array<{ id: string; name: string }>;
}

/**
 * Everything the owners' page shows: the assessment, its rounds with their counts (never who
 * answered), and its owners. Refuses anyone but owners and administrators.
 */
export async function getAssessmentForManaging(
	db: Kysely<DB>,
	actor: Actor | null,
	assessmentId: string,
	now = new Date()
): Promise<ManagedAssessment | undefined> {
	const assessment = await managedAssessment(db, actor, assessmentId);
	if (!assessment) return undefined;
	const [rounds, owners] = await Promise.all([
		listRounds(db, assessment.id),
		listOwners(db, assessment.id)
	]);
	return {
		assessment,
		rounds: rounds.map((r) => ({ ...r, open: isRoundOpen(r, now) })),
		owners
	};
}

export type UpdateSettingsResult =
	{ ok: true; assessment: Assessment } | Invalid | Fail<'not-found'>;

/**
 * Changes an assessment's name, description, who may answer by the shareable link, who sees
 * the results, and the threshold (owners only). The framework version never changes.
 */
export async function updateAssessmentSettings(
	db: Kysely<DB>,
	actor: Actor | null,
	assessmentId: string,
	values: unknown,
	now = new Date()
): Promise<UpdateSettingsResult> {
	const assessment = await managedAssessment(db, actor, assessmentId);
	if (!assessment) return { ok: false, reason: 'not-found' };
	const parsed = settingsSchema.safeParse(values);
	if (!parsed.success) return { ok: false, reason: 'invalid', errors: fieldErrors(parsed.error) };
	// People answered on the understanding of who would see the results: showing them more
	// widely afterwards needs the owner to say they have told them.
	const widening =
		RESULTS_VISIBILITIES.indexOf(parsed.data.resultsVisibility) >
		RESULTS_VISIBILITIES.indexOf(assessment.results_visibility);
	const confirmed = (values as Record<string, unknown> | null)?.confirmWiden === 'yes';
	const thresholdChanged = parsed.data.threshold !== assessment.threshold;
	if ((widening && !confirmed) || thresholdChanged) {
		const answered = (await countSubmittedResponses(db, assessment.id)) > 0;
		const errors: FieldErrors = {};
		// Two views of the same answers with different thresholds could be subtracted to show a
		// group smaller than either: once anyone has answered, the threshold stays.
		if (answered && thresholdChanged)
			errors.threshold = `People have already answered, so this can no longer change (it is ${assessment.threshold}). Comparing results with two different numbers could pick out a small group.`;
		if (answered && widening && !confirmed)
			errors.confirmWiden =
				'People have already answered, expecting fewer people to see the results. Tell them, then tick this box to show the results more widely.';
		if (Object.keys(errors).length) return { ok: false, reason: 'invalid', errors };
	}
	const changes = {
		title: parsed.data.title,
		description: parsed.data.description,
		open_to_visitors: parsed.data.openToVisitors ? 1 : 0,
		results_visibility: parsed.data.resultsVisibility,
		threshold: parsed.data.threshold,
		updated_at: now.toISOString()
	};
	await updateAssessment(db, assessment.id, changes);
	return { ok: true, assessment: { ...assessment, ...changes } };
}

/**
 * Replaces the shareable link (owners only), for when it reached people it should not have:
 * the old link stops working at once. Invitations and answers already started are not touched.
 */
export async function renewShareLink(
	db: Kysely<DB>,
	actor: Actor | null,
	assessmentId: string,
	now = new Date()
): Promise<{ ok: true; shareCode: string } | Fail<'not-found'>> {
	const assessment = await managedAssessment(db, actor, assessmentId);
	if (!assessment) return { ok: false, reason: 'not-found' };
	const shareCode = newSecret();
	await db
		.updateTable('assessment')
		.set({ share_code: shareCode, updated_at: now.toISOString() })
		.where('id', '=', assessment.id)
		.execute();
	return { ok: true, shareCode };
}
