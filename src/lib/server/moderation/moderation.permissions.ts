import { isAdministrator, isPerson, type Actor } from '../auth/auth.permissions';
import type { SessionUser } from '../auth/auth.types';

/** Curators (and administrators) look after the whole site. */
export function isCurator(actor: Actor | null | undefined): actor is SessionUser {
	return isPerson(actor) && (actor.role === 'curator' || isAdministrator(actor));
}

/** Anyone signed in may report a post, a comment or a video. */
export function canReport(actor: Actor | null | undefined): actor is SessionUser {
	return isPerson(actor);
}

/** Curators work the moderation queue: hide, restore, dismiss, warn, suspend. */
export function canModerate(actor: Actor | null | undefined): actor is SessionUser {
	return isCurator(actor);
}
