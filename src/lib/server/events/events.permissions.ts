import { isPerson, isAdministrator, type Actor } from '../auth/auth.permissions';
import type { SessionUser } from '../auth/auth.types';

/**
 * Who may do what with events. Rules take the actor and what they need to know about the event:
 * its host, and whether the actor is an admin of the organisation it is held on behalf of.
 */
export interface EventStanding {
	host_id: string | null;
	/** The actor is an admin of the organisation the event is held on behalf of. */
	actorIsOrganisationAdmin?: boolean;
}

/** Curators run the formats; administrators may do anything a curator may. */
export function isCurator(actor: Actor | null | undefined): boolean {
	return isAdministrator(actor) || (isPerson(actor) && actor.role === 'curator');
}

/** Any signed-in member may host an event. */
export function canHostEvent(actor: Actor | null | undefined): actor is SessionUser {
	return isPerson(actor);
}

/**
 * The host, admins of the organisation it is held for, curators and administrators edit an
 * event, cancel it, message the people coming, see the list and check people in.
 */
export function canManageEvent(actor: Actor | null | undefined, event: EventStanding): boolean {
	if (isCurator(actor)) return true;
	if (!isPerson(actor)) return false;
	return event.host_id === actor.id || !!event.actorIsOrganisationAdmin;
}

/** Curators approve a member's first event (when the instance asks for that). */
export function canApproveEvents(actor: Actor | null | undefined): boolean {
	return isCurator(actor);
}

/** Curators add formats and reword them. */
export function canManageFormats(actor: Actor | null | undefined): boolean {
	return isCurator(actor);
}

/** An event waiting for approval is seen only by those who may manage it. */
export function canSeeEvent(
	actor: Actor | null | undefined,
	event: EventStanding & { approval: string }
): boolean {
	return event.approval === 'approved' || canManageEvent(actor, event);
}

/** A registration belongs to the member who made it. */
export function ownsRegistration(
	actor: Actor | null | undefined,
	registration: { user_id: string | null }
): boolean {
	return isPerson(actor) && registration.user_id === actor.id;
}
