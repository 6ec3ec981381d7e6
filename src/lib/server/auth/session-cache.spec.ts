import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/database';
import { migrateToLatest } from '../db/migrate';
import { describeEachDatabase } from '../testing/databases';
import { SYSTEM_ACTOR } from './auth.permissions';
import { accountHasPassword, signOutEverywhere, type AccountsContext } from './auth.service';
import { accountsFor, clientWithCookies } from './auth.testing';
import { readSessionQuickly } from './session';
import { SessionCache, sessionCacheFor, watchSignIns } from './session-cache';
import { createUser } from './users.service';

const found = (userId: string, value: string) => async () => ({ userId, value });

describe('the session cache', () => {
	it('asks every time while it is off (not listening)', async () => {
		const cache = new SessionCache();
		let loads = 0;
		const load = async () => ({ userId: 'u1', value: `row ${++loads}` });
		expect(await cache.read('k', load)).toBe('row 1');
		expect(await cache.read('k', load)).toBe('row 2');
		expect(cache.size).toBe(0);
	});

	it('keeps what it found while on, and forgets one person at a time', async () => {
		const cache = new SessionCache();
		cache.setOn(true);
		await cache.read('session:a', found('u1', 'a'));
		await cache.read('password:u1', found('u1', 'yes'));
		await cache.read('session:b', found('u2', 'b'));
		expect(await cache.read('session:a', found('u1', 'changed'))).toBe('a');

		cache.forgetUser('u1');
		expect(cache.size).toBe(1);
		expect(await cache.read('session:a', found('u1', 'changed'))).toBe('changed');
		expect(await cache.read('session:b', found('u2', 'changed'))).toBe('b');
	});

	it('never keeps "nothing found"', async () => {
		const cache = new SessionCache();
		cache.setOn(true);
		expect(await cache.read('session:gone', async () => undefined)).toBeUndefined();
		expect(cache.size).toBe(0);
	});

	it('does not keep a read that a change overtook', async () => {
		const cache = new SessionCache();
		cache.setOn(true);
		let finish!: () => void;
		const slow = cache.read('session:a', async () => {
			await new Promise<void>((resolve) => (finish = resolve));
			return { userId: 'u1', value: 'before the change' };
		});
		cache.forgetUser('u1'); // the change is announced while the read is on its way
		finish();
		expect(await slow).toBe('before the change');
		expect(await cache.read('session:a', found('u1', 'after the change'))).toBe('after the change');
	});

	it('trusts an entry for at most maxAgeMs, and keeps at most maxEntries', async () => {
		let now = 0;
		const cache = new SessionCache({ maxAgeMs: 1000, maxEntries: 2, now: () => now });
		cache.setOn(true);
		await cache.read('a', found('u1', 'a1'));
		now = 999;
		expect(await cache.read('a', found('u1', 'a2'))).toBe('a1');
		now = 1000;
		expect(await cache.read('a', found('u1', 'a3'))).toBe('a3');
		await cache.read('b', found('u2', 'b'));
		await cache.read('c', found('u3', 'c'));
		expect(cache.size).toBe(2);
		expect(await cache.read('a', found('u1', 'a4'))).toBe('a4');
	});

	it('empties when it turns off, and serves only page views', async () => {
		const cache = new SessionCache();
		cache.setOn(true);
		await cache.read('a', found('u1', 'a'));
		cache.setOn(false);
		expect(cache.size).toBe(0);
		expect(sessionCacheFor(new Request('http://x/account'))).toBeDefined();
		expect(sessionCacheFor(new Request('http://x/account', { method: 'POST' }))).toBeUndefined();
	});
});

describeEachDatabase('the session cache on each engine', (db) => {
	let memo: AccountsContext | undefined;
	const ctx = () => (memo ??= accountsFor(db.database));
	const stops: Array<() => Promise<void>> = [];
	afterAll(async () => {
		for (const stop of stops) await stop();
	});

	/** Another app instance's cache, listening to the same database. */
	async function otherInstance(reconnectMs = 100): Promise<SessionCache> {
		const cache = new SessionCache();
		stops.push(await watchSignIns(db.database, cache, { reconnectMs }));
		return cache;
	}

	async function signedIn(email: string) {
		const password = 'a long enough password';
		const created = await createUser(db.db, ctx().site, SYSTEM_ACTOR, {
			name: 'Sasha',
			email,
			role: 'member',
			password
		});
		if (!created.ok) throw new Error('not created');
		const { headers } = await ctx().auth.api.signInEmail({
			body: { email, password },
			returnHeaders: true
		});
		return { userId: created.user.id, client: clientWithCookies(headers) };
	}

	async function until(condition: () => boolean, withinMs: number): Promise<number> {
		const since = performance.now();
		while (!condition()) {
			if (performance.now() - since > withinMs) throw new Error(`not within ${withinMs} ms`);
			await new Promise((resolve) => setTimeout(resolve, 2));
		}
		return performance.now() - since;
	}

	it('forgets a person as soon as their sessions or details change, however they change', async () => {
		const cache = await otherInstance();
		expect(cache.on).toBe(true);
		const { userId, client } = await signedIn('sam@example.org');
		const read = () => readSessionQuickly(ctx().auth, db.db, client.headers, cache);
		expect((await read())?.user.role).toBe('member');
		expect(await accountHasPassword(db.db, userId, cache)).toBe(true);
		expect(cache.size).toBe(2);

		const timings: number[] = [];
		// A role changed by hand (or by another instance, or the CLI).
		await db.db.updateTable('app_user').set({ role: 'curator' }).where('id', '=', userId).execute();
		timings.push(await until(() => cache.size === 0, 1000));
		expect((await read())?.user.role).toBe('curator');

		// An account's password removed: the kept answer goes too.
		expect(await accountHasPassword(db.db, userId, cache)).toBe(true);
		await db.db
			.updateTable('auth_account')
			.set({ password: null })
			.where('user_id', '=', userId)
			.execute();
		timings.push(await until(() => cache.size === 0, 1000));
		expect(await accountHasPassword(db.db, userId, cache)).toBe(false);

		// Signing out everywhere, through better-auth.
		await read();
		expect(cache.size).toBeGreaterThan(0);
		await signOutEverywhere(ctx(), client, (await read())!.user);
		timings.push(await until(() => cache.size === 0, 1000));
		expect(await read()).toBeNull();
		console.log(
			`${db.dialect}: sign-in changes reached the cache in ${timings.map((t) => t.toFixed(1)).join(', ')} ms`
		);
	});

	it.runIf(db.dialect === 'postgres')(
		'on PostgreSQL, turns off while its connection is down and on again once listening',
		async () => {
			const cache = await otherInstance();
			const { client } = await signedIn('suri@example.org');
			await readSessionQuickly(ctx().auth, db.db, client.headers, cache);
			expect(cache.size).toBe(1);
			await sql`select pg_terminate_backend(pid) from pg_stat_activity
				where application_name = 'colab-sign-in' and datname = current_database()`.execute(db.db);
			await until(() => !cache.on, 2000);
			expect(cache.size).toBe(0);
			await until(() => cache.on, 5000);
		}
	);
});

describe('the session cache on SQLite, with another process writing', () => {
	it('sees a change made through another connection (the CLI) on the next read', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'colab-session-cache-'));
		const database = openDatabase({ sqlitePath: path.join(dir, 'colab.sqlite') });
		try {
			await migrateToLatest(database.db);
			const ctx = accountsFor(database);
			const cache = new SessionCache();
			const stop = await watchSignIns(database, cache);
			const created = await createUser(database.db, ctx.site, SYSTEM_ACTOR, {
				name: 'Tam',
				email: 'tam@example.org',
				role: 'member',
				password: 'a long enough password'
			});
			if (!created.ok) throw new Error('not created');
			const { headers } = await ctx.auth.api.signInEmail({
				body: { email: 'tam@example.org', password: 'a long enough password' },
				returnHeaders: true
			});
			const client = clientWithCookies(headers);
			const read = () => readSessionQuickly(ctx.auth, database.db, client.headers, cache);
			expect((await read())?.user.role).toBe('member');
			expect(cache.size).toBe(1);

			// As `npm run colab -- user:role` would: its own connection, so no temporary trigger.
			const cli = new SQLite(path.join(dir, 'colab.sqlite'));
			cli.prepare('update app_user set role = ? where id = ?').run('curator', created.user.id);
			cli.close();
			expect((await read())?.user.role).toBe('curator');
			await stop();
		} finally {
			await database.close();
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
});
