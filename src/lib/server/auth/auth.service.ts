import { isAPIError } from 'better-auth/api';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { enqueueMail } from '../mail/outbox';
import {
	consumeRateLimits,
	rateLimitKey,
	type RateLimitRule
} from '../rate-limit/rate-limit.service';
import { CLIENT_IP_HEADER, type Auth } from './auth';
import { emailChangeRequestedMail, passwordChangedMail, type MailSite } from './auth.mails';
import { canManageOwnAccount, assertCan } from './auth.permissions';
import { AUTH_RATE_LIMITS } from './auth.rate-limits';
import { inAccountChange } from './auth.transaction';
import { resetLinkIdentifier } from './link-tokens';
import type { SessionCache } from './session-cache';
import {
	findSignInLinkEmail,
	findUserByEmail,
	findUserById,
	hasPassword,
	listActiveSessions,
	type SessionSummary
} from './auth.repository';
import type {
	ChangeEmailInput,
	ChangePasswordInput,
	EmailOnlyInput,
	ResetPasswordInput,
	SetPasswordInput,
	SignInInput,
	SignUpInput
} from './auth.schema';
import { ROLES, type Role, type SessionUser } from './auth.types';

/** What the account use cases need: better-auth, our database, and the site for emails. */
export interface AccountsContext {
	auth: Auth;
	db: Kysely<DB>;
	site: MailSite;
}

/** The request as the use cases see it: its headers (with the session cookie) and address. */
export interface Client {
	headers: Headers;
	ip: string;
}

export type RateLimited = { ok: false; reason: 'rate-limited'; retryAfterSeconds: number };
type Ok = { ok: true };
const OK: Ok = { ok: true };

/**
 * Answers that must not reveal whether an email is registered take at least this long, so
 * the work done for a known address (a token, an email) cannot be timed.
 */
export const EVEN_ANSWER_MS = 500;

function headersFor(client: Client): Headers {
	const headers = new Headers(client.headers);
	headers.set(CLIENT_IP_HEADER, client.ip);
	return headers;
}

async function evenOut(startedAt: number, minimumMs = EVEN_ANSWER_MS): Promise<void> {
	const remaining = minimumMs - (Date.now() - startedAt);
	if (remaining > 0) await new Promise((resolve) => setTimeout(resolve, remaining));
}

async function throttle(
	db: Kysely<DB>,
	action: string,
	rules: { ip?: RateLimitRule; email?: RateLimitRule; user?: RateLimitRule },
	by: { ip?: string; email?: string; userId?: string }
): Promise<RateLimited | null> {
	const checks: Array<{ key: string; rule: RateLimitRule }> = [];
	if (rules.ip && by.ip) checks.push({ key: rateLimitKey(action, 'ip', by.ip), rule: rules.ip });
	if (rules.email && by.email)
		checks.push({ key: rateLimitKey(action, 'email', by.email), rule: rules.email });
	if (rules.user && by.userId)
		checks.push({ key: `${action}:user:${by.userId}`, rule: rules.user });
	const result = await consumeRateLimits(db, checks);
	return result.ok
		? null
		: { ok: false, reason: 'rate-limited', retryAfterSeconds: result.retryAfterSeconds };
}

function code(error: unknown): string | undefined {
	if (!isAPIError(error)) return undefined;
	const body = error.body as { code?: unknown } | undefined;
	return typeof body?.code === 'string' ? body.code : undefined;
}

/** What the rest of the app sees of a better-auth user. */
export function toSessionUser(user: {
	id: string;
	name: string;
	email: string;
	emailVerified: boolean;
	role?: unknown;
}): SessionUser {
	const role = ROLES.includes(user.role as Role) ? (user.role as Role) : 'member';
	return {
		id: user.id,
		name: user.name,
		email: user.email,
		emailVerified: user.emailVerified,
		role
	};
}

/** The signed-in person for a request's cookies, or null. Refreshes the session when due. */
export async function readSession(
	auth: Auth,
	headers: Headers
): Promise<{ user: SessionUser; sessionId: string } | null> {
	const result = await auth.api.getSession({ headers });
	if (!result) return null;
	return { user: toSessionUser(result.user), sessionId: result.session.id };
}

/**
 * Creates an unconfirmed account and emails a confirmation link. When the address already has
 * an account, its owner gets a "someone tried to sign up" email instead; the answer is the same.
 */
export async function signUp(
	ctx: AccountsContext,
	client: Client,
	input: SignUpInput
): Promise<Ok | RateLimited> {
	const limited = await throttle(ctx.db, 'sign-up', AUTH_RATE_LIMITS.signUp, {
		ip: client.ip,
		email: input.email
	});
	if (limited) return limited;
	const startedAt = Date.now();
	await inAccountChange(ctx.auth, () =>
		ctx.auth.api.signUpEmail({
			body: { name: input.name, email: input.email, password: input.password },
			headers: headersFor(client)
		})
	);
	await evenOut(startedAt);
	return OK;
}

/** Signs in with email and password; the session cookie goes on the response. */
export async function signIn(
	ctx: AccountsContext,
	client: Client,
	input: SignInInput
): Promise<Ok | { ok: false; reason: 'wrong-details' | 'unconfirmed' } | RateLimited> {
	const limited = await throttle(ctx.db, 'sign-in', AUTH_RATE_LIMITS.signIn, {
		ip: client.ip,
		email: input.email
	});
	if (limited) return limited;
	try {
		await ctx.auth.api.signInEmail({
			body: { email: input.email, password: input.password, rememberMe: true },
			headers: headersFor(client)
		});
		return OK;
	} catch (error) {
		// Only someone who knows the password learns the address is unconfirmed (and gets a new link).
		if (code(error) === 'EMAIL_NOT_VERIFIED') return { ok: false, reason: 'unconfirmed' };
		if (isAPIError(error) && error.statusCode === 401)
			return { ok: false, reason: 'wrong-details' };
		throw error;
	}
}

/**
 * Emails a one-time sign-in link to a confirmed account (an unconfirmed one gets a
 * confirmation link instead; an unknown address gets nothing). The answer is always the same.
 */
export async function requestSignInLink(
	ctx: AccountsContext,
	client: Client,
	input: EmailOnlyInput
): Promise<Ok | RateLimited> {
	const limited = await throttle(ctx.db, 'sign-in-link', AUTH_RATE_LIMITS.signInLink, {
		ip: client.ip,
		email: input.email
	});
	if (limited) return limited;
	const startedAt = Date.now();
	await inAccountChange(ctx.auth, () =>
		ctx.auth.api.signInMagicLink({ body: { email: input.email }, headers: headersFor(client) })
	);
	await evenOut(startedAt);
	return OK;
}

/** Signs in with an emailed link. Each link works once, for 15 minutes. */
export async function signInWithLink(
	ctx: AccountsContext,
	client: Client,
	token: string
): Promise<Ok | { ok: false; reason: 'invalid-link' }> {
	const invalid = { ok: false, reason: 'invalid-link' } as const;
	// Never let better-auth act on a link for an unconfirmed account: it would delete the
	// account's password. We only send links to confirmed accounts; this makes sure.
	const email = await findSignInLinkEmail(ctx.db, token);
	if (!email) return invalid;
	const user = await findUserByEmail(ctx.db, email);
	if (!user || !user.email_verified) return invalid;
	try {
		await ctx.auth.api.magicLinkVerify({ query: { token }, headers: headersFor(client) });
		return OK;
	} catch (error) {
		if (isAPIError(error) && error.statusCode === 302) return invalid;
		throw error;
	}
}

/** Emails a password reset link when the address has an account. Always answers the same. */
export async function requestPasswordReset(
	ctx: AccountsContext,
	client: Client,
	input: EmailOnlyInput
): Promise<Ok | RateLimited> {
	const limited = await throttle(ctx.db, 'password-reset', AUTH_RATE_LIMITS.passwordReset, {
		ip: client.ip,
		email: input.email
	});
	if (limited) return limited;
	const startedAt = Date.now();
	await inAccountChange(ctx.auth, () =>
		ctx.auth.api.requestPasswordReset({ body: { email: input.email } })
	);
	await evenOut(startedAt);
	return OK;
}

/** Whether a password reset link can still be used (so the page can say so before asking). */
export async function isResetLinkUsable(db: Kysely<DB>, token: string): Promise<boolean> {
	const row = await db
		.selectFrom('auth_verification')
		.select('expires_at')
		.where('identifier', '=', resetLinkIdentifier(token))
		.executeTakeFirst();
	return !!row && new Date(row.expires_at).getTime() > Date.now();
}

/**
 * Sets a new password from a reset link, signs the person out everywhere else and then signs
 * them in here. Confirms their address too: the link proved they receive its mail.
 */
export async function resetPassword(
	ctx: AccountsContext,
	client: Client,
	input: ResetPasswordInput
): Promise<Ok | { ok: false; reason: 'invalid-link' }> {
	const row = await ctx.db
		.selectFrom('auth_verification')
		.select('value')
		.where('identifier', '=', resetLinkIdentifier(input.token))
		.executeTakeFirst();
	try {
		await inAccountChange(ctx.auth, () =>
			ctx.auth.api.resetPassword({ body: { newPassword: input.password, token: input.token } })
		);
	} catch (error) {
		if (code(error) === 'INVALID_TOKEN' || code(error) === 'USER_NOT_FOUND')
			return { ok: false, reason: 'invalid-link' };
		throw error;
	}
	const user = row ? await findUserById(ctx.db, row.value) : undefined;
	if (user) {
		await ctx.auth.api.signInEmail({
			body: { email: user.email, password: input.password, rememberMe: true },
			headers: headersFor(client)
		});
	}
	return OK;
}

export type VerifyEmailResult =
	| { ok: true; signedIn: boolean; emailChanged: boolean }
	| { ok: false; reason: 'expired' | 'invalid-link' };

/** Confirms an address from an emailed link; a new account is signed in at once. */
export async function verifyEmail(
	ctx: AccountsContext,
	client: Client,
	token: string
): Promise<VerifyEmailResult> {
	try {
		const { headers, response } = await ctx.auth.api.verifyEmail({
			query: { token },
			headers: headersFor(client),
			returnHeaders: true
		});
		const signedIn = headers
			.getSetCookie()
			.some((cookie) => /session_token=[^;]/.test(cookie) && !/max-age=0/i.test(cookie));
		const changed = (response as { user?: unknown } | null)?.user;
		return { ok: true, signedIn, emailChanged: !!changed };
	} catch (error) {
		if (code(error) === 'TOKEN_EXPIRED') return { ok: false, reason: 'expired' };
		if (isAPIError(error) && error.statusCode < 500) return { ok: false, reason: 'invalid-link' };
		if (error instanceof Error && error.name === 'ZodError')
			return { ok: false, reason: 'invalid-link' };
		throw error;
	}
}

/** Sends a new confirmation link to an unconfirmed account. Always answers the same. */
export async function resendConfirmation(
	ctx: AccountsContext,
	client: Client,
	input: EmailOnlyInput
): Promise<Ok | RateLimited> {
	const limited = await throttle(
		ctx.db,
		'resend-confirmation',
		AUTH_RATE_LIMITS.resendVerification,
		{ ip: client.ip, email: input.email }
	);
	if (limited) return limited;
	// No session headers: better-auth then answers the same for every address (in ≥ 500 ms).
	await ctx.auth.api.sendVerificationEmail({ body: { email: input.email } });
	return OK;
}

async function checkCurrentPassword(
	ctx: AccountsContext,
	userId: string,
	password: string | undefined
): Promise<'ok' | 'wrong' | RateLimited> {
	const limited = await throttle(ctx.db, 'password-check', AUTH_RATE_LIMITS.passwordCheck, {
		userId
	});
	if (limited) return limited;
	const account = await ctx.db
		.selectFrom('auth_account')
		.select('password')
		.where('user_id', '=', userId)
		.where('provider_id', '=', 'credential')
		.executeTakeFirst();
	if (!account?.password) return 'ok';
	if (!password) return 'wrong';
	const context = await ctx.auth.$context;
	return (await context.password.verify({ hash: account.password, password })) ? 'ok' : 'wrong';
}

/**
 * Starts a change of email: a link goes to the new address, and the change happens only when
 * it is used. The current address is told. Asks for the password when the account has one.
 */
export async function changeEmail(
	ctx: AccountsContext,
	client: Client,
	actor: SessionUser,
	input: ChangeEmailInput
): Promise<Ok | { ok: false; reason: 'same-email' | 'wrong-password' } | RateLimited> {
	assertCan(canManageOwnAccount(actor, actor.id));
	if (input.newEmail === actor.email.toLowerCase()) return { ok: false, reason: 'same-email' };
	const check = await checkCurrentPassword(ctx, actor.id, input.currentPassword);
	if (check === 'wrong') return { ok: false, reason: 'wrong-password' };
	if (check !== 'ok') return check;
	await inAccountChange(ctx.auth, async (trx) => {
		await ctx.auth.api.changeEmail({
			body: { newEmail: input.newEmail },
			headers: headersFor(client)
		});
		await enqueueMail(trx, emailChangeRequestedMail(ctx.site, actor, input.newEmail));
	});
	return OK;
}

/** Changes the password and signs out every other device. */
export async function changePassword(
	ctx: AccountsContext,
	client: Client,
	actor: SessionUser,
	input: ChangePasswordInput
): Promise<Ok | { ok: false; reason: 'wrong-password' } | RateLimited> {
	assertCan(canManageOwnAccount(actor, actor.id));
	const limited = await throttle(ctx.db, 'password-check', AUTH_RATE_LIMITS.passwordCheck, {
		userId: actor.id
	});
	if (limited) return limited;
	try {
		await inAccountChange(ctx.auth, async (trx) => {
			await ctx.auth.api.changePassword({
				body: {
					currentPassword: input.currentPassword,
					newPassword: input.newPassword,
					revokeOtherSessions: true
				},
				headers: headersFor(client)
			});
			await enqueueMail(trx, passwordChangedMail(ctx.site, actor));
		});
	} catch (error) {
		if (code(error) === 'INVALID_PASSWORD') return { ok: false, reason: 'wrong-password' };
		throw error;
	}
	return OK;
}

/** Gives a password to an account that signs in by emailed link only. */
export async function setPassword(
	ctx: AccountsContext,
	client: Client,
	actor: SessionUser,
	input: SetPasswordInput
): Promise<Ok | { ok: false; reason: 'already-set' }> {
	assertCan(canManageOwnAccount(actor, actor.id));
	try {
		await inAccountChange(ctx.auth, async (trx) => {
			await ctx.auth.api.setPassword({
				body: { newPassword: input.newPassword },
				headers: headersFor(client)
			});
			await enqueueMail(trx, passwordChangedMail(ctx.site, actor));
		});
	} catch (error) {
		if (code(error) === 'PASSWORD_ALREADY_SET') return { ok: false, reason: 'already-set' };
		throw error;
	}
	return OK;
}

/** Whether the person can sign in with a password; `cache` (page views) may answer instead. */
export async function accountHasPassword(
	db: Kysely<DB>,
	userId: string,
	cache?: SessionCache
): Promise<boolean> {
	if (!cache) return hasPassword(db, userId);
	const load = async () => ({ userId, value: await hasPassword(db, userId) });
	return (await cache.read(`password:${userId}`, load)) ?? false;
}

/** Signs out of this browser. Harmless when already signed out. */
export async function signOut(ctx: AccountsContext, client: Client): Promise<void> {
	try {
		await ctx.auth.api.signOut({ headers: headersFor(client) });
	} catch (error) {
		if (!isAPIError(error)) throw error;
	}
}

/** Ends every session of the signed-in person, this one included. */
export async function signOutEverywhere(
	ctx: AccountsContext,
	client: Client,
	actor: SessionUser
): Promise<void> {
	assertCan(canManageOwnAccount(actor, actor.id));
	await ctx.auth.api.revokeSessions({ headers: headersFor(client) });
	// Clears this browser's cookie as well.
	await signOut(ctx, client);
}

/** Ends every session of the signed-in person except this one. */
export async function signOutOtherDevices(
	ctx: AccountsContext,
	client: Client,
	actor: SessionUser
): Promise<void> {
	assertCan(canManageOwnAccount(actor, actor.id));
	await ctx.auth.api.revokeOtherSessions({ headers: headersFor(client) });
}

/** The signed-in person's active sessions, newest first. */
export async function listMySessions(
	db: Kysely<DB>,
	actor: SessionUser
): Promise<SessionSummary[]> {
	assertCan(canManageOwnAccount(actor, actor.id));
	return listActiveSessions(db, actor.id);
}
