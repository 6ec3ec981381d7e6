import type { Kysely, Transaction } from 'kysely';
import { isPostgres } from '../db/database';
import type { DB } from '../db/schema';
import { newId, nowIso } from '../ids';
import type { AppUser } from './auth.tables';
import type { Role } from './auth.types';
import { signInLinkIdentifier } from './link-tokens';

type Db = Kysely<DB> | Transaction<DB>;

/** better-auth stores emails lower-cased; so do we. */
export function normaliseEmail(email: string): string {
	return email.trim().toLowerCase();
}

/** email_verified is a boolean on PostgreSQL and 0/1 on SQLite (better-auth writes it). */
function flag(db: Db, value: boolean): boolean | number {
	return isPostgres(db) ? value : value ? 1 : 0;
}

export async function findUserByEmail(db: Db, email: string): Promise<AppUser | undefined> {
	return db
		.selectFrom('app_user')
		.selectAll()
		.where('email', '=', normaliseEmail(email))
		.executeTakeFirst();
}

export async function findUserById(db: Db, id: string): Promise<AppUser | undefined> {
	return db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function countUsers(db: Db): Promise<number> {
	const row = await db
		.selectFrom('app_user')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

/** Inserts a person the way better-auth would (used by the CLI and first-run setup). */
export async function insertUser(
	db: Db,
	user: { name: string; email: string; role: Role; emailVerified: boolean }
): Promise<AppUser> {
	const now = nowIso();
	return db
		.insertInto('app_user')
		.values({
			id: newId(),
			name: user.name,
			email: normaliseEmail(user.email),
			email_verified: flag(db, user.emailVerified),
			image: null,
			role: user.role,
			created_at: now,
			updated_at: now
		})
		.returningAll()
		.executeTakeFirstOrThrow();
}

/**
 * Gives a person a password. better-auth only accepts a credential account whose account_id
 * is the user's id.
 */
export async function insertCredentialAccount(
	db: Db,
	userId: string,
	passwordHash: string
): Promise<void> {
	const now = nowIso();
	await db
		.insertInto('auth_account')
		.values({
			id: newId(),
			user_id: userId,
			account_id: userId,
			provider_id: 'credential',
			access_token: null,
			refresh_token: null,
			id_token: null,
			access_token_expires_at: null,
			refresh_token_expires_at: null,
			scope: null,
			password: passwordHash,
			created_at: now,
			updated_at: now
		})
		.execute();
}

export async function hasPassword(db: Db, userId: string): Promise<boolean> {
	const row = await db
		.selectFrom('auth_account')
		.select('id')
		.where('user_id', '=', userId)
		.where('provider_id', '=', 'credential')
		.where('password', 'is not', null)
		.executeTakeFirst();
	return !!row;
}

export async function markEmailVerified(db: Db, userId: string): Promise<void> {
	await db
		.updateTable('app_user')
		.set({ email_verified: flag(db, true), updated_at: nowIso() })
		.where('id', '=', userId)
		.execute();
}

export interface SessionSummary {
	id: string;
	createdAt: string;
	updatedAt: string;
	expiresAt: string;
	ipAddress: string | null;
	userAgent: string | null;
}

/** A person's sessions that have not expired, newest first. */
export async function listActiveSessions(db: Db, userId: string): Promise<SessionSummary[]> {
	const rows = await db
		.selectFrom('auth_session')
		.select(['id', 'created_at', 'updated_at', 'expires_at', 'ip_address', 'user_agent'])
		.where('user_id', '=', userId)
		.where('expires_at', '>', nowIso())
		.orderBy('updated_at', 'desc')
		.execute();
	return rows.map((r) => ({
		id: r.id,
		createdAt: r.created_at,
		updatedAt: r.updated_at,
		expiresAt: r.expires_at,
		ipAddress: r.ip_address,
		userAgent: r.user_agent
	}));
}

/** The email a pending sign-in link was issued for (magic-link rows hold JSON). */
export async function findSignInLinkEmail(db: Db, token: string): Promise<string | undefined> {
	const row = await db
		.selectFrom('auth_verification')
		.select('value')
		.where('identifier', '=', signInLinkIdentifier(token))
		.executeTakeFirst();
	if (!row) return undefined;
	try {
		const value = JSON.parse(row.value) as { email?: unknown };
		return typeof value.email === 'string' ? value.email : undefined;
	} catch {
		return undefined;
	}
}

/** Removes sessions and one-time tokens that have expired (better-auth only does it on read). */
export async function deleteExpiredAuthRows(db: Db, now = nowIso()): Promise<number> {
	const sessions = await db
		.deleteFrom('auth_session')
		.where('expires_at', '<', now)
		.executeTakeFirst();
	const tokens = await db
		.deleteFrom('auth_verification')
		.where('expires_at', '<', now)
		.executeTakeFirst();
	return Number(sessions.numDeletedRows) + Number(tokens.numDeletedRows);
}

/**
 * The administrators' rows, locked until the transaction ends on PostgreSQL, so two
 * administrators demoting each other at the same moment cannot both succeed. (SQLite has one
 * writer at a time, so its transactions cannot interleave that way.)
 */
export async function lockAdministrators(trx: Transaction<DB>): Promise<string[]> {
	let query = trx.selectFrom('app_user').select('id').where('role', '=', 'administrator');
	if (isPostgres(trx)) query = query.forUpdate();
	const rows = await query.execute();
	return rows.map((r) => r.id);
}

export async function updateRole(db: Db, userId: string, role: Role): Promise<void> {
	await db
		.updateTable('app_user')
		.set({ role, updated_at: nowIso() })
		.where('id', '=', userId)
		.execute();
}
