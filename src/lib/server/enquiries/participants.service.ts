import type { Kysely } from 'kysely';
import { assertCan, isPerson, type Actor } from '../auth/auth.permissions';
import { changeContent } from '../cache/content-version';
import type { DB } from '../db/schema';
import { fieldErrors, type FieldErrors } from '../forms';
import { newId, nowIso } from '../ids';
import { findEnquiryAccess } from './enquiries.access';
import { canRecordConsent, canSeeRawMaterial, canWorkOnMaterial } from './enquiries.permissions';
import { findMember, listTeams } from './enquiries.repository';
import type { EnquiryInterview, EnquiryParticipant, SourceFormat } from './enquiries.tables';
import { PERSPECTIVE_LABELS, QUOTE_CONSENT_LABELS } from './perspectives';
import {
	countExcerptsOfInterview,
	countInterviews,
	countParticipants,
	deleteInterviewRow,
	deleteWordsOfParticipant,
	findInterview,
	findParticipant,
	findPersonName,
	insertConsentChange,
	insertInterview,
	insertParticipant,
	listActiveParticipants,
	listConsentChanges,
	listInterviewsOfParticipant,
	listInterviewsPage,
	listParticipantsPage,
	updateInterviewRow,
	updateParticipantConsent
} from './participants.repository';
import {
	consentSchema,
	interviewEditSchema,
	interviewSchema,
	participantSchema,
	withdrawSchema
} from './participants.schema';

type Db = Kysely<DB>;

export const PARTICIPANTS_PAGE_SIZE = 50;
export const INTERVIEWS_PAGE_SIZE = 25;

export type NotFound = { ok: false; reason: 'not-found' };
export type Invalid = { ok: false; reason: 'invalid'; errors: FieldErrors };
const notFound: NotFound = { ok: false, reason: 'not-found' };
const invalid = (errors: FieldErrors): Invalid => ({ ok: false, reason: 'invalid', errors });

/** What the team reads when the raw material has been deleted after publishing. */
export const RAW_DELETED_MESSAGE =
	'The lead deleted this enquiry’s interviews and analysis after publishing the report, so nothing new can be recorded. Consent can still be changed or withdrawn.';

const SEE_MESSAGE = 'Only the enquiry’s team can see what people said.';

async function access(db: Db, actor: Actor | null | undefined, enquiryId: string) {
	return findEnquiryAccess(db, enquiryId, isPerson(actor) ? actor.id : null);
}

function pageOf(total: number, size: number, page: number) {
	const totalPages = Math.max(1, Math.ceil(total / size));
	const current = Math.min(Math.max(1, page), totalPages);
	return { total, totalPages, page: current, offset: (current - 1) * size };
}

// ---------------------------------------------------------------------------------------------
// Participants and consent

/** The team's list of participants with their consent, oldest first. */
export async function listParticipants(
	db: Db,
	actor: Actor | null | undefined,
	enquiryId: string,
	page = 1
) {
	const found = await access(db, actor, enquiryId);
	if (!found) return undefined;
	assertCan(canSeeRawMaterial(actor, found), SEE_MESSAGE);
	const paging = pageOf(await countParticipants(db, enquiryId), PARTICIPANTS_PAGE_SIZE, page);
	const rows = await listParticipantsPage(db, enquiryId, PARTICIPANTS_PAGE_SIZE, paging.offset);
	return {
		enquiry: { id: found.enquiry.id, title: found.enquiry.title },
		viewer: { role: found.role!, canRecord: canWorkOnMaterial(actor, found) },
		...paging,
		participants: rows.map((r) => ({
			id: r.id,
			label: r.label,
			perspectiveLabel: PERSPECTIVE_LABELS[r.perspective].label,
			takesPart: r.consent_take_part === 1,
			quoteLabel: QUOTE_CONSENT_LABELS[r.consent_quote],
			withdrawn: r.withdrawn_at !== null,
			interviews: Number(r.interviews ?? 0)
		}))
	};
}

/** What the participant form shows: the enquiry's consent text. */
export async function participantFormFor(
	db: Db,
	actor: Actor | null | undefined,
	enquiryId: string
) {
	const found = await access(db, actor, enquiryId);
	if (!found) return undefined;
	assertCan(canSeeRawMaterial(actor, found), SEE_MESSAGE);
	return {
		enquiry: {
			id: found.enquiry.id,
			title: found.enquiry.title,
			consent_text: found.enquiry.consent_text
		},
		canRecord: canWorkOnMaterial(actor, found),
		viewer: { role: found.role! }
	};
}

/**
 * The team records a participant who agreed to take part, with how they agreed to be quoted;
 * the consent is kept with who recorded it and when, as the first row of its history.
 */
export async function recordParticipant(
	db: Db,
	actor: Actor | null | undefined,
	enquiryId: string,
	input: unknown,
	now = nowIso()
): Promise<{ ok: true; id: string } | NotFound | Invalid> {
	const found = await access(db, actor, enquiryId);
	if (!found) return notFound;
	assertCan(canSeeRawMaterial(actor, found), 'Only the enquiry’s team can record participants.');
	if (!canWorkOnMaterial(actor, found)) return invalid({ form: RAW_DELETED_MESSAGE });
	const parsed = participantSchema.safeParse(input);
	if (!parsed.success) return invalid(fieldErrors(parsed.error));
	const { label, perspective, quote, note } = parsed.data;
	const id = newId();
	await db.transaction().execute(async (trx) => {
		await insertParticipant(trx, {
			id,
			enquiry_id: enquiryId,
			label,
			perspective,
			consent_take_part: 1,
			consent_quote: quote,
			consent_recorded_at: now,
			consent_recorded_by: actor.id,
			withdrawn_at: null,
			created_by: actor.id,
			created_at: now,
			updated_at: now
		});
		await insertConsentChange(trx, {
			id: newId(),
			participant_id: id,
			take_part: 1,
			quote,
			withdrawn: 0,
			note,
			recorded_by: actor.id,
			recorded_at: now
		});
	});
	return { ok: true, id };
}

export interface ParticipantView {
	enquiry: { id: string; title: string; consent_text: string };
	viewer: { role: string; canRecordConsent: boolean; canWork: boolean };
	participant: Pick<
		EnquiryParticipant,
		| 'id'
		| 'label'
		| 'perspective'
		| 'consent_take_part'
		| 'consent_quote'
		| 'consent_recorded_at'
		| 'withdrawn_at'
	> & { perspectiveLabel: string; quoteLabel: string };
	history: Array<{
		id: string;
		takePart: boolean;
		quoteLabel: string;
		withdrawn: boolean;
		note: string;
		recordedAt: string;
		recordedBy: string;
	}>;
	interviews: Array<{ id: string; title: string; held_on: string | null }>;
}

/** One participant, their consent history (who and when) and their interviews: the team only. */
export async function viewParticipant(
	db: Db,
	actor: Actor | null | undefined,
	enquiryId: string,
	participantId: string
): Promise<ParticipantView | undefined> {
	const found = await access(db, actor, enquiryId);
	if (!found) return undefined;
	assertCan(canSeeRawMaterial(actor, found), SEE_MESSAGE);
	const p = await findParticipant(db, enquiryId, participantId);
	if (!p) return undefined;
	const [history, interviews] = await Promise.all([
		listConsentChanges(db, p.id),
		listInterviewsOfParticipant(db, p.id)
	]);
	return {
		enquiry: {
			id: found.enquiry.id,
			title: found.enquiry.title,
			consent_text: found.enquiry.consent_text
		},
		viewer: {
			role: found.role!,
			canRecordConsent: canRecordConsent(actor, found),
			canWork: canWorkOnMaterial(actor, found)
		},
		participant: {
			id: p.id,
			label: p.label,
			perspective: p.perspective,
			consent_take_part: p.consent_take_part,
			consent_quote: p.consent_quote,
			consent_recorded_at: p.consent_recorded_at,
			withdrawn_at: p.withdrawn_at,
			perspectiveLabel: PERSPECTIVE_LABELS[p.perspective].label,
			quoteLabel: QUOTE_CONSENT_LABELS[p.consent_quote]
		},
		history: history.map((h) => ({
			id: h.id,
			takePart: h.take_part === 1,
			quoteLabel: QUOTE_CONSENT_LABELS[h.quote],
			withdrawn: h.withdrawn === 1,
			note: h.note,
			recordedAt: h.recorded_at,
			recordedBy: h.recorded_by_name ?? 'someone who has since left'
		})),
		interviews: interviews.map((i) => ({ id: i.id, title: i.title, held_on: i.held_on }))
	};
}

export type ConsentResult = { ok: true } | NotFound | Invalid | { ok: false; reason: 'withdrawn' };

/**
 * Anyone on the team records a change to a participant's consent, at any time (even after the
 * report is published or the raw material deleted). Each change is kept with who and when;
 * published quotes follow the new consent when they are next shown.
 */
export async function changeConsent(
	db: Db,
	actor: Actor | null | undefined,
	enquiryId: string,
	participantId: string,
	input: unknown,
	now = nowIso()
): Promise<ConsentResult> {
	const found = await access(db, actor, enquiryId);
	if (!found) return notFound;
	assertCan(canRecordConsent(actor, found), 'Only the enquiry’s team can record consent.');
	const p = await findParticipant(db, enquiryId, participantId);
	if (!p) return notFound;
	if (p.withdrawn_at) return { ok: false, reason: 'withdrawn' };
	const parsed = consentSchema.safeParse(input);
	if (!parsed.success) return invalid(fieldErrors(parsed.error));
	const takePart = parsed.data.take_part === 'on' ? 1 : 0;
	// A published report may show this person's words: its page must be rebuilt.
	await changeContent(db, async (trx) => {
		await updateParticipantConsent(trx, p.id, {
			consent_take_part: takePart,
			consent_quote: parsed.data.quote,
			consent_recorded_at: now,
			consent_recorded_by: actor.id,
			updated_at: now
		});
		await insertConsentChange(trx, {
			id: newId(),
			participant_id: p.id,
			take_part: takePart,
			quote: parsed.data.quote,
			withdrawn: 0,
			note: parsed.data.note,
			recorded_by: actor.id,
			recorded_at: now
		});
	});
	return { ok: true };
}

/**
 * A participant withdraws: in one transaction they are marked withdrawn, the withdrawal is
 * recorded, and everything they said goes: their interviews (with excerpts and codings) and
 * every quote of theirs in the report, published or not. Allowed at any time, even after
 * publishing or after the raw material was deleted.
 */
export async function withdrawParticipant(
	db: Db,
	actor: Actor | null | undefined,
	enquiryId: string,
	participantId: string,
	input: unknown,
	now = nowIso()
): Promise<ConsentResult> {
	const found = await access(db, actor, enquiryId);
	if (!found) return notFound;
	assertCan(canRecordConsent(actor, found), 'Only the enquiry’s team can record a withdrawal.');
	const p = await findParticipant(db, enquiryId, participantId);
	if (!p) return notFound;
	if (p.withdrawn_at) return { ok: false, reason: 'withdrawn' };
	const parsed = withdrawSchema.safeParse(input ?? {});
	if (!parsed.success) return invalid(fieldErrors(parsed.error));
	await changeContent(db, async (trx) => {
		await updateParticipantConsent(trx, p.id, {
			withdrawn_at: now,
			consent_take_part: 0,
			consent_quote: 'none',
			consent_recorded_at: now,
			consent_recorded_by: actor.id,
			updated_at: now
		});
		await insertConsentChange(trx, {
			id: newId(),
			participant_id: p.id,
			take_part: 0,
			quote: 'none',
			withdrawn: 1,
			note: parsed.data.note,
			recorded_by: actor.id,
			recorded_at: now
		});
		await deleteWordsOfParticipant(trx, p.id);
	});
	return { ok: true };
}

// ---------------------------------------------------------------------------------------------
// Interviews

/** The team's list of interviews, newest first. */
export async function listInterviews(
	db: Db,
	actor: Actor | null | undefined,
	enquiryId: string,
	page = 1
) {
	const found = await access(db, actor, enquiryId);
	if (!found) return undefined;
	assertCan(canSeeRawMaterial(actor, found), SEE_MESSAGE);
	const paging = pageOf(await countInterviews(db, enquiryId), INTERVIEWS_PAGE_SIZE, page);
	const rows = await listInterviewsPage(db, enquiryId, INTERVIEWS_PAGE_SIZE, paging.offset);
	return {
		enquiry: { id: found.enquiry.id, title: found.enquiry.title },
		viewer: { role: found.role!, canRecord: canWorkOnMaterial(actor, found) },
		rawDeleted: found.raw_deleted_at !== null,
		...paging,
		interviews: rows
	};
}

/** Who can be chosen on the interview form: participants not withdrawn, and the team. */
export async function interviewFormFor(db: Db, actor: Actor | null | undefined, enquiryId: string) {
	const found = await access(db, actor, enquiryId);
	if (!found) return undefined;
	assertCan(canSeeRawMaterial(actor, found), SEE_MESSAGE);
	const [participants, team] = await Promise.all([
		listActiveParticipants(db, enquiryId, 1000),
		listTeams(db, [enquiryId])
	]);
	return {
		enquiry: { id: found.enquiry.id, title: found.enquiry.title },
		viewer: { id: actor.id, role: found.role!, canRecord: canWorkOnMaterial(actor, found) },
		participants: participants.map((p) => ({
			value: p.id,
			label: `${p.label} (${PERSPECTIVE_LABELS[p.perspective].label})`
		})),
		team: team.map((m) => ({ value: m.user_id, label: m.name }))
	};
}

/** The body of an interview as the service receives it, already read from the form or file. */
export interface InterviewBody {
	text: string;
	format: SourceFormat;
	name: string | null;
}

async function checkInterviewer(db: Db, enquiryId: string, interviewerId: string) {
	return !!(await findMember(db, enquiryId, interviewerId));
}

/**
 * The team records an interview (notes or a transcript) for a participant who has not
 * withdrawn, with its interviewer from the team. `body` is the text read from what was typed
 * or uploaded; null when there was none.
 */
export async function recordInterview(
	db: Db,
	actor: Actor | null | undefined,
	enquiryId: string,
	input: unknown,
	body: InterviewBody | null,
	now = nowIso()
): Promise<{ ok: true; id: string } | NotFound | Invalid> {
	const found = await access(db, actor, enquiryId);
	if (!found) return notFound;
	assertCan(canSeeRawMaterial(actor, found), 'Only the enquiry’s team can record interviews.');
	if (!canWorkOnMaterial(actor, found)) return invalid({ form: RAW_DELETED_MESSAGE });
	const parsed = interviewSchema.safeParse(input);
	const errors: FieldErrors = parsed.success ? {} : fieldErrors(parsed.error);
	if (!body) errors.body ??= 'Type the notes or transcript, or choose a file with them';
	if (parsed.success) {
		const p = await findParticipant(db, enquiryId, parsed.data.participant_id);
		if (!p) errors.participant_id = 'Choose who was interviewed';
		else if (p.withdrawn_at)
			errors.participant_id = `${p.label} has withdrawn, so no interviews can be recorded for them`;
		if (!(await checkInterviewer(db, enquiryId, parsed.data.interviewer_id)))
			errors.interviewer_id = 'Choose the interviewer from the team';
	}
	if (!parsed.success || !body || Object.keys(errors).length) return invalid(errors);
	const d = parsed.data;
	const id = newId();
	await insertInterview(db, {
		id,
		enquiry_id: enquiryId,
		participant_id: d.participant_id,
		interviewer_id: d.interviewer_id,
		title: d.title,
		held_on: d.held_on || null,
		kind: d.kind,
		source_format: body.format,
		source_name: body.name,
		body: body.text,
		created_by: actor.id,
		created_at: now,
		updated_at: now
	});
	return { ok: true, id };
}

export interface InterviewView {
	enquiry: { id: string; title: string };
	viewer: { role: string; canWork: boolean };
	interview: EnquiryInterview & {
		participantLabel: string;
		perspectiveLabel: string;
		participantWithdrawn: boolean;
		interviewerName: string | null;
	};
	excerpts: number;
}

/** One interview, to read: the team only. */
export async function viewInterview(
	db: Db,
	actor: Actor | null | undefined,
	enquiryId: string,
	interviewId: string
): Promise<InterviewView | undefined> {
	const found = await access(db, actor, enquiryId);
	if (!found) return undefined;
	assertCan(canSeeRawMaterial(actor, found), SEE_MESSAGE);
	const interview = await findInterview(db, enquiryId, interviewId);
	if (!interview) return undefined;
	const [p, interviewer, excerpts] = await Promise.all([
		findParticipant(db, enquiryId, interview.participant_id),
		interview.interviewer_id ? findPersonName(db, interview.interviewer_id) : undefined,
		countExcerptsOfInterview(db, interview.id)
	]);
	return {
		enquiry: { id: found.enquiry.id, title: found.enquiry.title },
		viewer: { role: found.role!, canWork: canWorkOnMaterial(actor, found) },
		interview: {
			...interview,
			participantLabel: p?.label ?? '',
			perspectiveLabel: p ? PERSPECTIVE_LABELS[p.perspective].label : '',
			participantWithdrawn: !!p?.withdrawn_at,
			interviewerName: interviewer?.name ?? null
		},
		excerpts
	};
}

/** The message when the words of a coded interview would change. */
export const BODY_FIXED_MESSAGE =
	'This interview has coded passages, which point into its words, so its words cannot be changed. You can still change the title, date, kind and interviewer. To change the words, remove its coded passages first.';

/**
 * The team changes an interview's details; its words only while nothing in it is coded
 * (excerpts point into the words by character offsets). `body` 'unchanged': the form did not
 * offer the words (they are fixed), so only the details change.
 */
export async function editInterview(
	db: Db,
	actor: Actor | null | undefined,
	enquiryId: string,
	interviewId: string,
	input: unknown,
	sent: InterviewBody | 'unchanged' | null,
	now = nowIso()
): Promise<{ ok: true } | NotFound | Invalid> {
	const found = await access(db, actor, enquiryId);
	if (!found) return notFound;
	assertCan(canSeeRawMaterial(actor, found), 'Only the enquiry’s team can change interviews.');
	if (!canWorkOnMaterial(actor, found)) return invalid({ form: RAW_DELETED_MESSAGE });
	const interview = await findInterview(db, enquiryId, interviewId);
	if (!interview) return notFound;
	const parsed = interviewEditSchema.safeParse(input);
	const errors: FieldErrors = parsed.success ? {} : fieldErrors(parsed.error);
	const body: InterviewBody | null =
		sent === 'unchanged'
			? { text: interview.body, format: interview.source_format, name: interview.source_name }
			: sent;
	if (!body) errors.body ??= 'The interview needs its notes or transcript: the box is empty';
	const changesBody = !!body && body.text !== interview.body;
	if (changesBody && (await countExcerptsOfInterview(db, interview.id)) > 0)
		errors.body = BODY_FIXED_MESSAGE;
	if (parsed.success && !(await checkInterviewer(db, enquiryId, parsed.data.interviewer_id)))
		errors.interviewer_id = 'Choose the interviewer from the team';
	if (!parsed.success || !body || Object.keys(errors).length) return invalid(errors);
	const d = parsed.data;
	await updateInterviewRow(db, interview.id, {
		interviewer_id: d.interviewer_id,
		title: d.title,
		held_on: d.held_on || null,
		kind: d.kind,
		...(changesBody ? { body: body.text, source_format: body.format, source_name: body.name } : {}),
		updated_at: now
	});
	return { ok: true };
}

/** The team deletes an interview, with its coded passages. */
export async function deleteInterview(
	db: Db,
	actor: Actor | null | undefined,
	enquiryId: string,
	interviewId: string
): Promise<{ ok: true } | NotFound> {
	const found = await access(db, actor, enquiryId);
	if (!found) return notFound;
	assertCan(canSeeRawMaterial(actor, found), 'Only the enquiry’s team can delete interviews.');
	const interview = await findInterview(db, enquiryId, interviewId);
	if (!interview) return notFound;
	await deleteInterviewRow(db, interview.id);
	return { ok: true };
}
