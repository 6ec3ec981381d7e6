import { isAdministrator, isPerson, type Actor } from '../auth/auth.permissions';
import type { SessionUser } from '../auth/auth.types';

/** Curators (and administrators) write, preview, test and send announcements. */
export function canSendAnnouncements(actor: Actor | null | undefined): actor is SessionUser {
	return isAdministrator(actor) || (isPerson(actor) && actor.role === 'curator');
}
