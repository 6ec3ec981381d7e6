import { error, type RequestEvent } from '@sveltejs/kit';
import { requireUser } from '../auth/auth.http';
import type { SessionUser } from '../auth/auth.types';
import { canSeeAdminPages } from './admin.permissions';

/**
 * The guard for every page and action under /admin: visitors are sent to sign in (and brought
 * back), signed-in people who are not administrators get a 403 page. (The /admin layout also
 * marks the pages private, no-store; a header may only be set once per response.)
 */
export function requireAdministrator(event: RequestEvent): SessionUser {
	const user = requireUser(event);
	if (!canSeeAdminPages(user)) error(403, 'Only administrators can see this page.');
	return user;
}

/** "26 Nov 2026, 08:30" in the site's time zone. */
export function dateTimeFormatter(timeZone: string): (iso: string) => string {
	const format = new Intl.DateTimeFormat('en-GB', {
		dateStyle: 'medium',
		timeStyle: 'short',
		timeZone
	});
	return (iso) => format.format(new Date(iso));
}
