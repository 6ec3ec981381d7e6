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

/** How a closed round is described: closed early on a day, or at the end of its last day. */
export function closedText(round: { closesAt: string; closedAt: string | null }): string {
	return round.closedAt
		? `This round was closed on ${formatDate(round.closedAt, app().config.timeZone)}, so it no longer takes answers.`
		: `This round closed at the end of ${lastDayText(round.closesAt)}, so it no longer takes answers.`;
}

/**
 * Starting a set of answers through the shared link without an account, per internet address:
 * enough for a workshop answering on one venue's wifi, too few to stuff a round with made-up
 * answers (and owners can keep the link to members).
 */
export const START_RATE_LIMIT = { limit: 60, windowSeconds: 60 * 60 };

export function throttleStart(db: Kysely<DB>, ip: string): Promise<RateLimitResult> {
	return consumeRateLimit(db, rateLimitKey('assessment-start', 'ip', ip), START_RATE_LIMIT);
}
