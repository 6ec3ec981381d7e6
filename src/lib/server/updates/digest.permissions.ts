import { isAdministrator, type Actor } from '../auth/auth.permissions';

/** Only administrators choose when the weekly digest goes out, or send it early. */
export function canManageDigest(actor: Actor | null | undefined): boolean {
	return isAdministrator(actor);
}
