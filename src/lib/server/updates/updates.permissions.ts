import { isAdministrator, isPerson, type Actor } from '../auth/auth.permissions';
import type { SessionUser } from '../auth/auth.types';

/**
 * Who may change a subscription. Visitors prove an address by its emailed links (checked by
 * the token itself); members manage the subscription of their own account's address only.
 */
export function canManageSubscriptionOf(
	actor: Actor | null | undefined,
	email: string
): actor is SessionUser {
	return isPerson(actor) && actor.email.trim().toLowerCase() === email.trim().toLowerCase();
}

/**
 * Choosing topics from the account needs a confirmed address: it starts mail at once, without
 * the double opt-in a visitor goes through.
 */
export function canSubscribeFromAccount(actor: Actor | null | undefined): actor is SessionUser {
	return isPerson(actor) && actor.emailVerified;
}

/** Only administrators put an address on the suppression list as blocked. */
export function canBlockAddresses(actor: Actor | null | undefined): boolean {
	return isAdministrator(actor);
}

/** Only administrators import a list of subscribers (it starts mail without a double opt-in). */
export function canImportSubscribers(actor: Actor | null | undefined): boolean {
	return isAdministrator(actor);
}

/** Only administrators download the list of subscribers (everyone's address). */
export function canExportSubscribers(actor: Actor | null | undefined): boolean {
	return isAdministrator(actor);
}
