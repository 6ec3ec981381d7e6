import { createHmac, timingSafeEqual } from 'node:crypto';
import { CompiledQuery, type Kysely } from 'kysely';
import type { DB } from '../db/schema';
import type { Auth } from './auth';
import { readSession, toSessionUser } from './auth.service';
import type { SessionUser } from './auth.types';
import type { SessionCache } from './session-cache';

/**
 * `settled`: read on the quick path, so nothing about the session changes on this request (no
 * refreshed cookie to send). Shared renders (cache/shared-pages.ts) are only for settled ones.
 */
export type SessionRead = { user: SessionUser; sessionId: string; settled?: boolean } | null;

function cookieValue(header: string, name: string): string | undefined {
	for (const part of header.split(';')) {
		const eq = part.indexOf('=');
		if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
	}
	return undefined;
}

/** The token from a signed session cookie `<token>.<base64 HMAC-SHA256>`, when the signature holds. */
function checkSignature(value: string, secret: string): string | undefined {
	const dot = value.lastIndexOf('.');
	if (dot < 1) return undefined;
	const token = value.slice(0, dot);
	const given = Buffer.from(value.slice(dot + 1), 'base64');
	const expected = createHmac('sha256', secret).update(token).digest();
	return given.length === expected.length && timingSafeEqual(given, expected) ? token : undefined;
}

/** How many good signatures `verifiedToken` remembers. */
export const VERIFIED_SIGNATURES_KEPT = 1000;

// Cookie values whose signature held, with their token, for one secret. Computing the HMAC
// cost about as much as the session query itself on every signed-in request. Only good
// signatures are kept (so only someone holding a validly signed cookie adds one), at most
// VERIFIED_SIGNATURES_KEPT, oldest first out; a hit gives exactly what checking again would.
// Whether the session is still live is asked of the database on every request regardless.
const verified = new Map<string, string>();
let verifiedWith: string | undefined;

/** The token from a signed session cookie value, when its signature holds for `secret`. */
export function verifiedToken(raw: string, secret: string): string | undefined {
	if (secret !== verifiedWith) {
		verified.clear();
		verifiedWith = secret;
	}
	const known = verified.get(raw);
	if (known !== undefined) return known;
	let value: string;
	try {
		value = decodeURIComponent(raw);
	} catch {
		return undefined;
	}
	const token = checkSignature(value, secret);
	if (token !== undefined) {
		verified.set(raw, token);
		if (verified.size > VERIFIED_SIGNATURES_KEPT) verified.delete(verified.keys().next().value!);
	}
	return token;
}

/** How many good signatures are remembered now (for specs). */
export function rememberedSignatures(): number {
	return verified.size;
}

type SessionRow = {
	sessionId: string;
	expiresAt: string;
	id: string;
	name: string;
	email: string;
	emailVerified: boolean | number;
	role: string;
};

function sessionQuery(db: Kysely<DB>, token: string) {
	return db
		.selectFrom('auth_session as s')
		.innerJoin('app_user as u', 'u.id', 's.user_id')
		.select([
			's.id as sessionId',
			's.expires_at as expiresAt',
			'u.id',
			'u.name',
			'u.email',
			'u.email_verified as emailVerified',
			'u.role'
		])
		.where('s.token', '=', token);
}

/** Compiled once per database: this query runs on every signed-in request. */
const compiled = new WeakMap<Kysely<DB>, CompiledQuery>();

async function findLiveSession(
	db: Kysely<DB>,
	token: string,
	cache: SessionCache | undefined
): Promise<SessionRow | undefined> {
	const load = async () => {
		let query = compiled.get(db);
		if (!query) {
			query = sessionQuery(db, '').compile();
			compiled.set(db, query);
		}
		const result = await db.executeQuery<SessionRow>(CompiledQuery.raw(query.sql, [token]));
		const row = result.rows[0];
		return row && { userId: row.id, value: row };
	};
	if (!cache) return (await load())?.value;
	return cache.read(`session:${token}`, load);
}

/**
 * Reads the signed-in person for a request. Every page view of a signed-in member does this, so
 * the common case (a well-signed cookie for a live session that is not yet due for its daily
 * refresh) is one indexed query here, or none when `cache` holds the session; better-auth's own
 * getSession, several times slower, handles everything else: refreshing the session and its cookie, expired or deleted sessions,
 * bad signatures and "don't remember me" sessions.
 */
export async function readSessionQuickly(
	auth: Auth,
	db: Kysely<DB>,
	headers: Headers,
	cache?: SessionCache
): Promise<SessionRead> {
	const context = await auth.$context;
	const cookies = headers.get('cookie') ?? '';
	const raw = cookieValue(cookies, context.authCookies.sessionToken.name);
	if (!raw) return null;
	const slow = () => readSession(auth, headers);
	if (cookieValue(cookies, context.authCookies.dontRememberToken.name)) return slow();
	const token = verifiedToken(raw, context.secret);
	if (!token) return slow();

	const row = await findLiveSession(db, token, cache);
	if (!row) return slow();
	const expiresAt = new Date(row.expiresAt).getTime();
	const { expiresIn, updateAge } = context.sessionConfig;
	const now = Date.now();
	if (expiresAt <= now || expiresAt - expiresIn * 1000 + updateAge * 1000 <= now) return slow();
	return {
		user: toSessionUser({ ...row, emailVerified: Boolean(row.emailVerified) }),
		sessionId: row.sessionId,
		settled: true
	};
}
