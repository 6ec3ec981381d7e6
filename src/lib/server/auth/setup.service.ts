import { createHash, randomInt } from 'node:crypto';
import { hashPassword } from 'better-auth/crypto';
import type { Kysely, Transaction } from 'kysely';
import { recordAudit } from '../audit/audit.service';
import { markContentChanged } from '../cache/content-version';
import { pageCache } from '../cache/page-cache';
import type { DB } from '../db/schema';
import { consumeRateLimit, rateLimitKey } from '../rate-limit/rate-limit.service';
import { deleteSetting, readSetting, writeSetting } from '../settings/settings.repository';
import { AUTH_RATE_LIMITS } from './auth.rate-limits';
import {
	countUsers,
	findUserByEmail,
	insertCredentialAccount,
	insertUser
} from './auth.repository';
import type { SetupInput } from './auth.schema';
import type { AccountsContext, Client, RateLimited } from './auth.service';
import { signIn } from './auth.service';
import type { AppUser } from './auth.tables';

const SETUP_CODE_SETTING = 'setup.code_sha256';
/** No 0/O or 1/I/L, so a code read off a terminal is typed right. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A new one-time code, e.g. "K7QM-2WXP-9HDR" (about 59 bits). */
export function generateSetupCode(): string {
	let code = '';
	for (let i = 0; i < 12; i++) code += ALPHABET[randomInt(ALPHABET.length)];
	return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}

/** Ignores case, spaces and dashes, so "k7qm 2wxp 9hdr" matches. */
export function normaliseSetupCode(code: string): string {
	return code.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

function hashCode(code: string): string {
	return createHash('sha256').update(normaliseSetupCode(code)).digest('hex');
}

/** Databases known to have people in them (it never goes back). */
const setUp = new WeakSet<Kysely<DB>>();

/** True while the instance has nobody in it, so the first person must set it up. */
export async function isSetupNeeded(db: Kysely<DB>): Promise<boolean> {
	if (setUp.has(db)) return false;
	const needed = (await countUsers(db)) === 0;
	// Once someone exists it stays that way; stop asking the database.
	if (!needed) setUp.add(db);
	return needed;
}

/**
 * On start: when there are no users yet, makes a new one-time setup code (only its hash is
 * stored, replacing any older one) and returns it for the terminal. Returns null otherwise.
 */
export async function prepareSetupCode(db: Kysely<DB>): Promise<string | null> {
	if (!(await isSetupNeeded(db))) {
		await deleteSetting(db, SETUP_CODE_SETTING);
		return null;
	}
	const code = generateSetupCode();
	await writeSetting(db, SETUP_CODE_SETTING, hashCode(code));
	return code;
}

/** Whether a setup code is waiting to be used. */
export async function hasSetupCode(db: Kysely<DB>): Promise<boolean> {
	return (await readSetting(db, SETUP_CODE_SETTING)) !== undefined;
}

export type SetupResult =
	| { ok: true; user: AppUser }
	| { ok: false; reason: 'already-set-up' | 'wrong-code' }
	| RateLimited;

/**
 * Creates the first administrator from the setup form: the code is claimed (deleted) in the
 * same transaction that creates the account, so it works exactly once, then they are signed in.
 * `alsoAsAdministrator` writes what else the form asked for (the instance's contact details) in
 * that transaction, as the new administrator; accounts know nothing of what it is.
 */
export async function completeSetup(
	ctx: AccountsContext,
	client: Client,
	input: SetupInput,
	alsoAsAdministrator?: (trx: Transaction<DB>, administrator: AppUser) => Promise<void>
): Promise<SetupResult> {
	const limited = await consumeRateLimit(
		ctx.db,
		rateLimitKey('setup', 'ip', client.ip),
		AUTH_RATE_LIMITS.setup.ip
	);
	if (!limited.ok)
		return { ok: false, reason: 'rate-limited', retryAfterSeconds: limited.retryAfterSeconds };
	if (!(await isSetupNeeded(ctx.db))) return { ok: false, reason: 'already-set-up' };

	const passwordHash = await hashPassword(input.password);
	const result = await ctx.db.transaction().execute(async (trx): Promise<SetupResult> => {
		const claimed = await deleteSetting(trx, SETUP_CODE_SETTING, hashCode(input.code));
		if (!claimed) return { ok: false, reason: 'wrong-code' };
		if ((await countUsers(trx)) > 0 || (await findUserByEmail(trx, input.email)))
			return { ok: false, reason: 'already-set-up' };
		const user = await insertUser(trx, {
			name: input.name,
			email: input.email,
			role: 'administrator',
			emailVerified: true
		});
		await insertCredentialAccount(trx, user.id, passwordHash);
		await recordAudit(trx, {
			actor: { id: user.id, name: user.name },
			action: 'user.created',
			target: { type: 'user', id: user.id },
			detail: { role: 'administrator', via: 'setup' }
		});
		if (alsoAsAdministrator) await alsoAsAdministrator(trx, user);
		// The home page stops pointing at /setup.
		await markContentChanged(trx);
		return { ok: true, user };
	});
	if (!result.ok) return result;
	setUp.add(ctx.db);
	pageCache().invalidate();
	await signIn(ctx, client, { email: input.email, password: input.password });
	return result;
}
