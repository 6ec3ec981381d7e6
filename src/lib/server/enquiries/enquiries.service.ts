import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { assertCan, isPerson, type Actor } from '../auth/auth.permissions';
import { findAccountByEmail } from '../auth/users.service';
import { changeContent } from '../cache/content-version';
import type { DB } from '../db/schema';
import { fieldErrors, type FieldErrors } from '../forms';
import { newId, nowIso } from '../ids';
import { enqueueMail } from '../mail/outbox';
import { consumeRateLimit, type RateLimitRule } from '../rate-limit/rate-limit.service';
import { Refusal, refusable } from '../refusals';
import { refreshSearchDocument } from '../search/search.repository';
import { findEnquiryAccess } from './enquiries.access';
import { ENQUIRY_SEARCH } from './enquiries.search';
import { enquiryInvitationMail, type EnquirySite } from './enquiries.mails';
import { canManageEnquiry, canStartEnquiry, isOnTeam } from './enquiries.permissions';
import {
	cancelOpenInvitationsTo,
	countEnquiries,
	countLeads,
	countMaterial,
	deleteMember,
	deleteSession,
	findEventForLinking,
	findInvitationById,
	findInvitationByTokenHash,
	findMember,
	insertEnquiry,
	insertInvitation,
	insertMember,
	insertSession,
	listEnquiriesOfEvent,
	listEnquiriesOfMember,
	listEnquiriesPage,
	listEnquiryLinksAfter,
	listLinkableEvents,
	listLinkedSessions,
	listPendingInvitations,
	listTeams,
	lockEnquiry,
	markInvitationAccepted,
	markInvitationCancelled,
	updateEnquiryRow,
	type SessionRow,
	type TeamMemberRow
} from './enquiries.repository';
import {
	eventIdSchema,
	inviteIdSchema,
	inviteSchema,
	memberIdSchema,
	questionLines,
	stageSchema,
	type EnquiryInput
} from './enquiries.schema';
import {
	ENQUIRY_STAGES,
	type Enquiry,
	type EnquiryRole,
	type EnquiryStage
} from './enquiries.tables';

export type { EnquirySite } from './enquiries.mails';

type Db = Kysely<DB>;

export const ENQUIRIES_PAGE_SIZE = 20;
/** How long an emailed invitation works. */
export const ENQUIRY_INVITE_DAYS = 14;
/** Each person may send this many team invitations an hour, like organisation invitations. */
export const ENQUIRY_INVITE_RATE: RateLimitRule = { limit: 30, windowSeconds: 60 * 60 };
/** New enquiries one person may start: 5 a day. */
export const ENQUIRY_START_RATE: RateLimitRule = { limit: 5, windowSeconds: 86_400 };
const DAY_MS = 86_400_000;

export const STAGE_LABELS: Record<EnquiryStage, string> = {
	planning: 'Planning',
	gathering: 'Gathering',
	analysing: 'Analysing',
	reporting: 'Reporting',
	published: 'Published'
};

/** What each stage means, in plain words, for the enquiry's page and the stage form. */
export const STAGE_HINTS: Record<EnquiryStage, string> = {
	planning: 'The team is agreeing the questions, who to talk to and how.',
	gathering: 'The team is talking to people and writing down what they said.',
	analysing: 'The team is reading what people said and sorting it into themes.',
	reporting: 'The team is writing up what it found.',
	published: 'The report is out for everyone to read and discuss.'
};

export const ROLE_LABELS: Record<EnquiryRole, string> = {
	lead: 'Lead',
	interviewer: 'Interviewer'
};

export type NotFound = { ok: false; reason: 'not-found' };
export type Invalid = { ok: false; reason: 'invalid'; errors: FieldErrors };
export type RateLimited = { ok: false; reason: 'rate-limited'; retryAfterSeconds: number };

const notFound: NotFound = { ok: false, reason: 'not-found' };

/** Hashes an emailed token: only the hash is stored, so a copy of the database opens nothing. */
export function hashEnquiryToken(token: string): string {
	return createHash('sha256').update(token).digest('base64url');
}

async function access(db: Db, actor: Actor | null | undefined, enquiryId: string) {
	return findEnquiryAccess(db, enquiryId, isPerson(actor) ? actor.id : null);
}

// ---------------------------------------------------------------------------------------------
// The enquiry

/** Any signed-in member starts an enquiry and becomes its lead; it starts at planning. */
export async function startEnquiry(
	db: Db,
	actor: Actor | null | undefined,
	input: EnquiryInput,
	now = nowIso()
): Promise<{ ok: true; id: string } | RateLimited> {
	assertCan(canStartEnquiry(actor), 'Sign in to start an enquiry.');
	const limited = await consumeRateLimit(
		db,
		`enquiries.start:user:${actor.id}`,
		ENQUIRY_START_RATE
	);
	if (!limited.ok)
		return { ok: false, reason: 'rate-limited', retryAfterSeconds: limited.retryAfterSeconds };
	const id = newId();
	await changeContent(db, async (trx) => {
		await insertEnquiry(trx, {
			id,
			...input,
			stage: 'planning',
			created_by: actor.id,
			report_title: null,
			report_summary: null,
			published_at: null,
			raw_deleted_at: null,
			created_at: now,
			updated_at: now
		});
		await insertMember(trx, {
			enquiry_id: id,
			user_id: actor.id,
			role: 'lead',
			added_by: actor.id,
			added_at: now
		});
		await refreshSearchDocument(trx, ENQUIRY_SEARCH, id);
	});
	return { ok: true, id };
}

/** The details as the edit form shows them (the lead only). */
export async function getEnquiryForEditing(
	db: Db,
	actor: Actor | null | undefined,
	enquiryId: string
): Promise<Enquiry | undefined> {
	const found = await access(db, actor, enquiryId);
	if (!found) return undefined;
	assertCan(canManageEnquiry(actor, found), 'Only the enquiry’s lead can change its details.');
	return found.enquiry;
}

/** The lead changes the title, questions, purpose, method and consent text. */
export async function editEnquiry(
	db: Db,
	actor: Actor | null | undefined,
	enquiryId: string,
	input: EnquiryInput,
	now = nowIso()
): Promise<{ ok: true } | NotFound> {
	const found = await access(db, actor, enquiryId);
	if (!found) return notFound;
	assertCan(canManageEnquiry(actor, found), 'Only the enquiry’s lead can change its details.');
	await changeContent(db, async (trx) => {
		await updateEnquiryRow(trx, enquiryId, { ...input, updated_at: now });
		await refreshSearchDocument(trx, ENQUIRY_SEARCH, enquiryId);
	});
	return { ok: true };
}

/**
 * The lead moves the enquiry between planning, gathering, analysing and reporting, either way.
 * Publishing is the report's own step (with its consent check), never a stage change here; a
 * published enquiry stays published.
 */
export async function moveEnquiryStage(
	db: Db,
	actor: Actor | null | undefined,
	enquiryId: string,
	input: unknown,
	now = nowIso()
): Promise<{ ok: true; stage: EnquiryStage } | NotFound | Invalid> {
	const found = await access(db, actor, enquiryId);
	if (!found) return notFound;
	assertCan(
		canManageEnquiry(actor, found),
		'Only the enquiry’s lead can move it to another stage.'
	);
	const parsed = stageSchema.safeParse(input);
	if (!parsed.success) return { ok: false, reason: 'invalid', errors: fieldErrors(parsed.error) };
	if (found.stage === 'published')
		return {
			ok: false,
			reason: 'invalid',
			errors: { stage: 'The report is published, so the enquiry stays at the published stage.' }
		};
	await changeContent(db, async (trx) => {
		await updateEnquiryRow(trx, enquiryId, { stage: parsed.data.stage, updated_at: now });
		await refreshSearchDocument(trx, ENQUIRY_SEARCH, enquiryId);
	});
	return { ok: true, stage: parsed.data.stage };
}

export interface TeamMember {
	userId: string;
	name: string;
	role: EnquiryRole;
	roleLabel: string;
	addedAt: string;
}

const toMember = (r: TeamMemberRow): TeamMember => ({
	userId: r.user_id,
	name: r.name,
	role: r.role,
	roleLabel: ROLE_LABELS[r.role],
	addedAt: r.added_at
});

export interface EnquirySummary {
	id: string;
	title: string;
	firstQuestion: string;
	stage: EnquiryStage;
	stageLabel: string;
	team: string[];
	createdAt: string;
}

export function parseStageFilter(value: string | null): EnquiryStage | null {
	return value && (ENQUIRY_STAGES as readonly string[]).includes(value)
		? (value as EnquiryStage)
		: null;
}

/** The public list of enquiries, newest first, with their teams' names in one more query. */
export async function listEnquiries(
	db: Db,
	stage: EnquiryStage | null,
	page: number
): Promise<{ enquiries: EnquirySummary[]; total: number; totalPages: number; page: number }> {
	const total = await countEnquiries(db, stage);
	const totalPages = Math.max(1, Math.ceil(total / ENQUIRIES_PAGE_SIZE));
	const current = Math.min(Math.max(1, page), totalPages);
	const rows = await listEnquiriesPage(
		db,
		stage,
		ENQUIRIES_PAGE_SIZE,
		(current - 1) * ENQUIRIES_PAGE_SIZE
	);
	const teams = await listTeams(
		db,
		rows.map((r) => r.id)
	);
	return {
		total,
		totalPages,
		page: current,
		enquiries: rows.map((r) => ({
			id: r.id,
			title: r.title,
			firstQuestion: questionLines(r.questions)[0] ?? '',
			stage: r.stage,
			stageLabel: STAGE_LABELS[r.stage],
			team: teams.filter((t) => t.enquiry_id === r.id).map((t) => t.name),
			createdAt: r.created_at
		}))
	};
}

export interface EnquiryView {
	enquiry: Pick<
		Enquiry,
		'id' | 'title' | 'purpose' | 'method' | 'consent_text' | 'stage' | 'published_at' | 'created_at'
	> & { raw_deleted_at: string | null };
	questions: string[];
	stageLabel: string;
	stageHint: string;
	team: TeamMember[];
	sessions: SessionRow[];
	viewer: {
		role: EnquiryRole | null;
		onTeam: boolean;
		canManage: boolean;
	};
	/** Only for the team. */
	counts: { participants: number; interviews: number } | null;
}

/** The enquiry's public page: its questions, team, stage and sessions; counts for the team. */
export async function viewEnquiry(
	db: Db,
	actor: Actor | null | undefined,
	enquiryId: string
): Promise<EnquiryView | undefined> {
	const found = await access(db, actor, enquiryId);
	if (!found) return undefined;
	const onTeam = isOnTeam(actor, found);
	const [team, sessions, counts] = await Promise.all([
		listTeams(db, [enquiryId]),
		listLinkedSessions(db, enquiryId, !onTeam),
		onTeam ? countMaterial(db, enquiryId) : Promise.resolve(null)
	]);
	const e = found.enquiry;
	return {
		enquiry: {
			id: e.id,
			title: e.title,
			purpose: e.purpose,
			method: e.method,
			consent_text: e.consent_text,
			stage: e.stage,
			published_at: e.published_at,
			created_at: e.created_at,
			raw_deleted_at: e.raw_deleted_at
		},
		questions: questionLines(e.questions),
		stageLabel: STAGE_LABELS[e.stage],
		stageHint: STAGE_HINTS[e.stage],
		team: team.map(toMember),
		sessions,
		viewer: { role: found.role, onTeam, canManage: canManageEnquiry(actor, found) },
		counts
	};
}

/** The enquiries a person is on, for "My CoLab" and their data. */
export async function enquiriesOfPerson(db: Db, userId: string, limit = 20) {
	const rows = await listEnquiriesOfMember(db, userId, limit);
	return rows.map((r) => ({
		id: r.id,
		title: r.title,
		stageLabel: STAGE_LABELS[r.stage],
		roleLabel: ROLE_LABELS[r.role],
		url: `/enquiries/${r.id}`
	}));
}

// ---------------------------------------------------------------------------------------------
// The team

export interface TeamView {
	enquiry: Pick<Enquiry, 'id' | 'title' | 'stage'>;
	members: TeamMember[];
	invitations: Array<{
		id: string;
		email: string;
		role: EnquiryRole;
		roleLabel: string;
		expiresAt: string;
		expired: boolean;
	}>;
	viewer: { userId: string; role: EnquiryRole; canManage: boolean };
	sessions: SessionRow[];
	linkable: SessionRow[];
}

/** The team page: anyone on the team sees it; only the lead sees invitations and may change it. */
export async function viewTeam(
	db: Db,
	actor: Actor | null | undefined,
	enquiryId: string,
	now = new Date()
): Promise<TeamView | undefined> {
	const found = await access(db, actor, enquiryId);
	if (!found) return undefined;
	assertCan(isOnTeam(actor, found), 'Only the enquiry’s team can see this page.');
	const canManage = canManageEnquiry(actor, found);
	const [team, invitations, sessions, linkable] = await Promise.all([
		listTeams(db, [enquiryId]),
		canManage ? listPendingInvitations(db, enquiryId, 100) : Promise.resolve([]),
		listLinkedSessions(db, enquiryId, false),
		canManage
			? listLinkableEvents(db, new Date(now.getTime() - 90 * DAY_MS).toISOString(), 50)
			: Promise.resolve([])
	]);
	const linked = new Set(sessions.map((s) => s.id));
	return {
		enquiry: { id: found.enquiry.id, title: found.enquiry.title, stage: found.stage },
		members: team.map(toMember),
		invitations: invitations.map((i) => ({
			id: i.id,
			email: i.email,
			role: i.role,
			roleLabel: ROLE_LABELS[i.role],
			expiresAt: i.expires_at,
			expired: new Date(i.expires_at) <= now
		})),
		viewer: { userId: actor.id, role: found.role!, canManage },
		sessions,
		linkable: linkable.filter((e) => !linked.has(e.id))
	};
}

export type InviteResult = { ok: true; email: string } | NotFound | Invalid | RateLimited;

/**
 * The lead invites someone by email, as a lead or an interviewer. The email carries a random
 * token; only its hash is kept. A new invitation to the same address replaces the old one.
 */
export async function inviteToEnquiry(
	db: Db,
	site: EnquirySite,
	actor: Actor | null | undefined,
	enquiryId: string,
	input: unknown,
	now = new Date()
): Promise<InviteResult> {
	const found = await access(db, actor, enquiryId);
	if (!found) return notFound;
	assertCan(canManageEnquiry(actor, found), 'Only the enquiry’s lead can invite people.');
	const parsed = inviteSchema.safeParse(input);
	if (!parsed.success) return { ok: false, reason: 'invalid', errors: fieldErrors(parsed.error) };
	const { email, role } = parsed.data;
	const invitee = await findAccountByEmail(db, email);
	if (invitee && (await findMember(db, enquiryId, invitee.id)))
		return {
			ok: false,
			reason: 'invalid',
			errors: { email: `${email} is already on this enquiry’s team` }
		};
	const limited = await consumeRateLimit(
		db,
		`enquiry-invite:user:${actor.id}`,
		ENQUIRY_INVITE_RATE,
		now
	);
	if (!limited.ok)
		return { ok: false, reason: 'rate-limited', retryAfterSeconds: limited.retryAfterSeconds };
	const token = randomBytes(32).toString('base64url');
	const at = now.toISOString();
	const expiresAt = new Date(now.getTime() + ENQUIRY_INVITE_DAYS * DAY_MS).toISOString();
	await db.transaction().execute(async (trx) => {
		await cancelOpenInvitationsTo(trx, enquiryId, email, at);
		await insertInvitation(trx, {
			id: newId(),
			enquiry_id: enquiryId,
			email,
			role,
			token_hash: hashEnquiryToken(token),
			invited_by: actor.id,
			created_at: at,
			expires_at: expiresAt,
			accepted_at: null,
			accepted_by: null,
			cancelled_at: null
		});
		await enqueueMail(
			trx,
			enquiryInvitationMail(site, {
				token,
				email,
				role,
				enquiryTitle: found.enquiry.title,
				inviterName: actor.name,
				expiresAt,
				userId: invitee?.id ?? null
			})
		);
	});
	return { ok: true, email };
}

/** The lead withdraws an invitation that has not been accepted. */
export async function cancelEnquiryInvitation(
	db: Db,
	actor: Actor | null | undefined,
	enquiryId: string,
	input: unknown,
	now = nowIso()
): Promise<{ ok: true; email: string } | NotFound | Invalid> {
	const found = await access(db, actor, enquiryId);
	if (!found) return notFound;
	assertCan(canManageEnquiry(actor, found), 'Only the enquiry’s lead can withdraw invitations.');
	const parsed = inviteIdSchema.safeParse(input);
	if (!parsed.success) return { ok: false, reason: 'invalid', errors: fieldErrors(parsed.error) };
	const invitation = await findInvitationById(db, parsed.data.invitationId);
	if (!invitation || invitation.enquiry_id !== enquiryId) return notFound;
	if (!(await markInvitationCancelled(db, invitation.id, now))) return notFound;
	return { ok: true, email: invitation.email };
}

export type InvitationState = 'open' | 'expired' | 'used' | 'cancelled';

export interface InvitationView {
	state: InvitationState;
	enquiry: { id: string; title: string };
	role: EnquiryRole;
	roleLabel: string;
	email: string;
	expiresAt: string;
	forViewer: boolean;
	viewerOnTeam: boolean;
}

function invitationState(
	i: { accepted_at: string | null; cancelled_at: string | null; expires_at: string },
	now: Date
): InvitationState {
	if (i.accepted_at) return 'used';
	if (i.cancelled_at) return 'cancelled';
	if (new Date(i.expires_at) <= now) return 'expired';
	return 'open';
}

function isInvitee(actor: Actor | null | undefined, email: string): boolean {
	return (
		isPerson(actor) &&
		actor.emailVerified &&
		actor.email.trim().toLowerCase() === email.trim().toLowerCase()
	);
}

/** What an invitation link says. Undefined for a token we never sent. */
export async function viewEnquiryInvitation(
	db: Db,
	viewer: Actor | null | undefined,
	token: string,
	now = new Date()
): Promise<InvitationView | undefined> {
	const invitation = await findInvitationByTokenHash(db, hashEnquiryToken(token));
	if (!invitation) return undefined;
	const found = await access(db, viewer, invitation.enquiry_id);
	if (!found) return undefined;
	return {
		state: invitationState(invitation, now),
		enquiry: { id: found.enquiry.id, title: found.enquiry.title },
		role: invitation.role,
		roleLabel: ROLE_LABELS[invitation.role],
		email: invitation.email,
		expiresAt: invitation.expires_at,
		forViewer: isInvitee(viewer, invitation.email),
		viewerOnTeam: isOnTeam(viewer, found)
	};
}

export type AcceptResult =
	| { ok: true; enquiryId: string }
	| { ok: false; reason: 'not-found' | 'expired' | 'used' | 'cancelled' | 'wrong-person' };

/**
 * The person the invitation was sent to (signed in with that confirmed address) joins the team
 * with the role they were invited to. Each invitation works once.
 */
export async function acceptEnquiryInvitation(
	db: Db,
	actor: Actor | null | undefined,
	token: string,
	now = new Date()
): Promise<AcceptResult> {
	assertCan(isPerson(actor), 'Sign in to accept an invitation.');
	const invitation = await findInvitationByTokenHash(db, hashEnquiryToken(token));
	if (!invitation) return notFound;
	const state = invitationState(invitation, now);
	if (state !== 'open') return { ok: false, reason: state };
	if (!isInvitee(actor, invitation.email)) return { ok: false, reason: 'wrong-person' };
	const at = now.toISOString();
	return refusable(() =>
		changeContent(db, async (trx) => {
			if (!(await markInvitationAccepted(trx, invitation.id, actor.id, at)))
				throw new Refusal('used');
			const existing = await findMember(trx, invitation.enquiry_id, actor.id);
			if (!existing)
				await insertMember(trx, {
					enquiry_id: invitation.enquiry_id,
					user_id: actor.id,
					role: invitation.role,
					added_by: invitation.invited_by,
					added_at: at
				});
			else if (existing.role === 'interviewer' && invitation.role === 'lead')
				await lockEnquiry(trx, invitation.enquiry_id).then(() =>
					trx
						.updateTable('enquiry_member')
						.set({ role: 'lead' })
						.where('enquiry_id', '=', invitation.enquiry_id)
						.where('user_id', '=', actor.id)
						.execute()
				);
			return { ok: true as const, enquiryId: invitation.enquiry_id };
		})
	);
}

export type MemberResult =
	{ ok: true } | NotFound | Invalid | { ok: false; reason: 'last-lead' | 'not-a-member' };

/** The message for the last lead, who cannot go until someone else leads. */
export const LAST_LEAD_MESSAGE =
	'An enquiry always needs a lead. Invite someone as a lead first (or ask them to accept), then you can leave or be removed.';

async function removeFromTeam(db: Db, enquiryId: string, userId: string): Promise<MemberResult> {
	return refusable<{ ok: true }, 'last-lead' | 'not-a-member'>(() =>
		changeContent(db, async (trx) => {
			await lockEnquiry(trx, enquiryId);
			const target = await findMember(trx, enquiryId, userId);
			if (!target) throw new Refusal('not-a-member');
			if (target.role === 'lead' && (await countLeads(trx, enquiryId)) <= 1)
				throw new Refusal('last-lead');
			await deleteMember(trx, enquiryId, userId);
			return { ok: true as const };
		})
	);
}

/** The lead removes someone from the team (never the last lead). */
export async function removeTeamMember(
	db: Db,
	actor: Actor | null | undefined,
	enquiryId: string,
	input: unknown
): Promise<MemberResult> {
	const found = await access(db, actor, enquiryId);
	if (!found) return notFound;
	assertCan(canManageEnquiry(actor, found), 'Only the enquiry’s lead can remove team members.');
	const parsed = memberIdSchema.safeParse(input);
	if (!parsed.success) return { ok: false, reason: 'invalid', errors: fieldErrors(parsed.error) };
	return removeFromTeam(db, enquiryId, parsed.data.userId);
}

/** A member leaves the team (not when they are its last lead). */
export async function leaveEnquiry(
	db: Db,
	actor: Actor | null | undefined,
	enquiryId: string
): Promise<MemberResult> {
	const found = await access(db, actor, enquiryId);
	if (!found) return notFound;
	assertCan(isOnTeam(actor, found), 'You are not on this enquiry’s team.');
	return removeFromTeam(db, enquiryId, actor.id);
}

// ---------------------------------------------------------------------------------------------
// Sessions: events of the enquiry format, linked by the lead

/** The lead links an event of the enquiry format to the enquiry. */
export async function linkSession(
	db: Db,
	actor: Actor | null | undefined,
	enquiryId: string,
	input: unknown,
	now = nowIso()
): Promise<{ ok: true } | NotFound | Invalid> {
	const found = await access(db, actor, enquiryId);
	if (!found) return notFound;
	assertCan(canManageEnquiry(actor, found), 'Only the enquiry’s lead can link sessions.');
	const parsed = eventIdSchema.safeParse(input);
	if (!parsed.success) return { ok: false, reason: 'invalid', errors: fieldErrors(parsed.error) };
	const event = await findEventForLinking(db, parsed.data.eventId);
	if (!event || event.format_id !== 'enquiry' || event.approval !== 'approved')
		return {
			ok: false,
			reason: 'invalid',
			errors: { eventId: 'Choose an enquiry session from the list' }
		};
	await changeContent(db, (trx) => insertSession(trx, enquiryId, event.id, now));
	return { ok: true };
}

/** The lead unlinks an event from the enquiry (the event itself stays). */
export async function unlinkSession(
	db: Db,
	actor: Actor | null | undefined,
	enquiryId: string,
	input: unknown
): Promise<{ ok: true } | NotFound | Invalid> {
	const found = await access(db, actor, enquiryId);
	if (!found) return notFound;
	assertCan(canManageEnquiry(actor, found), 'Only the enquiry’s lead can unlink sessions.');
	const parsed = eventIdSchema.safeParse(input);
	if (!parsed.success) return { ok: false, reason: 'invalid', errors: fieldErrors(parsed.error) };
	await changeContent(db, (trx) => deleteSession(trx, enquiryId, parsed.data.eventId));
	return { ok: true };
}

/** The enquiries an event is part of, for the event's page. */
export async function enquiriesOfEvent(db: Db, eventId: string) {
	const rows = await listEnquiriesOfEvent(db, eventId);
	return rows.map((r) => ({ id: r.id, title: r.title, url: `/enquiries/${r.id}` }));
}

/** Every enquiry's public page, a batch at a time, for the sitemap. */
export async function listPublicEnquiryLinksAfter(db: Db, afterId: string | null, limit: number) {
	return (await listEnquiryLinksAfter(db, afterId, limit)).map((r) => ({
		id: r.id,
		path: `/enquiries/${r.id}`,
		lastModified: r.updated_at
	}));
}
