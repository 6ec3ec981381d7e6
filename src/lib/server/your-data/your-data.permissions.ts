import type { Actor } from '../auth/auth.permissions';

// Your data is yours: only you download it and only you delete your account. Not site
// administrators, and not the command line (whoever runs the server has the database anyway).

function isThisPerson(actor: Actor | null | undefined, userId: string): boolean {
	return !!actor && !('system' in actor) && actor.id === userId;
}

/** Downloading everything CoLab holds about a person. */
export function canDownloadPersonalData(actor: Actor | null | undefined, userId: string): boolean {
	return isThisPerson(actor, userId);
}

/** Deleting a person's account and personal data. */
export function canDeleteAccount(actor: Actor | null | undefined, userId: string): boolean {
	return isThisPerson(actor, userId);
}
