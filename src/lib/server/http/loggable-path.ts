/**
 * Addresses whose next segment is a secret: a private code or an emailed link's token. Whoever
 * holds it can act as the person it was given to, so it never goes into a log.
 */
const SECRET_AFTER = [
	'/assessments/respond/',
	'/assessments/answer/invitation/',
	'/assessments/answer/',
	'/events/places/',
	'/enquiries/invitations/',
	'/organisations/invites/',
	'/updates/confirm/',
	'/updates/preferences/',
	'/updates/unsubscribe/'
];

/** The path to write in a log line, with any secret segment replaced by "…". */
export function loggablePath(pathname: string): string {
	for (const prefix of SECRET_AFTER) {
		if (!pathname.startsWith(prefix)) continue;
		const rest = pathname.slice(prefix.length);
		const slash = rest.indexOf('/');
		return `${prefix}…${slash === -1 ? '' : rest.slice(slash)}`;
	}
	return pathname;
}
