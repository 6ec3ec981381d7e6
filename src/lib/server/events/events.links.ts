import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The links in registration emails. A registration's link is its id with a signature made from
 * the instance's secret, so every email (confirmation, offer, reminder) can carry the same link
 * without storing it, and nobody can make one for someone else's registration.
 */
export interface EventsSite {
	siteName: string;
	/** Public address, e.g. https://colab.example.org (no trailing slash). */
	origin: string;
	/** IANA time zone the instance shows times in, e.g. Europe/London. */
	timeZone: string;
	/** Signs registration links (derived from the instance's auth secret). */
	linkSecret: string;
}

function signature(secret: string, registrationId: string): string {
	return createHmac('sha256', secret)
		.update(`colab.event-registration:${registrationId}`)
		.digest('base64url')
		.slice(0, 32);
}

/** The token in a registration's link: `<id>.<signature>`. */
export function registrationToken(secret: string, registrationId: string): string {
	return `${registrationId}.${signature(secret, registrationId)}`;
}

/** The registration id a token names, or undefined when the token is not one of ours. */
export function readRegistrationToken(secret: string, token: string): string | undefined {
	const [id, mac, extra] = token.split('.');
	if (!id || !mac || extra !== undefined || id.length > 64) return undefined;
	const expected = Buffer.from(signature(secret, id));
	const given = Buffer.from(mac);
	if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
	return id;
}

export function absoluteUrl(site: { origin: string }, path: string): string {
	return new URL(path, site.origin + '/').toString();
}

export function eventPath(eventId: string): string {
	return `/events/${eventId}`;
}

/** The page where someone confirms, claims or cancels their place. */
export function registrationPath(secret: string, registrationId: string): string {
	return `/events/places/${registrationToken(secret, registrationId)}`;
}
