import { randomBytes } from 'node:crypto';
import type { RequestEvent } from '@sveltejs/kit';
import { betterAuth, type BetterAuthPlugin } from 'better-auth';
import { createAuthMiddleware, createEmailVerificationToken } from 'better-auth/api';
import { parseSetCookieHeader, toCookieOptions } from 'better-auth/cookies';
import { magicLink } from 'better-auth/plugins/magic-link';
import type { Kysely } from 'kysely';
import type { Config } from '../config';
import type { Database } from '../db/database';
import type { DB } from '../db/schema';
import { newId } from '../ids';
import { logger } from '../logger';
import { enqueueMail } from '../mail/outbox';
import { insertSettingIfAbsent } from '../settings/settings.repository';
import {
	LINK_LIFETIMES,
	confirmNewEmailMail,
	existingAccountMail,
	passwordChangedMail,
	resetPasswordMail,
	signInLinkMail,
	verifyEmailMail,
	type MailSite
} from './auth.mails';
import { findUserByEmail, markEmailVerified } from './auth.repository';
import { accountChangeStep } from './auth.transaction';
import { storeVerificationIdentifier } from './link-tokens';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './auth.schema';

/** Header carrying the client's address into better-auth (set by us, never by the client). */
export const CLIENT_IP_HEADER = 'x-colab-client-ip';

const SECRET_SETTING = 'auth.secret';

export interface CreateAuthOptions {
	config: Config;
	database: Database;
	secret: string;
	/**
	 * SvelteKit's `getRequestEvent`, to write the cookies better-auth sets on the current
	 * response. Only the SvelteKit server passes it; the CLI and specs leave it out.
	 */
	withSvelteKitCookies?: () => RequestEvent;
}

/**
 * The secret that signs session cookies and email tokens: AUTH_SECRET when set, otherwise one
 * generated on first start and kept in instance_setting, so every instance on one database
 * signs with the same key.
 */
export async function resolveAuthSecret(db: Kysely<DB>, config: Config): Promise<string> {
	if (config.authSecret) return config.authSecret;
	return insertSettingIfAbsent(db, SECRET_SETTING, randomBytes(32).toString('base64url'));
}

/** Reads the payload of a JWT we signed ourselves (already verified by better-auth). */
function tokenPayload(token: string): Record<string, unknown> {
	try {
		const part = token.split('.')[1] ?? '';
		return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
	} catch {
		return {};
	}
}

/**
 * Copies the cookies better-auth sets during a direct `auth.api.*` call onto SvelteKit's
 * response (like better-auth's own sveltekitCookies plugin, but tolerant of calls outside a
 * request and explicit about `secure`, so SvelteKit's default does not add it on plain http).
 */
function svelteKitCookies(getEvent: () => RequestEvent): BetterAuthPlugin {
	return {
		id: 'colab-sveltekit-cookies',
		hooks: {
			after: [
				{
					matcher: () => true,
					handler: createAuthMiddleware(async (ctx) => {
						if ('_flag' in ctx && ctx._flag === 'router') return;
						const headers = ctx.context.responseHeaders;
						const setCookie = headers instanceof Headers ? headers.get('set-cookie') : null;
						if (!setCookie) return;
						let event: RequestEvent;
						try {
							event = getEvent();
						} catch {
							return;
						}
						for (const [name, attributes] of parseSetCookieHeader(setCookie)) {
							const options = toCookieOptions(attributes);
							event.cookies.set(name, attributes.value, {
								...options,
								secure: options.secure ?? false,
								httpOnly: options.httpOnly ?? true,
								path: attributes.path || '/'
							});
						}
					})
				}
			]
		}
	};
}

/**
 * Builds CoLab's better-auth instance. Every email it sends goes through the outbox, in the
 * transaction of the change that caused it when the call runs inside `inAccountChange`.
 */
export function createAuth({ config, database, secret, withSvelteKitCookies }: CreateAuthOptions) {
	const db = database.db;
	const site: MailSite = { siteName: config.siteName, origin: config.origin };
	const secure = config.origin.startsWith('https:');

	return betterAuth({
		appName: config.siteName,
		baseURL: config.origin,
		basePath: '/api/auth',
		trustedOrigins: [config.origin],
		secret,
		database: { db: database.authDb, type: database.dialect, transaction: true },
		telemetry: { enabled: false },
		// We throttle in our own form actions (shared through the database); better-auth's limiter
		// only covers its HTTP handler, which CoLab does not mount.
		rateLimit: { enabled: false },
		logger: {
			level: 'warn',
			log: (level, message, ...args) => {
				const detail = args.length ? { detail: args } : {};
				if (level === 'error') logger.error(detail, `auth: ${message}`);
				else if (level === 'warn') logger.warn(detail, `auth: ${message}`);
				else logger.debug(detail, `auth: ${message}`);
			}
		},
		user: {
			modelName: 'app_user',
			fields: { emailVerified: 'email_verified', createdAt: 'created_at', updatedAt: 'updated_at' },
			additionalFields: {
				role: { type: 'string', required: true, defaultValue: 'member', input: false }
			},
			changeEmail: { enabled: true }
		},
		session: {
			modelName: 'auth_session',
			fields: {
				expiresAt: 'expires_at',
				ipAddress: 'ip_address',
				userAgent: 'user_agent',
				userId: 'user_id',
				createdAt: 'created_at',
				updatedAt: 'updated_at'
			},
			expiresIn: 30 * 24 * 60 * 60,
			updateAge: 24 * 60 * 60,
			// Off, so signing out everywhere (or a role change) takes effect on the next request.
			cookieCache: { enabled: false }
		},
		account: {
			modelName: 'auth_account',
			fields: {
				accountId: 'account_id',
				providerId: 'provider_id',
				userId: 'user_id',
				accessToken: 'access_token',
				refreshToken: 'refresh_token',
				idToken: 'id_token',
				accessTokenExpiresAt: 'access_token_expires_at',
				refreshTokenExpiresAt: 'refresh_token_expires_at',
				createdAt: 'created_at',
				updatedAt: 'updated_at'
			}
		},
		verification: {
			modelName: 'auth_verification',
			fields: { expiresAt: 'expires_at', createdAt: 'created_at', updatedAt: 'updated_at' },
			// Reset links' secrets stored as hashes only (see link-tokens.ts).
			storeIdentifier: storeVerificationIdentifier
		},
		emailAndPassword: {
			enabled: true,
			// Also makes a repeated sign-up answer exactly like a new one (no enumeration).
			requireEmailVerification: true,
			autoSignIn: false,
			minPasswordLength: PASSWORD_MIN_LENGTH,
			maxPasswordLength: PASSWORD_MAX_LENGTH,
			resetPasswordTokenExpiresIn: LINK_LIFETIMES.resetPasswordSeconds,
			revokeSessionsOnPasswordReset: true,
			sendResetPassword: async ({ user, token }) => {
				await accountChangeStep(db, (tx) => enqueueMail(tx, resetPasswordMail(site, user, token)));
			},
			onPasswordReset: ({ user }) =>
				accountChangeStep(db, async (tx) => {
					// The reset link proved they own the address.
					if (!user.emailVerified) await markEmailVerified(tx, user.id);
					await enqueueMail(tx, passwordChangedMail(site, user));
				}),
			onExistingUserSignUp: async ({ user }) => {
				const verifyToken = user.emailVerified
					? undefined
					: await createEmailVerificationToken(
							secret,
							user.email,
							undefined,
							LINK_LIFETIMES.verifyEmailSeconds,
							{ userId: user.id }
						);
				await accountChangeStep(db, (tx) =>
					enqueueMail(tx, existingAccountMail(site, user, verifyToken))
				);
			}
		},
		emailVerification: {
			sendOnSignUp: true,
			sendOnSignIn: true,
			autoSignInAfterVerification: true,
			expiresIn: LINK_LIFETIMES.verifyEmailSeconds,
			sendVerificationEmail: ({ user, token }) =>
				accountChangeStep(db, async (tx) => {
					const payload = tokenPayload(token);
					if (payload.requestType === 'change-email-verification') {
						await enqueueMail(tx, confirmNewEmailMail(site, user, user.email, token));
					} else {
						await enqueueMail(tx, verifyEmailMail(site, user, token));
					}
				})
		},
		plugins: [
			magicLink({
				expiresIn: LINK_LIFETIMES.signInLinkSeconds,
				// Stored as a hash: reading the database gives no sign-in link that works.
				storeToken: 'hashed',
				// Links only sign in people who already have an account.
				disableSignUp: true,
				sendMagicLink: ({ email, token }) =>
					accountChangeStep(db, async (tx) => {
						const user = await findUserByEmail(tx, email);
						if (!user) return; // nothing to send; the page says the same either way
						if (user.email_verified) {
							await enqueueMail(tx, signInLinkMail(site, user, token));
							return;
						}
						// A sign-in link for an unconfirmed account would make better-auth delete its
						// password; confirming the address signs them in just as well.
						const verifyToken = await createEmailVerificationToken(
							secret,
							user.email,
							undefined,
							LINK_LIFETIMES.verifyEmailSeconds,
							{ userId: user.id }
						);
						await enqueueMail(tx, verifyEmailMail(site, user, verifyToken));
					})
			}),
			...(withSvelteKitCookies ? [svelteKitCookies(withSvelteKitCookies)] : [])
		],
		advanced: {
			cookiePrefix: 'colab',
			useSecureCookies: secure,
			defaultCookieAttributes: { httpOnly: true, sameSite: 'lax', secure },
			database: { generateId: () => newId() },
			ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] }
		}
	});
}

export type Auth = ReturnType<typeof createAuth>;

const KEY = Symbol.for('colab.auth');
const SECRET_KEY = Symbol.for('colab.auth.secret');
type Holder = { [KEY]?: Auth; [SECRET_KEY]?: string };

/** Creates the app's auth instance (from hooks init) and makes it available to routes. */
export async function startAuth(
	started: { config: Config; database: Database },
	withSvelteKitCookies?: () => RequestEvent
): Promise<Auth> {
	const holder = globalThis as Holder;
	if (holder[KEY]) return holder[KEY];
	const secret = await resolveAuthSecret(started.database.db, started.config);
	holder[SECRET_KEY] = secret;
	const auth = createAuth({
		config: started.config,
		database: started.database,
		secret,
		withSvelteKitCookies
	});
	holder[KEY] = auth;
	return auth;
}

/** The auth instance built by startAuth; throws before that (a programming error). */
export function getAuth(): Auth {
	const auth = (globalThis as Holder)[KEY];
	if (!auth) throw new Error('Accounts have not been started: call startAuth() first');
	return auth;
}

/**
 * The instance's secret, for features that sign their own links (event registrations). Each
 * derives its own key from it with a purpose string, so no two kinds of link can be swapped.
 */
export function authSecret(): string {
	const secret = (globalThis as Holder)[SECRET_KEY];
	if (!secret) throw new Error('Accounts have not been started: call startAuth() first');
	return secret;
}

/** Forgets the instance (stopApp and specs). */
export function stopAuth(): void {
	delete (globalThis as Holder)[KEY];
	delete (globalThis as Holder)[SECRET_KEY];
}
