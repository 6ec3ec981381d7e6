import { hashPassword } from 'better-auth/crypto';
import type { Kysely } from 'kysely';
import { changeRole, recordAudit } from '../admin/admin.service';
import { markContentChanged } from '../cache/content-version';
import type { DB } from '../db/schema';
import { enqueueMail } from '../mail/outbox';
import { accountCreatedMail, type MailSite } from './auth.mails';
import { assertCan, canChangeRoles, canCreateUsers, type Actor } from './auth.permissions';
import {
	countUsers,
	findUserByEmail,
	insertCredentialAccount,
	insertUser
} from './auth.repository';
import type { CreateUserInput } from './auth.schema';
import type { AppUser } from './auth.tables';
import type { Role } from './auth.types';

/**
 * Creates an account for someone else (administrators and the command line). The address
 * counts as confirmed; without a password the person signs in with an emailed link. They get
 * an email saying the account exists.
 */
export async function createUser(
	db: Kysely<DB>,
	site: MailSite,
	actor: Actor,
	input: CreateUserInput
): Promise<{ ok: true; user: AppUser } | { ok: false; reason: 'email-taken' }> {
	assertCan(canCreateUsers(actor), 'Only administrators can create accounts.');
	if (await findUserByEmail(db, input.email)) return { ok: false, reason: 'email-taken' };
	// Hash before the transaction: it takes a while and SQLite has one writer.
	const passwordHash = input.password ? await hashPassword(input.password) : undefined;
	try {
		const user = await db.transaction().execute(async (trx) => {
			const user = await insertUser(trx, {
				name: input.name,
				email: input.email,
				role: input.role,
				emailVerified: true
			});
			if (passwordHash) await insertCredentialAccount(trx, user.id, passwordHash);
			await recordAudit(trx, {
				actor,
				action: 'user.created',
				target: { type: 'user', id: user.id },
				detail: { role: user.role, signIn: passwordHash ? 'password' : 'emailed-link' }
			});
			await enqueueMail(trx, accountCreatedMail(site, user, !!passwordHash));
			// The very first account ends first-run setup: the home page stops pointing at /setup.
			if ((await countUsers(trx)) === 1) await markContentChanged(trx);
			return user;
		});
		return { ok: true, user };
	} catch (error) {
		// Someone else took the address between the check and the insert.
		if (await findUserByEmail(db, input.email)) return { ok: false, reason: 'email-taken' };
		throw error;
	}
}

export type ChangeRoleResult =
	| { ok: true; user: { id: string; name: string; email: string; role: Role }; previousRole: Role }
	| { ok: false; reason: 'invalid-role' | 'not-found' | 'last-administrator' };

/**
 * Changes a person's site-wide role, found by id or email (the command line knows emails).
 * The work is the admin feature's `changeRole`: it refuses roles that do not exist and never
 * demotes the last administrator, and it records the change in the audit log.
 */
export async function changeUserRole(
	db: Kysely<DB>,
	actor: Actor,
	input: { user: { id: string } | { email: string }; role: string }
): Promise<ChangeRoleResult> {
	assertCan(canChangeRoles(actor), 'Only administrators can change roles.');
	const userId =
		'id' in input.user ? input.user.id : (await findUserByEmail(db, input.user.email))?.id;
	if (!userId) return { ok: false, reason: 'not-found' };
	const result = await changeRole(db, actor, userId, input.role);
	if (!result.ok) return result;
	const { id, name, email, role } = result.person;
	return { ok: true, user: { id, name, email, role }, previousRole: result.previousRole };
}

/** The account with this email address, if there is one (other features ask here, not the repository). */
export async function findAccountByEmail(
	db: Kysely<DB>,
	email: string
): Promise<Pick<AppUser, 'id' | 'name' | 'email'> | undefined> {
	const user = await findUserByEmail(db, email);
	return user && { id: user.id, name: user.name, email: user.email };
}
