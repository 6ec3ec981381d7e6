import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../testing/databases';
import { SYSTEM_ACTOR } from './auth.permissions';
import { readSession, type AccountsContext } from './auth.service';
import { accountsFor, clientWithCookies } from './auth.testing';
import {
	VERIFIED_SIGNATURES_KEPT,
	readSessionQuickly,
	rememberedSignatures,
	verifiedToken
} from './session';
import { createUser } from './users.service';

const PASSWORD = 'a long enough password';

describeEachDatabase('reading sessions', (db) => {
	let memo: AccountsContext | undefined;
	const ctx = () => (memo ??= accountsFor(db.database));

	async function signedIn(email: string) {
		const created = await createUser(db.db, ctx().site, SYSTEM_ACTOR, {
			name: 'Quinn',
			email,
			role: 'member',
			password: PASSWORD
		});
		if (!created.ok) throw new Error('not created');
		const { headers } = await ctx().auth.api.signInEmail({
			body: { email, password: PASSWORD },
			returnHeaders: true
		});
		return { userId: created.user.id, headers: clientWithCookies(headers).headers };
	}

	const expiresAt = async (userId: string) =>
		(
			await db.db
				.selectFrom('auth_session')
				.select('expires_at')
				.where('user_id', '=', userId)
				.executeTakeFirstOrThrow()
		).expires_at;

	it('gives the same person as better-auth, without touching the session', async () => {
		const { userId, headers } = await signedIn('quinn@example.org');
		const before = await expiresAt(userId);
		const quick = await readSessionQuickly(ctx().auth, db.db, headers);
		// The same person and session; `settled`: read quickly, no refreshed cookie to send.
		expect(quick).toEqual({ ...(await readSession(ctx().auth, headers)), settled: true });
		expect(quick).toMatchObject({
			user: { id: userId, email: 'quinn@example.org', role: 'member', emailVerified: true }
		});
		expect(await expiresAt(userId)).toBe(before);
	});

	it('sees a role change at once', async () => {
		const { userId, headers } = await signedIn('rory@example.org');
		await db.db.updateTable('app_user').set({ role: 'curator' }).where('id', '=', userId).execute();
		expect((await readSessionQuickly(ctx().auth, db.db, headers))?.user.role).toBe('curator');
	});

	it('refuses a cookie whose signature does not match, and no cookie at all', async () => {
		const { headers } = await signedIn('sid@example.org');
		const cookie = headers.get('cookie')!;
		const forged = new Headers({ cookie: cookie.replace(/\.[^.;]+(;|$)/, '.AAAA$1') });
		expect(await readSessionQuickly(ctx().auth, db.db, forged)).toBeNull();
		expect(await readSessionQuickly(ctx().auth, db.db, new Headers())).toBeNull();
	});

	it('leaves expired sessions and due refreshes to better-auth', async () => {
		const { userId, headers } = await signedIn('tam@example.org');
		// Due for its daily refresh: better-auth extends it.
		const dueAt = new Date(Date.now() + 20 * 24 * 60 * 60 * 1000).toISOString();
		await db.db
			.updateTable('auth_session')
			.set({ expires_at: dueAt })
			.where('user_id', '=', userId)
			.execute();
		const refreshed = await readSessionQuickly(ctx().auth, db.db, headers);
		expect(refreshed?.user.id).toBe(userId);
		// Not settled: its new cookie must reach the response, so no shared render may answer it.
		expect(refreshed?.settled).toBeUndefined();
		expect(new Date(await expiresAt(userId)).getTime()).toBeGreaterThan(
			Date.now() + 29 * 24 * 60 * 60 * 1000
		);

		// Expired: nobody is signed in, and better-auth removes it.
		await db.db
			.updateTable('auth_session')
			.set({ expires_at: new Date(Date.now() - 1000).toISOString() })
			.where('user_id', '=', userId)
			.execute();
		expect(await readSessionQuickly(ctx().auth, db.db, headers)).toBeNull();
		const left = await db.db
			.selectFrom('auth_session')
			.select('id')
			.where('user_id', '=', userId)
			.execute();
		expect(left).toEqual([]);
	});
});

describe('session cookie signatures', () => {
	const sign = (token: string, secret: string) =>
		encodeURIComponent(`${token}.${createHmac('sha256', secret).update(token).digest('base64')}`);

	it('gives the token for a good signature, the same again when remembered', () => {
		const raw = sign('token-one', 'secret-a');
		expect(verifiedToken(raw, 'secret-a')).toBe('token-one');
		expect(verifiedToken(raw, 'secret-a')).toBe('token-one');
	});

	it('refuses a changed signature or token right after the good one was remembered', () => {
		const raw = sign('token-two', 'secret-a');
		expect(verifiedToken(raw, 'secret-a')).toBe('token-two');
		const value = decodeURIComponent(raw);
		const signature = value.slice(value.lastIndexOf('.') + 1);
		const otherSignature = signature.startsWith('A')
			? 'B' + signature.slice(1)
			: 'A' + signature.slice(1);
		expect(
			verifiedToken(encodeURIComponent(`token-two.${otherSignature}`), 'secret-a')
		).toBeUndefined();
		expect(
			verifiedToken(encodeURIComponent(`token-three.${signature}`), 'secret-a')
		).toBeUndefined();
		expect(verifiedToken('%E0%A4%A', 'secret-a')).toBeUndefined();
	});

	it('does not accept a remembered cookie under another secret', () => {
		const raw = sign('token-four', 'secret-a');
		expect(verifiedToken(raw, 'secret-a')).toBe('token-four');
		expect(verifiedToken(raw, 'secret-b')).toBeUndefined();
		expect(verifiedToken(sign('token-four', 'secret-b'), 'secret-b')).toBe('token-four');
	});

	it('remembers only good signatures, and a bounded number of them', () => {
		verifiedToken(sign('reset', 'secret-c'), 'secret-c');
		expect(rememberedSignatures()).toBe(1);
		for (let i = 0; i < 5; i++) verifiedToken(`bad-${i}.AAAA`, 'secret-c');
		expect(rememberedSignatures()).toBe(1);
		for (let i = 0; i < VERIFIED_SIGNATURES_KEPT + 10; i++)
			expect(verifiedToken(sign(`t${i}`, 'secret-c'), 'secret-c')).toBe(`t${i}`);
		expect(rememberedSignatures()).toBe(VERIFIED_SIGNATURES_KEPT);
	});
});
