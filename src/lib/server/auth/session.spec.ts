import { expect, it } from 'vitest';
import { describeEachDatabase } from '../testing/databases';
import { SYSTEM_ACTOR } from './auth.permissions';
import { readSession, type AccountsContext } from './auth.service';
import { accountsFor, clientWithCookies } from './auth.testing';
import { readSessionQuickly } from './session';
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
		expect(quick).toEqual(await readSession(ctx().auth, headers));
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
		expect((await readSessionQuickly(ctx().auth, db.db, headers))?.user.id).toBe(userId);
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
