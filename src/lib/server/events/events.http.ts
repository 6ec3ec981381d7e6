import type { Kysely } from 'kysely';
import { app } from '../app';
import type { DB } from '../db/schema';
import {
	consumeRateLimits,
	rateLimitKey,
	type RateLimitResult
} from '../rate-limit/rate-limit.service';
import { authSecret } from '../auth/auth';
import type { EventsSite } from './events.links';

/** The site as event services need it, from the running app's settings. */
export function eventsSite(): EventsSite {
	const { config } = app();
	return {
		siteName: config.siteName,
		origin: config.origin,
		timeZone: config.timeZone,
		linkSecret: authSecret()
	};
}

/** Registering sends email, so it is limited per address and per person (shared by instances). */
export const REGISTRATION_RATE_LIMITS = {
	ip: { limit: 30, windowSeconds: 60 * 60 },
	email: { limit: 10, windowSeconds: 60 * 60 }
};

export async function throttleRegistration(
	db: Kysely<DB>,
	ip: string,
	email: string
): Promise<RateLimitResult> {
	const checks = [
		{ key: rateLimitKey('event-register', 'ip', ip), rule: REGISTRATION_RATE_LIMITS.ip }
	];
	if (email) {
		checks.push({
			key: rateLimitKey('event-register', 'email', email),
			rule: REGISTRATION_RATE_LIMITS.email
		});
	}
	return consumeRateLimits(db, checks);
}
