import { isPerson, type Actor } from '../auth/auth.permissions';
import type { SessionUser } from '../auth/auth.types';
import type { EnquiryRole, EnquiryStage } from './enquiries.tables';

/**
 * What the rules need to know: the enquiry's stage, whether its raw material is gone, and the
 * actor's place on its team (null: not on it). Read in one query by `findEnquiryAccess`.
 */
export interface EnquiryAccess {
	stage: EnquiryStage;
	raw_deleted_at: string | null;
	role: EnquiryRole | null;
}

/** Whether the actor is on the enquiry's team (lead or interviewer). */
export function isOnTeam(
	actor: Actor | null | undefined,
	access: Pick<EnquiryAccess, 'role'>
): actor is SessionUser {
	return isPerson(actor) && access.role !== null;
}

/** Whether the actor leads the enquiry. */
export function isLead(
	actor: Actor | null | undefined,
	access: Pick<EnquiryAccess, 'role'>
): actor is SessionUser {
	return isPerson(actor) && access.role === 'lead';
}

/** Any member can start an enquiry and lead it. */
export function canStartEnquiry(actor: Actor | null | undefined): actor is SessionUser {
	return isPerson(actor);
}

/**
 * What people said — participants, transcripts, excerpts, codes, memos and the draft report —
 * stays with the team. Nobody else (not curators, not administrators) reads it.
 */
export function canSeeRawMaterial(
	actor: Actor | null | undefined,
	access: Pick<EnquiryAccess, 'role'>
): actor is SessionUser {
	return isOnTeam(actor, access);
}

/** The lead changes the enquiry's details and stage, and invites or removes team members. */
export function canManageEnquiry(
	actor: Actor | null | undefined,
	access: Pick<EnquiryAccess, 'role'>
): actor is SessionUser {
	return isLead(actor, access);
}

/**
 * The team records participants, interviews and codes while the raw material exists. Consent
 * changes and withdrawals are always allowed: see `canRecordConsent`.
 */
export function canWorkOnMaterial(
	actor: Actor | null | undefined,
	access: EnquiryAccess
): actor is SessionUser {
	return isOnTeam(actor, access) && access.raw_deleted_at === null;
}

/** Anyone on the team records a change of consent or a withdrawal, at any time. */
export function canRecordConsent(
	actor: Actor | null | undefined,
	access: Pick<EnquiryAccess, 'role'>
): actor is SessionUser {
	return isOnTeam(actor, access);
}

/** The team writes the report until it is published. */
export function canWriteReport(
	actor: Actor | null | undefined,
	access: EnquiryAccess
): actor is SessionUser {
	return isOnTeam(actor, access) && access.stage !== 'published';
}

/** The lead publishes the report. */
export function canPublishReport(
	actor: Actor | null | undefined,
	access: EnquiryAccess
): actor is SessionUser {
	return isLead(actor, access) && access.stage !== 'published';
}

/** The lead deletes the raw material once the report is published; the report stays. */
export function canDeleteRawMaterial(
	actor: Actor | null | undefined,
	access: EnquiryAccess
): actor is SessionUser {
	return isLead(actor, access) && access.stage === 'published' && access.raw_deleted_at === null;
}
