import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { countAttempt, deleteRateLimitsBefore } from './rate-limit.repository';

export interface RateLimitRule {
	/** Attempts allowed in one window. */
	limit: number;
	windowSeconds: number;
}

export type RateLimitResult = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * Counts one attempt against `key` and says whether it is allowed. Fixed windows, stored in the
 * database so every app instance shares them. A refused attempt still counts, so hammering does
 * not shorten the wait.
 */
export async function consumeRateLimit(
	db: Kysely<DB>,
	key: string,
	rule: RateLimitRule,
	now: Date = new Date()
): Promise<RateLimitResult> {
	const { count, windowStartedAt } = await countAttempt(db, key, now, rule.windowSeconds);
	if (count <= rule.limit) return { ok: true };
	const endsAt = new Date(windowStartedAt).getTime() + rule.windowSeconds * 1000;
	return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((endsAt - now.getTime()) / 1000)) };
}

/**
 * Counts one attempt against each key (e.g. the client's address and the email typed) and
 * refuses when any of them is over its limit, with the longest wait.
 */
export async function consumeRateLimits(
	db: Kysely<DB>,
	checks: Array<{ key: string; rule: RateLimitRule }>,
	now: Date = new Date()
): Promise<RateLimitResult> {
	let wait = 0;
	for (const { key, rule } of checks) {
		const result = await consumeRateLimit(db, key, rule, now);
		if (!result.ok) wait = Math.max(wait, result.retryAfterSeconds);
	}
	return wait > 0 ? { ok: false, retryAfterSeconds: wait } : { ok: true };
}

/**
 * A rate-limit key for an action and one identifying value. Emails are hashed, so the table
 * holds no personal data; addresses are kept as they are (they expire with their window).
 */
export function rateLimitKey(action: string, kind: 'ip' | 'email', value: string): string {
	const part =
		kind === 'email'
			? createHash('sha256').update(value.trim().toLowerCase()).digest('base64url').slice(0, 22)
			: value;
	return `${action}:${kind}:${part}`;
}

/** "1 minute", "5 minutes", "1 hour"…: how long to wait, in words a person reads easily. */
export function describeWait(seconds: number): string {
	if (seconds < 60) return seconds === 1 ? '1 second' : `${seconds} seconds`;
	const minutes = Math.ceil(seconds / 60);
	if (minutes < 60) return minutes === 1 ? '1 minute' : `${minutes} minutes`;
	const hours = Math.ceil(minutes / 60);
	return hours === 1 ? '1 hour' : `${hours} hours`;
}

/** Removes windows that ended more than a day ago (run from time to time). */
export async function pruneRateLimits(db: Kysely<DB>, now: Date = new Date()): Promise<number> {
	return deleteRateLimitsBefore(db, new Date(now.getTime() - 24 * 60 * 60 * 1000));
}
