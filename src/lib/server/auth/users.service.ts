import { hashPassword } from 'better-auth/crypto';
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit.service';
import { markContentChanged } from '../cache/content-version';
import type { DB } from '../db/schema';
import { enqueueMail } from '../mail/outbox';
import { accountCreatedMail, type MailSite } from './auth.mails';
import { assertCan, canChangeRoles, canCreateUsers, type Actor } from './auth.permissions';
import {
	countUsers,
	findUserByEmail,
	findUserById,
	insertCredentialAccount,
	insertUser,
	lockAdministrators,
	updateRole
} from './auth.repository';
import type { CreateUserInput } from './auth.schema';
import type { AppUser } from './auth.tables';
import { ROLES, type Role } from './auth.types';

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
	| {
			ok: true;
			changed: boolean;
			user: { id: string; name: string; email: string; role: Role };
			previousRole: Role;
	  }
	| { ok: false; reason: 'invalid-role' | 'not-found' | 'last-administrator' };

function toRole(value: string): Role {
	return ROLES.includes(value as Role) ? (value as Role) : 'member';
}

/**
 * Changes a person's site-wide role and records who did it, and when, in the audit log, in one
 * transaction. Administrators only. Refuses to demote the last administrator, since nobody
 * could manage the site afterwards. Sessions are left alone: roles are read on every request,
 * so the change applies from the person's next page.
 */
export async function changeRole(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	userId: string,
	role: string
): Promise<ChangeRoleResult> {
	assertCan(canChangeRoles(actor), 'Only administrators can change roles.');
	if (!ROLES.includes(role as Role)) return { ok: false, reason: 'invalid-role' };
	const newRole = role as Role;
	return db.transaction().execute(async (trx): Promise<ChangeRoleResult> => {
		const administrators = await lockAdministrators(trx);
		const row = await findUserById(trx, userId);
		if (!row) return { ok: false, reason: 'not-found' };
		const previousRole = toRole(row.role);
		const user = { id: row.id, name: row.name, email: row.email, role: previousRole };
		if (row.role === newRole) return { ok: true, changed: false, user, previousRole };
		if (row.role === 'administrator' && administrators.filter((id) => id !== userId).length === 0) {
			return { ok: false, reason: 'last-administrator' };
		}
		await updateRole(trx, userId, newRole);
		await recordAudit(trx, {
			actor: actor ?? null,
			action: 'user.role_changed',
			target: { type: 'user', id: userId },
			detail: { from: previousRole, to: newRole }
		});
		return { ok: true, changed: true, user: { ...user, role: newRole }, previousRole };
	});
}

/** Changes a person's site-wide role, found by id or email (the command line knows emails). */
export async function changeUserRole(
	db: Kysely<DB>,
	actor: Actor,
	input: { user: { id: string } | { email: string }; role: string }
): Promise<ChangeRoleResult> {
	assertCan(canChangeRoles(actor), 'Only administrators can change roles.');
	const userId =
		'id' in input.user ? input.user.id : (await findUserByEmail(db, input.user.email))?.id;
	if (!userId) return { ok: false, reason: 'not-found' };
	return changeRole(db, actor, userId, input.role);
}

/** The account with this email address, if there is one (other features ask here, not the repository). */
export async function findAccountByEmail(
	db: Kysely<DB>,
	email: string
): Promise<Pick<AppUser, 'id' | 'name' | 'email'> | undefined> {
	const user = await findUserByEmail(db, email);
	return user && { id: user.id, name: user.name, email: user.email };
}
