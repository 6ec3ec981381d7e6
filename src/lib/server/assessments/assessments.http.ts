import type { Kysely } from 'kysely';
import { app } from '../app';
import type { DB } from '../db/schema';
import { formatDate, utcToLocal } from '../events/event-time';
import {
	consumeRateLimit,
	rateLimitKey,
	type RateLimitResult
} from '../rate-limit/rate-limit.service';
import type { AssessmentsSite } from './assessments.mails';

/** The site as assessment services need it, from the running app's settings. */
export function assessmentsSite(): AssessmentsSite {
	const { config } = app();
	return { siteName: config.siteName, origin: config.origin, timeZone: config.timeZone };
}

/** Today's date where the site is, as 'YYYY-MM-DD' (the earliest closing date). */
export function todayHere(now = new Date()): string {
	return utcToLocal(now.toISOString(), app().config.timeZone).date;
}

/**
 * The last day a round takes answers, in words. Rounds close at the start of the next day, so
 * the day shown is the one just before that moment.
 */
export function lastDayText(closesAt: string): string {
	const justBefore = new Date(new Date(closesAt).getTime() - 1).toISOString();
	return formatDate(justBefore, app().config.timeZone);
}

/**
 * Starting a set of answers, per address: enough for a family or a drop-in session sharing one
 * connection, too few to stuff a round with made-up answers.
 */
export const START_RATE_LIMIT = { limit: 30, windowSeconds: 60 * 60 };

export function throttleStart(db: Kysely<DB>, ip: string): Promise<RateLimitResult> {
	return consumeRateLimit(db, rateLimitKey('assessment-start', 'ip', ip), START_RATE_LIMIT);
}
