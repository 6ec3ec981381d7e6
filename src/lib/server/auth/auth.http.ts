import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { app } from '../app';
import type { FieldErrors, FormValues } from '../forms';
import { describeWait } from '../rate-limit/rate-limit.service';
import { getAuth } from './auth';
import type { AccountsContext, Client } from './auth.service';
import type { SessionUser } from './auth.types';

/**
 * Small pieces the account routes share, so each route stays a few lines: the use cases'
 * context, the client as they see it, the "too many attempts" answer and the sign-in guard.
 */
export function accounts(): AccountsContext {
	const { config, database } = app();
	return {
		auth: getAuth(),
		db: database.db,
		site: { siteName: config.siteName, origin: config.origin }
	};
}

export function clientOf(event: RequestEvent): Client {
	return { headers: event.request.headers, ip: event.getClientAddress() };
}

/** "Try again in 12 minutes (after 10:42)." in the site's time zone. */
export function tryAgainMessage(retryAfterSeconds: number, now = new Date()): string {
	const at = new Date(now.getTime() + retryAfterSeconds * 1000);
	const time = new Intl.DateTimeFormat('en-GB', {
		hour: '2-digit',
		minute: '2-digit',
		timeZone: app().config.timeZone
	}).format(at);
	return `Too many attempts. Please wait ${describeWait(retryAfterSeconds)} and try again (after ${time}).`;
}

/** 429 with Retry-After, the form refilled and a plain message saying when to try again. */
export function tooManyAttempts(
	event: RequestEvent,
	values: FormValues,
	retryAfterSeconds: number
) {
	event.setHeaders({ 'retry-after': String(retryAfterSeconds) });
	const errors: FieldErrors = { form: tryAgainMessage(retryAfterSeconds) };
	return fail(429, { values, errors, retryAfterSeconds });
}

/** The signed-in person, or a redirect to sign in that comes back here afterwards. */
export function requireUser(event: RequestEvent): SessionUser {
	const user = event.locals.user;
	if (!user) {
		const next = event.url.pathname + event.url.search;
		redirect(303, `/sign-in?next=${encodeURIComponent(next)}`);
	}
	return user;
}

/** Pages that carry one-time tokens must never be kept by a cache or a browser. */
export function noStore(event: RequestEvent): void {
	event.setHeaders({ 'cache-control': 'no-store' });
}
