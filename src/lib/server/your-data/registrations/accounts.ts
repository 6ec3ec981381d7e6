import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { SIGN_IN_LINK_PREFIX, STORED_RESET_LINK_PREFIX } from '../../auth/link-tokens';
import type { DataSubject, PersonalDataRegistration } from '../your-data.types';

// The accounts feature's tables (better-auth's, mapped to snake_case). Kept here rather than in
// auth/ so better-auth's setup stays small; the accounts owner may move it beside their code.
// Nothing here exports a password hash, a session token or a one-time link.

/** A LIKE pattern ending with `suffix`, matched literally (\ escapes % and _). */
function endsWith(suffix: string): string {
	return `%${suffix.replace(/[\\%_]/g, (c) => `\\${c}`)}`;
}

/**
 * One-time links stored for the person: password resets hold their id, sign-in links hold JSON
 * with their email address (better-auth's formats; see docs/notes/better-auth-1.7.md).
 */
async function findVerificationRows(db: Kysely<DB> | Transaction<DB>, person: DataSubject) {
	const rows = await db
		.selectFrom('auth_verification')
		.select(['id', 'identifier', 'value', 'created_at', 'expires_at'])
		.where((eb) =>
			eb.or([
				eb('value', '=', person.id),
				eb('identifier', '=', person.email),
				eb('identifier', 'like', `${SIGN_IN_LINK_PREFIX}%`)
			])
		)
		.execute();
	return rows.filter((row) => {
		if (row.value === person.id || row.identifier === person.email) return true;
		try {
			const value = JSON.parse(row.value) as { email?: unknown };
			return typeof value.email === 'string' && value.email.toLowerCase() === person.email;
		} catch {
			return false;
		}
	});
}

function linkPurpose(identifier: string): string {
	if (identifier.startsWith(SIGN_IN_LINK_PREFIX)) return 'sign-in link';
	if (identifier.startsWith(STORED_RESET_LINK_PREFIX)) return 'password reset link';
	return 'one-time link';
}

export const appUser: PersonalDataRegistration = {
	feature: 'accounts',
	table: 'app_user',
	personColumns: ['id'],
	kind: 'personal',
	onDelete: 'Your name, email address and role are deleted.',
	exportAs: 'account',
	async export(db, person) {
		const row = await db
			.selectFrom('app_user')
			.select([
				'id',
				'name',
				'email',
				'email_verified',
				'image',
				'role',
				'created_at',
				'updated_at'
			])
			.where('id', '=', person.id)
			.executeTakeFirstOrThrow();
		return {
			id: row.id,
			name: row.name,
			email: row.email,
			emailConfirmed: Boolean(row.email_verified),
			image: row.image,
			role: row.role,
			createdAt: row.created_at,
			updatedAt: row.updated_at
		};
	},
	async erase(trx, { person }) {
		const result = await trx.deleteFrom('app_user').where('id', '=', person.id).executeTakeFirst();
		return Number(result.numDeletedRows);
	}
};

export const authSession: PersonalDataRegistration = {
	feature: 'accounts',
	table: 'auth_session',
	personColumns: ['user_id'],
	kind: 'personal',
	onDelete: 'You are signed out everywhere, and the record of where you signed in is deleted.',
	exportAs: 'sessions',
	async export(db, person) {
		const rows = await db
			.selectFrom('auth_session')
			.select(['created_at', 'updated_at', 'expires_at', 'ip_address', 'user_agent'])
			.where('user_id', '=', person.id)
			.orderBy('created_at')
			.execute();
		return rows.map((r) => ({
			signedInAt: r.created_at,
			lastUsedAt: r.updated_at,
			expiresAt: r.expires_at,
			ipAddress: r.ip_address,
			browser: r.user_agent
		}));
	},
	async erase(trx, { person }) {
		const result = await trx
			.deleteFrom('auth_session')
			.where('user_id', '=', person.id)
			.executeTakeFirst();
		return Number(result.numDeletedRows);
	}
};

export const authAccount: PersonalDataRegistration = {
	feature: 'accounts',
	table: 'auth_account',
	personColumns: ['user_id'],
	kind: 'personal',
	onDelete: 'Your password is deleted, so nobody can sign in as you.',
	exportAs: 'signInMethods',
	async export(db, person) {
		const rows = await db
			.selectFrom('auth_account')
			.select(['provider_id', 'password', 'created_at', 'updated_at'])
			.where('user_id', '=', person.id)
			.orderBy('created_at')
			.execute();
		// Only whether a password is set: never the hash.
		return rows.map((r) => ({
			method: r.provider_id === 'credential' ? 'password' : r.provider_id,
			passwordSet: r.password !== null,
			createdAt: r.created_at,
			updatedAt: r.updated_at
		}));
	},
	async erase(trx, { person }) {
		const result = await trx
			.deleteFrom('auth_account')
			.where('user_id', '=', person.id)
			.executeTakeFirst();
		return Number(result.numDeletedRows);
	}
};

export const authVerification: PersonalDataRegistration = {
	feature: 'accounts',
	table: 'auth_verification',
	// Keyed by the person's id or email address inside better-auth's own formats.
	personColumns: [],
	kind: 'personal',
	onDelete: 'Any sign-in or password reset links we sent you stop working.',
	exportAs: 'pendingLinks',
	async export(db, person) {
		const rows = await findVerificationRows(db, person);
		// The identifier holds the link's secret, so only its purpose and times are shown.
		return rows.map((r) => ({
			purpose: linkPurpose(r.identifier),
			createdAt: r.created_at,
			expiresAt: r.expires_at
		}));
	},
	async erase(trx, { person }) {
		const ids = (await findVerificationRows(trx, person)).map((r) => r.id);
		if (!ids.length) return 0;
		const result = await trx
			.deleteFrom('auth_verification')
			.where('id', 'in', ids)
			.executeTakeFirst();
		return Number(result.numDeletedRows);
	}
};

export const rateLimit: PersonalDataRegistration = {
	feature: 'accounts',
	table: 'rate_limit',
	// Counters keyed "<action>:user:<id>"; email keys are hashed and expire within the hour.
	personColumns: [],
	kind: 'personal',
	onDelete: 'Counters we keep to stop misuse of your account are deleted.',
	async erase(trx, { person }) {
		const result = await trx
			.deleteFrom('rate_limit')
			.where('key', 'like', sql<string>`${endsWith(`:user:${person.id}`)} escape '\\'`)
			.executeTakeFirst();
		return Number(result.numDeletedRows);
	}
};
