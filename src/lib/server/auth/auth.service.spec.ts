import { createEmailVerificationToken } from 'better-auth/api';
import { describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../testing/databases';
import { findUserByEmail } from './auth.repository';
import {
	changeEmail,
	changePassword,
	listMySessions,
	readSession,
	requestPasswordReset,
	requestSignInLink,
	resendConfirmation,
	resetPassword,
	signIn,
	signInWithLink,
	signOutEverywhere,
	signUp,
	verifyEmail,
	type AccountsContext
} from './auth.service';
import { accountsFor, confirmedMember, mailTo, tokenFrom, visitor } from './auth.testing';
import { resetLinkIdentifier, signInLinkIdentifier } from './link-tokens';

const PASSWORD = 'correct horse battery';

describeEachDatabase('accounts', (db) => {
	let memo: AccountsContext | undefined;
	const ctx = () => (memo ??= accountsFor(db.database));

	const member = (email: string, name?: string) => confirmedMember(ctx(), email, PASSWORD, name);

	describe('signing up', () => {
		it('creates an unconfirmed member and puts a confirmation email in the outbox', async () => {
			expect(
				await signUp(ctx(), visitor(), {
					name: 'Ada Lovelace',
					email: 'ada@example.org',
					password: PASSWORD
				})
			).toEqual({ ok: true });

			const user = await findUserByEmail(db.db, 'ada@example.org');
			expect(user).toMatchObject({ name: 'Ada Lovelace', role: 'member' });
			expect(Boolean(user?.email_verified)).toBe(false);
			const mails = await mailTo(db.db, 'ada@example.org');
			expect(mails).toHaveLength(1);
			expect(mails[0]).toMatchObject({
				subject: 'Confirm your email address for CoLab Test',
				kind: 'auth.verify-email',
				user_id: user?.id,
				status: 'pending'
			});
			expect(mails[0]!.text_body).toContain('http://colab.test/verify-email?token=');
			expect(mails[0]!.text_body).not.toContain('/api/auth');
		});

		it('answers a repeated sign-up the same way, changes nothing, and tells the owner', async () => {
			await signUp(ctx(), visitor(), { name: 'Bo', email: 'bo@example.org', password: PASSWORD });
			const before = await findUserByEmail(db.db, 'bo@example.org');
			const account = await db.db
				.selectFrom('auth_account')
				.select('password')
				.where('user_id', '=', before!.id)
				.executeTakeFirstOrThrow();

			const again = await signUp(ctx(), visitor(), {
				name: 'Impostor',
				email: 'BO@example.org',
				password: 'another password entirely'
			});
			expect(again).toEqual({ ok: true });

			expect(await findUserByEmail(db.db, 'bo@example.org')).toEqual(before);
			const accountAfter = await db.db
				.selectFrom('auth_account')
				.select('password')
				.where('user_id', '=', before!.id)
				.executeTakeFirstOrThrow();
			expect(accountAfter.password).toBe(account.password);
			const mails = await mailTo(db.db, 'bo@example.org');
			expect(mails.map((m) => m.kind)).toEqual(['auth.verify-email', 'auth.existing-account']);
			// Still unconfirmed, so the owner gets a fresh confirmation link in it.
			expect(mails[1]!.text_body).toContain('http://colab.test/verify-email?token=');
		});

		it('takes at least as long for a known address as for a new one', async () => {
			const started = Date.now();
			await signUp(ctx(), visitor(), { name: 'Bo', email: 'bo@example.org', password: PASSWORD });
			expect(Date.now() - started).toBeGreaterThanOrEqual(490);
		});
	});

	describe('confirming an email address', () => {
		it('confirms the address and signs the person in; the link then says it is done', async () => {
			await signUp(ctx(), visitor(), { name: 'Cy', email: 'cy@example.org', password: PASSWORD });
			const [mail] = await mailTo(db.db, 'cy@example.org');
			const token = tokenFrom(mail!.text_body, '/verify-email');

			expect(await verifyEmail(ctx(), visitor(), token)).toEqual({
				ok: true,
				signedIn: true,
				emailChanged: false
			});
			const user = await findUserByEmail(db.db, 'cy@example.org');
			expect(Boolean(user?.email_verified)).toBe(true);
			expect(
				await listMySessions(db.db, { ...user!, emailVerified: true, role: 'member' })
			).toHaveLength(1);

			expect(await verifyEmail(ctx(), visitor(), token)).toEqual({
				ok: true,
				signedIn: false,
				emailChanged: false
			});
		});

		it('tells an expired link from a broken one', async () => {
			const expired = await createEmailVerificationToken(
				'spec-secret-that-is-long-enough-for-better-auth',
				'cy@example.org',
				undefined,
				-60
			);
			expect(await verifyEmail(ctx(), visitor(), expired)).toEqual({
				ok: false,
				reason: 'expired'
			});
			expect(await verifyEmail(ctx(), visitor(), 'not-a-token')).toEqual({
				ok: false,
				reason: 'invalid-link'
			});
		});

		it('sends a new link to an unconfirmed address only, answering the same for all', async () => {
			await signUp(ctx(), visitor(), { name: 'Di', email: 'di@example.org', password: PASSWORD });
			expect(await resendConfirmation(ctx(), visitor(), { email: 'di@example.org' })).toEqual({
				ok: true
			});
			expect(await resendConfirmation(ctx(), visitor(), { email: 'nobody@example.org' })).toEqual({
				ok: true
			});
			expect((await mailTo(db.db, 'di@example.org')).map((m) => m.kind)).toEqual([
				'auth.verify-email',
				'auth.verify-email'
			]);
			expect(await mailTo(db.db, 'nobody@example.org')).toEqual([]);
		});
	});

	describe('signing in with a password', () => {
		it('refuses an unconfirmed account (sending a new link) and a wrong password', async () => {
			await signUp(ctx(), visitor(), { name: 'Ed', email: 'ed@example.org', password: PASSWORD });
			expect(
				await signIn(ctx(), visitor(), { email: 'ed@example.org', password: PASSWORD })
			).toEqual({ ok: false, reason: 'unconfirmed' });
			expect((await mailTo(db.db, 'ed@example.org')).map((m) => m.kind)).toEqual([
				'auth.verify-email',
				'auth.verify-email'
			]);
			expect(
				await signIn(ctx(), visitor(), { email: 'ed@example.org', password: 'wrong password!' })
			).toEqual({ ok: false, reason: 'wrong-details' });
			expect(
				await signIn(ctx(), visitor(), { email: 'nobody@example.org', password: PASSWORD })
			).toEqual({ ok: false, reason: 'wrong-details' });
		});

		it('signs a confirmed member in', async () => {
			await member('fay@example.org');
			expect(
				await signIn(ctx(), visitor(), { email: 'fay@example.org', password: PASSWORD })
			).toEqual({ ok: true });
		});

		it('stops after 10 attempts for one email, saying when to try again', async () => {
			const results = [];
			for (let i = 0; i < 11; i++)
				results.push(
					await signIn(ctx(), visitor(`198.51.100.${i}`), {
						email: 'target@example.org',
						password: `guess number ${i}`
					})
				);
			expect(results.slice(0, 10).every((r) => !r.ok && r.reason === 'wrong-details')).toBe(true);
			const last = results[10]!;
			expect(last).toMatchObject({ ok: false, reason: 'rate-limited' });
			expect(!last.ok && last.reason === 'rate-limited' && last.retryAfterSeconds).toBeGreaterThan(
				800
			);
		});
	});

	describe('signing in with an emailed link', () => {
		it('sends a link to a confirmed member; it works once', async () => {
			await member('gil@example.org');
			expect(await requestSignInLink(ctx(), visitor(), { email: 'gil@example.org' })).toEqual({
				ok: true
			});
			const mails = await mailTo(db.db, 'gil@example.org');
			const link = mails.at(-1)!;
			expect(link.kind).toBe('auth.sign-in-link');
			const token = tokenFrom(link.text_body, '/sign-in/link');

			expect(await signInWithLink(ctx(), visitor(), token)).toEqual({ ok: true });
			expect(await signInWithLink(ctx(), visitor(), token)).toEqual({
				ok: false,
				reason: 'invalid-link'
			});
		});

		it('sends nothing to an unknown address, and the answer is the same', async () => {
			expect(await requestSignInLink(ctx(), visitor(), { email: 'ghost@example.org' })).toEqual({
				ok: true
			});
			expect(await mailTo(db.db, 'ghost@example.org')).toEqual([]);
		});

		it('sends an unconfirmed account a confirmation link instead, keeping its password', async () => {
			await signUp(ctx(), visitor(), { name: 'Hal', email: 'hal@example.org', password: PASSWORD });
			await requestSignInLink(ctx(), visitor(), { email: 'hal@example.org' });
			const mails = await mailTo(db.db, 'hal@example.org');
			expect(mails.map((m) => m.kind)).toEqual(['auth.verify-email', 'auth.verify-email']);

			// Even a sign-in link stored for it as better-auth stores one is refused, not used.
			const token = 'a-sign-in-link-minted-for-hal-0123456789';
			await db.db
				.insertInto('auth_verification')
				.values({
					id: 'minted-link',
					identifier: signInLinkIdentifier(token),
					value: JSON.stringify({ type: 'magic-link', email: 'hal@example.org' }),
					expires_at: new Date(Date.now() + 600_000).toISOString(),
					created_at: new Date().toISOString(),
					updated_at: new Date().toISOString()
				})
				.execute();
			expect(await signInWithLink(ctx(), visitor(), token)).toEqual({
				ok: false,
				reason: 'invalid-link'
			});
			await verifyEmail(ctx(), visitor(), tokenFrom(mails[1]!.text_body, '/verify-email'));
			expect(
				await signIn(ctx(), visitor(), { email: 'hal@example.org', password: PASSWORD })
			).toEqual({ ok: true });
		});
	});

	describe('forgotten password', () => {
		it('emails a reset link to a known address only; the link works once', async () => {
			await signUp(ctx(), visitor(), { name: 'Ivy', email: 'ivy@example.org', password: PASSWORD });
			expect(await requestPasswordReset(ctx(), visitor(), { email: 'ivy@example.org' })).toEqual({
				ok: true
			});
			expect(
				await requestPasswordReset(ctx(), visitor(), { email: 'nobody-here@example.org' })
			).toEqual({ ok: true });
			expect(await mailTo(db.db, 'nobody-here@example.org')).toEqual([]);

			const reset = (await mailTo(db.db, 'ivy@example.org')).at(-1)!;
			expect(reset.kind).toBe('auth.reset-password');
			const token = tokenFrom(reset.text_body, '/reset-password');
			const newPassword = 'a brand new password';
			expect(await resetPassword(ctx(), visitor(), { token, password: newPassword })).toEqual({
				ok: true
			});
			expect(await resetPassword(ctx(), visitor(), { token, password: newPassword })).toEqual({
				ok: false,
				reason: 'invalid-link'
			});

			// The link proved the address, so the account is confirmed and the new password works.
			expect(
				await signIn(ctx(), visitor(), { email: 'ivy@example.org', password: PASSWORD })
			).toEqual({ ok: false, reason: 'wrong-details' });
			expect(
				await signIn(ctx(), visitor(), { email: 'ivy@example.org', password: newPassword })
			).toEqual({ ok: true });
			expect((await mailTo(db.db, 'ivy@example.org')).at(-1)!.kind).toBe('auth.password-changed');
		});
	});

	describe('links at rest', () => {
		it('keeps only hashes of sign-in and reset links: nothing read from the database signs in', async () => {
			await member('kit@example.org');
			await requestSignInLink(ctx(), visitor(), { email: 'kit@example.org' });
			await requestPasswordReset(ctx(), visitor(), { email: 'kit@example.org' });
			const mails = await mailTo(db.db, 'kit@example.org');
			const signInToken = tokenFrom(mails.at(-2)!.text_body, '/sign-in/link');
			const resetToken = tokenFrom(mails.at(-1)!.text_body, '/reset-password');

			const rows = await db.db
				.selectFrom('auth_verification')
				.select(['identifier', 'value'])
				.execute();
			const stored = JSON.stringify(rows);
			expect(stored).not.toContain(signInToken);
			expect(stored).not.toContain(resetToken);
			const identifiers = rows.map((r) => r.identifier);
			expect(identifiers).toContain(signInLinkIdentifier(signInToken));
			expect(identifiers).toContain(resetLinkIdentifier(resetToken));

			// Whatever someone reading the database tries, it is not a link that works.
			for (const identifier of identifiers) {
				for (const guess of [identifier, identifier.replace(/^[a-z0-9-]+:/, '')]) {
					expect(await signInWithLink(ctx(), visitor(), guess)).toEqual({
						ok: false,
						reason: 'invalid-link'
					});
					expect(
						await resetPassword(ctx(), visitor(), { token: guess, password: 'a stolen password 1' })
					).toEqual({ ok: false, reason: 'invalid-link' });
				}
			}
			// The emailed links still work.
			expect(await signInWithLink(ctx(), visitor(), signInToken)).toEqual({ ok: true });
			expect(
				await resetPassword(ctx(), visitor(), { token: resetToken, password: 'kit’s new password' })
			).toEqual({ ok: true });
		});
	});

	describe('managing your account', () => {
		it('changes the password only with the current one, and says so by email', async () => {
			const { client, user } = await member('jo@example.org');
			expect(
				await changePassword(ctx(), client, user, {
					currentPassword: 'not my password',
					newPassword: 'my new password 1'
				})
			).toEqual({ ok: false, reason: 'wrong-password' });
			expect(
				await changePassword(ctx(), client, user, {
					currentPassword: PASSWORD,
					newPassword: 'my new password 1'
				})
			).toEqual({ ok: true });
			expect((await mailTo(db.db, 'jo@example.org')).at(-1)!.kind).toBe('auth.password-changed');
			expect(
				await signIn(ctx(), visitor(), { email: 'jo@example.org', password: 'my new password 1' })
			).toEqual({ ok: true });
		});

		it('changes email only after the new address is confirmed, telling the old one', async () => {
			const { client, user } = await member('kai@example.org');
			expect(
				await changeEmail(ctx(), client, user, {
					newEmail: 'kai@new.example.org',
					currentPassword: 'wrong'
				})
			).toEqual({ ok: false, reason: 'wrong-password' });
			expect(
				await changeEmail(ctx(), client, user, {
					newEmail: 'kai@new.example.org',
					currentPassword: PASSWORD
				})
			).toEqual({ ok: true });
			expect((await findUserByEmail(db.db, 'kai@example.org'))?.id).toBe(user.id);
			expect((await mailTo(db.db, 'kai@example.org')).at(-1)!.kind).toBe(
				'auth.change-email-notice'
			);
			const [confirm] = await mailTo(db.db, 'kai@new.example.org');
			expect(confirm!.kind).toBe('auth.change-email');

			const result = await verifyEmail(
				ctx(),
				client,
				tokenFrom(confirm!.text_body, '/verify-email')
			);
			expect(result).toMatchObject({ ok: true, emailChanged: true });
			const moved = await findUserByEmail(db.db, 'kai@new.example.org');
			expect(moved?.id).toBe(user.id);
			expect(Boolean(moved?.email_verified)).toBe(true);
		});

		it('signs out of every device', async () => {
			const { client, user } = await member('lee@example.org');
			await ctx().auth.api.signInEmail({ body: { email: 'lee@example.org', password: PASSWORD } });
			// Confirming the address signed them in too: three sessions in all.
			expect(await listMySessions(db.db, user)).toHaveLength(3);
			await signOutEverywhere(ctx(), client, user);
			expect(await listMySessions(db.db, user)).toHaveLength(0);
			expect(await readSession(ctx().auth, client.headers)).toBeNull();
		});
	});
});
