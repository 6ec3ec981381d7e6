import { isPerson, type Actor } from '../auth/auth.permissions';

/** Only the member themselves edits their profile and chooses what it shows. */
export function canEditProfile(actor: Actor | null | undefined, userId: string): boolean {
	return isPerson(actor) && actor.id === userId;
}

/**
 * A member's email address is shown only when they chose it, and then only to signed-in
 * members: never to visitors, so it never reaches a cached public page or a scraper.
 */
export function canSeeProfileEmail(
	viewer: Actor | null | undefined,
	profile: { show_email: number } | null | undefined
): boolean {
	return isPerson(viewer) && profile?.show_email === 1;
}
