import { isPerson, type Actor } from '../auth/auth.permissions';

/** Only the member a notification is for sees it, marks it read or changes their choices. */
export function canManageNotificationsOf(
	actor: Actor | null | undefined,
	recipientId: string
): boolean {
	return isPerson(actor) && actor.id === recipientId;
}
