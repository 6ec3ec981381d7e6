import { ForbiddenError } from '../refusals';
import type { SessionUser } from './auth.types';

/** Work done from the command line by whoever runs the server (already trusted). */
export interface SystemActor {
	system: true;
}
export const SYSTEM_ACTOR: SystemActor = { system: true };

/** Whoever is acting: a signed-in person or the command line. */
export type Actor = SessionUser | SystemActor;

/** Whether the actor is a signed-in person (not the command line, not a visitor). */
export function isPerson(actor: Actor | null | undefined): actor is SessionUser {
	return !!actor && 'id' in actor;
}

function isSystem(actor: Actor | null | undefined): actor is SystemActor {
	return !!actor && 'system' in actor && actor.system;
}

export function isAdministrator(actor: Actor | null | undefined): boolean {
	return isSystem(actor) || (!!actor && 'role' in actor && actor.role === 'administrator');
}

/** Only administrators (and the command line) change people's roles. */
export function canChangeRoles(actor: Actor | null | undefined): boolean {
	return isAdministrator(actor);
}

/** Only administrators (and the command line) create accounts for other people. */
export function canCreateUsers(actor: Actor | null | undefined): boolean {
	return isAdministrator(actor);
}

/** A signed-in person manages their own account: email, password, sessions. */
export function canManageOwnAccount(actor: Actor | null | undefined, userId: string): boolean {
	return !!actor && !isSystem(actor) && 'id' in actor && actor.id === userId;
}

/** The first line of every use case that needs a permission. */
export function assertCan(allowed: boolean, message?: string): asserts allowed {
	if (!allowed) throw new ForbiddenError(message);
}
