import { isPerson, type Actor } from '../auth/auth.permissions';
import type { SessionUser } from '../auth/auth.types';
import type { PilotVisibility } from './pilots.tables';

/** How the viewer stands in a pilot's team: its owner, a member, or not on it. */
export type PilotRole = 'owner' | 'member' | null;

/** What the rules need to know about a pilot. */
export interface PilotAccess {
	visibility: PilotVisibility;
	owner_id: string | null;
}

/** The viewer's place in the team, from the pilot's owner and whether they are a member. */
export function roleIn(
	actor: Actor | null | undefined,
	pilot: Pick<PilotAccess, 'owner_id'>,
	isMember: boolean
): PilotRole {
	if (!isPerson(actor)) return null;
	if (pilot.owner_id === actor.id) return 'owner';
	return isMember ? 'member' : null;
}

/** Members start pilots; visitors only read public ones. */
export function canStartPilot(actor: Actor | null | undefined): actor is SessionUser {
	return isPerson(actor);
}

/**
 * Who may read a pilot: anyone when public, any signed-in member when for members, and only
 * its team when for the team. Curators and administrators get no way in to a team's log.
 */
export function canSeePilot(
	actor: Actor | null | undefined,
	pilot: PilotAccess,
	role: PilotRole
): boolean {
	if (pilot.visibility === 'public') return true;
	if (!isPerson(actor)) return false;
	if (pilot.visibility === 'members') return true;
	return role !== null;
}

/** The team (owner and members) adds and edits entries. */
export function canWriteEntries(
	actor: Actor | null | undefined,
	role: PilotRole
): actor is SessionUser {
	return isPerson(actor) && role !== null;
}

/** Only the owner changes the pilot's details, its team and who may read it. */
export function canManagePilot(
	actor: Actor | null | undefined,
	pilot: Pick<PilotAccess, 'owner_id'>
): actor is SessionUser {
	return isPerson(actor) && pilot.owner_id !== null && pilot.owner_id === actor.id;
}

/** Signed-in people who may read a pilot may follow it. */
export function canFollowPilot(
	actor: Actor | null | undefined,
	pilot: PilotAccess,
	role: PilotRole
): actor is SessionUser {
	return isPerson(actor) && canSeePilot(actor, pilot, role);
}

/** A team member may leave the team; the owner removes anyone from it. */
export function canRemoveFromTeam(
	actor: Actor | null | undefined,
	pilot: Pick<PilotAccess, 'owner_id'>,
	userId: string
): actor is SessionUser {
	return canManagePilot(actor, pilot) || (isPerson(actor) && actor.id === userId);
}
