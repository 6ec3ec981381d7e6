import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface ScrapeSettings {
	/** METRICS_TOKEN: when set, the only way in. */
	token: string | undefined;
	/** TRUSTED_PROXIES: above zero, a proxy stands in front, so loopback says nothing. */
	trustedProxies: number;
}

export interface ScrapeRequest {
	/** The TCP peer's address (`req.socket.remoteAddress`), never a header's word for it. */
	socketAddress: string | undefined;
	headers: IncomingHttpHeaders;
}

export interface ScrapeRefusal {
	status: 403 | 404;
	message: string;
}

/**
 * Headers a proxy adds when it passes a request on. Any of them on a loopback connection means
 * the request may have come from anywhere, so loopback alone is not enough.
 */
const FORWARDING_HEADERS = [
	'forwarded',
	'x-forwarded-for',
	'x-forwarded-host',
	'x-forwarded-proto',
	'x-real-ip',
	'via'
];

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 (::ffff:127.0.0.1). */
export function isLoopbackAddress(address: string | undefined): boolean {
	if (!address) return false;
	const v4 = address.toLowerCase().startsWith('::ffff:') ? address.slice(7) : address;
	return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4) || address === '::1';
}

/** Host names that mean "this machine": a scraper on it uses one of these in its target. */
function isLoopbackHost(host: string | undefined): boolean {
	if (!host) return false;
	const name = host
		.toLowerCase()
		.replace(/:\d+$/, '')
		.replace(/^\[(.*)\]$/, '$1');
	return name === 'localhost' || name === '::1' || isLoopbackAddress(name);
}

/** The token from `Authorization: Bearer <token>`, or undefined. */
function bearerToken(authorization: string | undefined): string | undefined {
	const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? '');
	return match?.[1];
}

/** Compares without an early exit, so response times reveal nothing of the token. */
function sameSecret(given: string, expected: string): boolean {
	const digest = (value: string) => createHash('sha256').update(value).digest();
	return timingSafeEqual(digest(given), digest(expected));
}

/**
 * Why a scrape of /metrics is refused, or undefined to serve it.
 *
 * - With METRICS_TOKEN set: only `Authorization: Bearer <token>` (403 otherwise), from anywhere.
 * - Without it: only a request from this machine that no proxy passed on. The TCP peer must be
 *   a loopback address, TRUSTED_PROXIES must be 0, no forwarding header may be present and the
 *   Host must name the loopback. A reverse proxy on the same machine connects from 127.0.0.1
 *   too, which is why each of the other checks is there; a proxy that adds none of those headers
 *   and rewrites Host to 127.0.0.1 would still get through, so the README asks for a token
 *   whenever a proxy runs on the same machine. Refused with 404, as if metrics were off.
 */
export function refuseScrape(
	settings: ScrapeSettings,
	request: ScrapeRequest
): ScrapeRefusal | undefined {
	if (settings.token !== undefined) {
		const given = bearerToken(request.headers.authorization);
		if (given !== undefined && sameSecret(given, settings.token)) return undefined;
		return { status: 403, message: 'Metrics need the bearer token set in METRICS_TOKEN.\n' };
	}
	const local =
		settings.trustedProxies === 0 &&
		isLoopbackAddress(request.socketAddress) &&
		FORWARDING_HEADERS.every((name) => request.headers[name] === undefined) &&
		isLoopbackHost(request.headers.host);
	return local ? undefined : { status: 404, message: 'Not found.\n' };
}
