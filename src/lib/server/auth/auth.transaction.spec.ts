import { sql } from 'kysely';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../testing/databases';
import { findUserByEmail } from './auth.repository';
import {
	changeEmail,
	changePassword,
	isResetLinkUsable,
	requestPasswordReset,
	requestSignInLink,
	resetPassword,
	signIn,
	signUp,
	type AccountsContext
} from './auth.service';
import { accountsFor, confirmedMember, mailTo, tokenFrom, visitor } from './auth.testing';

const PASSWORD = 'correct horse battery';

/**
 * Every account email is written in the transaction of the change that caused it. These specs
 * make the outbox refuse one kind of mail (a real database error, from a trigger) and check
 * that the change it belongs to is not kept either.
 */
describeEachDatabase('account changes and their emails', (db) => {
	let memo: AccountsContext | undefined;
	const ctx = () => (memo ??= accountsFor(db.database));

	beforeAll(async () => {
		await sql`create table refused_mail_kind (kind text primary key)`.execute(db.db);
		if (db.dialect === 'sqlite') {
			await sql`
				create trigger refuse_mail before insert on mail_outbox
				when new.kind in (select kind from refused_mail_kind)
				begin select raise(abort, 'the outbox refused this mail'); end
			`.execute(db.db);
		} else {
			await sql`
				create function refuse_mail() returns trigger language plpgsql as $$
				begin
					if new.kind in (select kind from refused_mail_kind) then
						raise exception 'the outbox refused this mail';
					end if;
					return new;
				end $$
			`.execute(db.db);
			await sql`
				create trigger refuse_mail before insert on mail_outbox
				for each row execute function refuse_mail()
			`.execute(db.db);
		}
	});

	const refuseNothing = () => sql`delete from refused_mail_kind`.execute(db.db);
	beforeEach(refuseNothing);

	async function refuse(kind: string): Promise<void> {
		await sql`insert into refused_mail_kind (kind) values (${kind})`.execute(db.db);
	}

	async function countRows(table: 'auth_verification' | 'auth_session'): Promise<number> {
		const row = await db.db
			.selectFrom(table)
			.select((eb) => eb.fn.countAll<string | number>().as('n'))
			.executeTakeFirstOrThrow();
		return Number(row.n);
	}

	it('keeps no account when its confirmation email cannot be written', async () => {
		await refuse('auth.verify-email');
		await expect(
			signUp(ctx(), visitor(), { name: 'Nell', email: 'nell@example.org', password: PASSWORD })
		).rejects.toThrow(/refused/);
		expect(await findUserByEmail(db.db, 'nell@example.org')).toBeUndefined();
		const accounts = await db.db.selectFrom('auth_account').select('id').execute();
		expect(accounts).toHaveLength(0);

		// Once mail can be written again, the same sign-up works.
		await refuseNothing();
		expect(
			await signUp(ctx(), visitor(), {
				name: 'Nell',
				email: 'nell@example.org',
				password: PASSWORD
			})
		).toEqual({ ok: true });
		expect(await findUserByEmail(db.db, 'nell@example.org')).toBeDefined();
		expect((await mailTo(db.db, 'nell@example.org')).map((m) => m.kind)).toEqual([
			'auth.verify-email'
		]);
	});

	it('keeps no sign-in link or reset link whose email cannot be written', async () => {
		await confirmedMember(ctx(), 'olu@example.org', PASSWORD);
		const links = await countRows('auth_verification');

		await refuse('auth.sign-in-link');
		await expect(requestSignInLink(ctx(), visitor(), { email: 'olu@example.org' })).rejects.toThrow(
			/refused/
		);
		await refuse('auth.reset-password');
		await expect(
			requestPasswordReset(ctx(), visitor(), { email: 'olu@example.org' })
		).rejects.toThrow(/refused/);

		expect(await countRows('auth_verification')).toBe(links);
		expect((await mailTo(db.db, 'olu@example.org')).map((m) => m.kind)).toEqual([
			'auth.verify-email'
		]);
	});

	describe('changing a password', () => {
		it('keeps the old password and every session when the notice cannot be written', async () => {
			const { client, user } = await confirmedMember(ctx(), 'pia@example.org', PASSWORD);
			const sessions = await countRows('auth_session');

			await refuse('auth.password-changed');
			await expect(
				changePassword(ctx(), client, user, {
					currentPassword: PASSWORD,
					newPassword: 'a brand new password'
				})
			).rejects.toThrow(/refused/);

			expect(await countRows('auth_session')).toBe(sessions);
			expect(
				await signIn(ctx(), visitor(), { email: 'pia@example.org', password: PASSWORD })
			).toEqual({ ok: true });
		});

		it('keeps the old password and the reset link when the notice cannot be written', async () => {
			await confirmedMember(ctx(), 'quin@example.org', PASSWORD);
			await requestPasswordReset(ctx(), visitor(), { email: 'quin@example.org' });
			const [mail] = (await mailTo(db.db, 'quin@example.org')).filter(
				(m) => m.kind === 'auth.reset-password'
			);
			const token = tokenFrom(mail!.text_body, '/reset-password');

			await refuse('auth.password-changed');
			await expect(
				resetPassword(ctx(), visitor(), { token, password: 'a brand new password' })
			).rejects.toThrow(/refused/);

			expect(await isResetLinkUsable(db.db, token)).toBe(true);
			expect(
				await signIn(ctx(), visitor(), { email: 'quin@example.org', password: PASSWORD })
			).toEqual({ ok: true });
		});
	});

	it('sends neither email of a change of address when one cannot be written', async () => {
		const { client, user } = await confirmedMember(ctx(), 'ren@example.org', PASSWORD);
		await refuse('auth.change-email-notice');
		await expect(
			changeEmail(ctx(), client, user, {
				newEmail: 'ren@new.example.org',
				currentPassword: PASSWORD
			})
		).rejects.toThrow(/refused/);
		expect(await mailTo(db.db, 'ren@new.example.org')).toEqual([]);
	});
});
