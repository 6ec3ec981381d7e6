import { isPerson, type Actor } from '../auth/auth.permissions';
import type { SessionUser } from '../auth/auth.types';
import type { DecisionStatus } from './decisions.tables';

/** Curators and administrators may facilitate any decision. */
export function isCurator(actor: Actor | null | undefined): actor is SessionUser {
	return isPerson(actor) && (actor.role === 'curator' || actor.role === 'administrator');
}

/** Any signed-in member may put a question to a group; they become its facilitator. */
export function canStartDecision(actor: Actor | null | undefined): actor is SessionUser {
	return isPerson(actor);
}

/** Its facilitators run a decision; curators may step in on any. */
export function canFacilitate(
	actor: Actor | null | undefined,
	isFacilitator: boolean
): actor is SessionUser {
	return isPerson(actor) && (isFacilitator || isCurator(actor));
}

/**
 * Signed-in members read open and closed decisions (what the network decided is its record);
 * a draft only its facilitators and curators.
 */
export function canSeeDecision(
	actor: Actor | null | undefined,
	decision: { status: DecisionStatus },
	isFacilitator: boolean
): actor is SessionUser {
	if (!isPerson(actor)) return false;
	return decision.status !== 'draft' || canFacilitate(actor, isFacilitator);
}

/** Only the people it was put to respond, and only while it is open. */
export function canRespond(
	actor: Actor | null | undefined,
	decision: { status: DecisionStatus; closes_at: string },
	isParticipant: boolean,
	now: string
): actor is SessionUser {
	return isPerson(actor) && isParticipant && decision.status === 'open' && now < decision.closes_at;
}
