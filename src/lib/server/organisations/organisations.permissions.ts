import { isPerson, isAdministrator, type Actor } from '../auth/auth.permissions';
import type { SessionUser } from '../auth/auth.types';
import type { OrganisationRole } from './organisations.tables';

/**
 * Who may do what with an organisation. Each rule takes the actor and the actor's own
 * membership of that organisation (null when they are not a member). Site administrators may
 * manage any organisation, so someone can always step in when its admins have left.
 */
export type Membership = { role: OrganisationRole } | null | undefined;

function isOrganisationAdmin(actor: Actor | null | undefined, membership: Membership): boolean {
	return isPerson(actor) && membership?.role === 'admin';
}

/** Any signed-in member may start an organisation (and becomes its first admin). */
export function canCreateOrganisation(actor: Actor | null | undefined): actor is SessionUser {
	return isPerson(actor);
}

/** Its admins (and site administrators) change the name, description and website. */
export function canEditOrganisation(
	actor: Actor | null | undefined,
	membership: Membership
): boolean {
	return isOrganisationAdmin(actor, membership) || isAdministrator(actor);
}

/** Its admins (and site administrators) see everyone in it, with email addresses. */
export function canManageMembers(actor: Actor | null | undefined, membership: Membership): boolean {
	return isOrganisationAdmin(actor, membership) || isAdministrator(actor);
}

/** Its admins (and site administrators) invite people by email. */
export function canInviteToOrganisation(
	actor: Actor | null | undefined,
	membership: Membership
): boolean {
	return isOrganisationAdmin(actor, membership) || isAdministrator(actor);
}

/** Its admins (and site administrators) make members admins and back again. */
export function canChangeMemberRole(
	actor: Actor | null | undefined,
	membership: Membership
): boolean {
	return isOrganisationAdmin(actor, membership) || isAdministrator(actor);
}

/** Admins remove anyone; every member may remove themselves (leave). */
export function canRemoveMember(
	actor: Actor | null | undefined,
	membership: Membership,
	memberUserId: string
): boolean {
	if (isOrganisationAdmin(actor, membership) || isAdministrator(actor)) return true;
	return isPerson(actor) && !!membership && actor.id === memberUserId;
}

/**
 * Members (admins or not) may act "on behalf of" their organisation, e.g. post as it. Nobody
 * else may, not even site administrators: that would put words in an organisation's mouth.
 */
export function canActForOrganisation(
	actor: Actor | null | undefined,
	membership: Membership
): boolean {
	return isPerson(actor) && !!membership;
}

/**
 * Only the person the invitation was sent to may accept it: signed in with that same address,
 * confirmed. A forwarded or leaked link is then useless to anyone else.
 */
export function canAcceptInvite(
	actor: Actor | null | undefined,
	invite: { email: string }
): boolean {
	return (
		isPerson(actor) &&
		actor.emailVerified &&
		actor.email.trim().toLowerCase() === invite.email.trim().toLowerCase()
	);
}
