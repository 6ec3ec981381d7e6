import type { Actor } from '../auth/auth.permissions';

// Who may use the administration screens. Site-wide roles only: an organisation's admins
// manage their organisation, never the site. The command line (a system actor) is trusted.

function isSiteAdministrator(actor: Actor | null | undefined): boolean {
	if (!actor) return false;
	if ('system' in actor) return actor.system;
	return actor.role === 'administrator';
}

/** Opening /admin and the pages under it. */
export function canSeeAdminPages(actor: Actor | null | undefined): boolean {
	return isSiteAdministrator(actor);
}

/** Reading the audit log, which names who did what to whom. */
export function canReadAuditLog(actor: Actor | null | undefined): boolean {
	return isSiteAdministrator(actor);
}

/** Seeing mail that failed to send (addresses and subjects) and sending it again. */
export function canManageMail(actor: Actor | null | undefined): boolean {
	return isSiteAdministrator(actor);
}

/** Changing how people can contact the people who run this CoLab. */
export function canChangeContactDetails(actor: Actor | null | undefined): boolean {
	return isSiteAdministrator(actor);
}
