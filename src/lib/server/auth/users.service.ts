import { hashPassword } from 'better-auth/crypto';
import type { Kysely } from 'kysely';
import { isPostgres } from '../db/database';
import type { DB } from '../db/schema';
import { enqueueMail } from '../mail/outbox';
import { accountCreatedMail, type MailSite } from './auth.mails';
import { assertCan, canChangeRoles, canCreateUsers, type Actor } from './auth.permissions';
import {
	countUsersWithRole,
	findUserByEmail,
	findUserById,
	insertCredentialAccount,
	insertUser,
	updateUserRole
} from './auth.repository';
import { roleSchema, type CreateUserInput } from './auth.schema';
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
			await enqueueMail(trx, accountCreatedMail(site, user, !!passwordHash));
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
	| { ok: true; user: AppUser; previousRole: Role }
	| { ok: false; reason: 'invalid-role' | 'not-found' | 'last-administrator' };

/**
 * Changes a person's site-wide role. Refuses a role that does not exist, and refuses to demote
 * the last administrator (nobody could manage the site afterwards).
 */
export async function changeUserRole(
	db: Kysely<DB>,
	actor: Actor,
	input: { user: { id: string } | { email: string }; role: string }
): Promise<ChangeRoleResult> {
	assertCan(canChangeRoles(actor), 'Only administrators can change roles.');
	const parsed = roleSchema.safeParse(input.role);
	if (!parsed.success) return { ok: false, reason: 'invalid-role' };
	const role = parsed.data;
	return db.transaction().execute(async (trx): Promise<ChangeRoleResult> => {
		if (isPostgres(trx)) {
			// Two administrators demoting each other at once must not both succeed.
			await trx
				.selectFrom('app_user')
				.select('id')
				.where('role', '=', 'administrator')
				.forUpdate()
				.execute();
		}
		const user =
			'id' in input.user
				? await findUserById(trx, input.user.id)
				: await findUserByEmail(trx, input.user.email);
		if (!user) return { ok: false, reason: 'not-found' };
		const previousRole = user.role as Role;
		if (previousRole === role) return { ok: true, user, previousRole };
		if (previousRole === 'administrator' && (await countUsersWithRole(trx, 'administrator')) <= 1)
			return { ok: false, reason: 'last-administrator' };
		await updateUserRole(trx, user.id, role);
		return { ok: true, user: { ...user, role }, previousRole };
	});
}
