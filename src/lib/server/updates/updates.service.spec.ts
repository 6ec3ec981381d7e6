import { expect, it } from 'vitest';
import { sql } from 'kysely';
import { ForbiddenError } from '../refusals';
import { SYSTEM_ACTOR } from '../auth/auth.permissions';
import { mailTo } from '../auth/auth.testing';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import { listFormats } from '../events/events.service';
import { updateSubscriber as personalData } from './updates.personal-data';
import {
	UPDATES_RATE_LIMITS,
	blockAddress,
	changeTopicsByLink,
	chooseMemberTopics,
	confirmUpdates,
	hashAddress,
	hashUpdatesToken,
	listUpdateRecipients,
	mayMailUpdates,
	pruneUpdates,
	removeAddressByLink,
	signUpForUpdates,
	stopMemberUpdates,
	unsubscribeByLink,
	viewConfirmation,
	viewMemberUpdates,
	viewPreferences
} from './updates.service';
import { listTopics } from './updates.topics';
import { seedUpdates } from './updates.demo';

const SITE = { siteName: 'CoLab Test', origin: 'https://colab.test' };
const DAY = 24 * 60 * 60 * 1000;
let counter = 0;

function address() {
	counter++;
	return `reader-${counter}-${Math.random().toString(36).slice(2, 8)}@example.test`;
}

/** A different client address each time, so the per-client limit stays out of the way. */
function ip() {
	return `198.51.100.${counter % 250}`;
}

function linkToken(text: string, path: string): string {
	const match = new RegExp(`https://colab\\.test${path}([A-Za-z0-9_-]+)`).exec(text);
	if (!match?.[1]) throw new Error(`no ${path} link in:\n${text}`);
	return match[1];
}

describeEachDatabase('email updates', (ctx) => {
	async function signUp(email: string, topics = ['events'], now = new Date()) {
		const result = await signUpForUpdates(ctx.db, SITE, { email, topics }, ip(), now);
		expect(result).toEqual({ ok: true });
		const mails = await mailTo(ctx.db, email);
		return { mails, token: linkToken(mails.at(-1)!.text_body, '/updates/confirm/') };
	}

	/** Signs up and confirms; returns the preferences token and the welcome mail. */
	async function subscribe(email: string, topics = ['events']) {
		const { token } = await signUp(email, topics);
		const confirmed = await confirmUpdates(ctx.db, SITE, token);
		if (!confirmed.ok) throw new Error(confirmed.reason);
		const welcome = (await mailTo(ctx.db, email)).find((m) => m.kind === 'updates.welcome')!;
		return { preferences: confirmed.token, welcome };
	}

	async function dumpTables(): Promise<string> {
		const rows = await Promise.all(
			['update_subscriber', 'update_subscriber_topic', 'update_link', 'update_suppression'].map(
				(t) => sql`select * from ${sql.table(t)}`.execute(ctx.db)
			)
		);
		return JSON.stringify(rows.map((r) => r.rows));
	}

	it('offers new events, new posts, announcements and each event format as topics', async () => {
		const topics = await listTopics(ctx.db);
		const formats = await listFormats(ctx.db);
		expect(formats.length).toBeGreaterThan(0);
		expect(topics.map((t) => t.key)).toEqual([
			'events',
			'posts',
			'announcements',
			...formats.map((f) => `format:${f.id}`)
		]);
	});

	it('double opt-in: a sign-up changes nothing until the POST confirms it', async () => {
		const email = address();
		const { mails, token } = await signUp(email, ['events', 'announcements']);
		expect(mails).toHaveLength(1);
		expect(mails[0]).toMatchObject({ kind: 'updates.confirm', user_id: null });
		expect(await mayMailUpdates(ctx.db, email)).toBe(false);

		// Opening the link (a mail scanner does) only shows what it would confirm.
		const view = await viewConfirmation(ctx.db, token);
		expect(view).toMatchObject({ ok: true, email });
		expect(await viewConfirmation(ctx.db, token)).toMatchObject({ ok: true });
		expect(await mayMailUpdates(ctx.db, email)).toBe(false);

		const confirmed = await confirmUpdates(ctx.db, SITE, token);
		expect(confirmed.ok).toBe(true);
		expect(await mayMailUpdates(ctx.db, email)).toBe(true);
		const preferences = await viewPreferences(ctx.db, confirmed.ok ? confirmed.token : '');
		expect(preferences).toMatchObject({
			email,
			status: 'subscribed',
			topics: ['announcements', 'events'],
			suppressed: null
		});

		// Used twice: refused, and nothing is sent twice.
		expect(await confirmUpdates(ctx.db, SITE, token)).toEqual({ ok: false, reason: 'not-found' });
		expect(await viewConfirmation(ctx.db, token)).toEqual({ ok: false, reason: 'not-found' });
		const all = await mailTo(ctx.db, email);
		expect(all.filter((m) => m.kind === 'updates.welcome')).toHaveLength(1);
	});

	it('stores only hashes of link secrets, and no address on the suppression list', async () => {
		const email = address();
		const { token } = await signUp(email);
		let dump = await dumpTables();
		expect(dump).not.toContain(token);
		expect(dump).toContain(hashUpdatesToken(token));

		const { preferences, welcome } = await subscribe(address());
		const unsubscribeToken = linkToken(welcome.text_body, '/updates/unsubscribe/');
		await unsubscribeByLink(ctx.db, unsubscribeToken);
		dump = await dumpTables();
		for (const secret of [preferences, unsubscribeToken]) expect(dump).not.toContain(secret);
		const suppressed = await ctx.db.selectFrom('update_suppression').selectAll().execute();
		expect(JSON.stringify(suppressed)).not.toContain('@');
	});

	it('refuses altered, unknown and hostile links without a 500', async () => {
		const { token } = await signUp(address());
		const altered = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
		for (const bad of [altered, 'nope', '../../etc/passwd', 'a'.repeat(5000), "x' or 1=1 --"]) {
			expect(await viewConfirmation(ctx.db, bad)).toEqual({ ok: false, reason: 'not-found' });
			expect(await confirmUpdates(ctx.db, SITE, bad)).toEqual({ ok: false, reason: 'not-found' });
			expect(await viewPreferences(ctx.db, bad)).toBeUndefined();
			expect(await unsubscribeByLink(ctx.db, bad)).toEqual({ ok: false, reason: 'not-found' });
		}
	});

	it('unconfirmed sign-ups expire after 7 days and are then forgotten', async () => {
		const email = address();
		const start = new Date('2026-12-01T09:00:00.000Z');
		const { token } = await signUp(email, ['events'], start);
		const after = new Date(start.getTime() + 7 * DAY + 60_000).toISOString();
		expect(await viewConfirmation(ctx.db, token, after)).toEqual({ ok: false, reason: 'expired' });
		expect(await confirmUpdates(ctx.db, SITE, token, after)).toEqual({
			ok: false,
			reason: 'expired'
		});
		const before = new Date(start.getTime() + 6 * DAY).toISOString();
		await pruneUpdates(ctx.db, before);
		expect(
			await ctx.db.selectFrom('update_subscriber').where('email', '=', email).select('id').execute()
		).toHaveLength(1);
		const pruned = await pruneUpdates(ctx.db, after);
		expect(pruned.expiredSignUps).toBeGreaterThanOrEqual(1);
		expect(
			await ctx.db.selectFrom('update_subscriber').where('email', '=', email).select('id').execute()
		).toHaveLength(0);
	});

	it('answers the same for a signed-up address, and changes nothing until confirmed', async () => {
		const email = address();
		const { preferences } = await subscribe(email, ['events']);
		// Someone else types the same address with other topics: same answer, topics kept.
		const { token } = await signUp(email, ['announcements']);
		expect((await viewPreferences(ctx.db, preferences))?.topics).toEqual(['events']);
		// Only the owner of the inbox can make the change.
		expect((await confirmUpdates(ctx.db, SITE, token)).ok).toBe(true);
		expect((await viewPreferences(ctx.db, preferences))?.topics).toEqual(['announcements']);
	});

	it('does not flood an inbox: past the limit, the same answer and no mail', async () => {
		const email = address();
		for (let i = 0; i < UPDATES_RATE_LIMITS.email.limit + 2; i++) {
			expect(
				await signUpForUpdates(ctx.db, SITE, { email, topics: ['events'] }, `203.0.113.${i}`)
			).toEqual({ ok: true });
		}
		expect(await mailTo(ctx.db, email)).toHaveLength(UPDATES_RATE_LIMITS.email.limit);
	});

	it('limits one client trying many addresses', async () => {
		let last;
		for (let i = 0; i <= UPDATES_RATE_LIMITS.ip.limit; i++) {
			last = await signUpForUpdates(
				ctx.db,
				SITE,
				{ email: address(), topics: ['events'] },
				'192.0.2.77'
			);
		}
		expect(last).toMatchObject({ ok: false, reason: 'rate-limited' });
	});

	it('refuses topics that are not offered', async () => {
		expect(
			await signUpForUpdates(ctx.db, SITE, { email: address(), topics: ['format:nope'] }, ip())
		).toMatchObject({ ok: false, reason: 'invalid', errors: { topics: expect.any(String) } });
	});

	it('one-click unsubscribe suppresses the address; a fresh double opt-in lifts it', async () => {
		const email = address();
		const { preferences, welcome } = await subscribe(email);
		const unsubscribe = linkToken(welcome.text_body, '/updates/unsubscribe/');
		expect(await unsubscribeByLink(ctx.db, unsubscribe)).toEqual({
			ok: true,
			already: false,
			email
		});
		expect(await unsubscribeByLink(ctx.db, unsubscribe)).toMatchObject({ ok: true, already: true });
		expect(await mayMailUpdates(ctx.db, email)).toBe(false);
		expect(await viewPreferences(ctx.db, preferences)).toMatchObject({
			status: 'unsubscribed',
			topics: [],
			suppressed: 'unsubscribed'
		});
		// Choosing topics again from an old mail's link is not a fresh opt-in.
		expect(await changeTopicsByLink(ctx.db, preferences, { topics: ['events'] })).toEqual({
			ok: false,
			reason: 'unsubscribed'
		});
		// Even if the row came back (an import, say), the suppression list wins.
		await ctx.db
			.updateTable('update_subscriber')
			.set({ status: 'subscribed' })
			.where('email', '=', email)
			.execute();
		expect(await mayMailUpdates(ctx.db, email)).toBe(false);

		await subscribe(email, ['announcements']);
		expect(await mayMailUpdates(ctx.db, email)).toBe(true);
	});

	it('an administrator’s block is never lifted by the form or the account', async () => {
		const member = await createTestUser(ctx.db);
		await expect(blockAddress(ctx.db, member, member.email)).rejects.toThrow(ForbiddenError);
		const admin = await createTestUser(ctx.db, { role: 'administrator' });
		await blockAddress(ctx.db, admin, member.email);

		expect(
			await signUpForUpdates(ctx.db, SITE, { email: member.email, topics: ['events'] }, ip())
		).toEqual({ ok: true });
		expect(await mailTo(ctx.db, member.email)).toHaveLength(0);
		expect(await chooseMemberTopics(ctx.db, member, member.email, { topics: ['events'] })).toEqual({
			ok: false,
			reason: 'blocked'
		});
		expect(await mayMailUpdates(ctx.db, member.email)).toBe(false);
		expect(
			await ctx.db
				.selectFrom('update_suppression')
				.select('reason')
				.where('email_hash', '=', hashAddress(member.email))
				.executeTakeFirst()
		).toEqual({ reason: 'blocked' });
	});

	it('members manage the same subscription from their account, found by their address', async () => {
		const email = address();
		await subscribe(email, ['events']);
		const member = await createTestUser(ctx.db, { email });
		expect(await viewMemberUpdates(ctx.db, member, member.email)).toMatchObject({
			status: 'subscribed',
			topics: ['events']
		});
		expect(
			await chooseMemberTopics(ctx.db, member, member.email, { topics: ['announcements'] })
		).toEqual({ ok: true });
		expect((await viewMemberUpdates(ctx.db, member, email)).topics).toEqual(['announcements']);
		await stopMemberUpdates(ctx.db, member, email);
		expect(await mayMailUpdates(ctx.db, email)).toBe(false);
		// Choosing again from a confirmed account is a fresh choice: it lifts "unsubscribed".
		expect(await chooseMemberTopics(ctx.db, member, email, { topics: ['events'] })).toEqual({
			ok: true
		});
		expect(await mayMailUpdates(ctx.db, email)).toBe(true);
	});

	it('refuses the wrong person on the account page', async () => {
		const owner = await createTestUser(ctx.db);
		const other = await createTestUser(ctx.db);
		const unconfirmed = await createTestUser(ctx.db, { emailVerified: false });
		await expect(viewMemberUpdates(ctx.db, other, owner.email)).rejects.toThrow(ForbiddenError);
		await expect(viewMemberUpdates(ctx.db, null, owner.email)).rejects.toThrow(ForbiddenError);
		await expect(
			chooseMemberTopics(ctx.db, other, owner.email, { topics: ['events'] })
		).rejects.toThrow(ForbiddenError);
		await expect(stopMemberUpdates(ctx.db, SYSTEM_ACTOR, owner.email)).rejects.toThrow(
			ForbiddenError
		);
		await expect(
			chooseMemberTopics(ctx.db, unconfirmed, unconfirmed.email, { topics: ['events'] })
		).rejects.toThrow(ForbiddenError);
		expect(await mayMailUpdates(ctx.db, owner.email)).toBe(false);
	});

	it('removing an address forgets it but keeps it off the list', async () => {
		const email = address();
		const { preferences } = await subscribe(email);
		expect(await removeAddressByLink(ctx.db, preferences)).toEqual({ ok: true });
		expect(await viewPreferences(ctx.db, preferences)).toBeUndefined();
		expect(await dumpTables()).not.toContain(email);
		expect(await removeAddressByLink(ctx.db, preferences)).toEqual({
			ok: false,
			reason: 'not-found'
		});
	});

	it('is in "download my data" and goes with "delete my account"', async () => {
		const email = address();
		await subscribe(email, ['events', 'announcements']);
		const member = await createTestUser(ctx.db, { email });
		const person = { id: member.id, name: member.name, email };
		expect(await personalData.export!(ctx.db, person)).toMatchObject({
			email,
			status: 'subscribed',
			consent_method: 'form',
			topics: ['announcements', 'events']
		});
		const erased = await ctx.db
			.transaction()
			.execute((trx) =>
				personalData.erase(trx, { person, contributions: 'remove', site: SITE, afterCommit: [] })
			);
		expect(erased).toBe(1);
		expect(await personalData.export!(ctx.db, person)).toBeNull();
		expect(await mayMailUpdates(ctx.db, email)).toBe(false);
	});

	it('seeds demo subscribers on several topics, and can run twice', async () => {
		const people = [{ email: 'demo-a@example.test' }, { email: 'demo-b@example.test' }];
		await seedUpdates(ctx.db, people);
		await seedUpdates(ctx.db, people);
		expect(await mayMailUpdates(ctx.db, 'reader.one@demo.colab.example')).toBe(true);
		expect(await mayMailUpdates(ctx.db, 'demo-a@example.test')).toBe(true);
		const topics = await ctx.db
			.selectFrom('update_subscriber_topic as t')
			.innerJoin('update_subscriber as s', 's.id', 't.subscriber_id')
			.where('s.email', 'like', '%@demo.colab.example')
			.select('t.topic')
			.distinct()
			.execute();
		expect(topics.map((t) => t.topic).sort()).toEqual([
			'announcements',
			'events',
			'format:knowledge-cafe'
		]);
	});

	it('lists the people to mail about a topic, a page at a time, never a suppressed one', async () => {
		const topic = 'format:knowledge-cafe';
		const emails = [address(), address(), address(), address(), address()];
		for (const email of emails) await subscribe(email, [topic]);
		const admin = await createTestUser(ctx.db, { role: 'administrator' });
		await blockAddress(ctx.db, admin, emails[1]!);
		// Re-imported as subscribed (as a later import might): the suppression list still wins.
		await ctx.db
			.updateTable('update_subscriber')
			.set({ status: 'subscribed' })
			.where('email', '=', emails[1]!)
			.execute();
		await replaceTopics(emails[1]!, [topic]);

		const seen: string[] = [];
		let after: string | undefined;
		for (;;) {
			const page = await listUpdateRecipients(ctx.db, [topic, 'nothing-else'], { after, limit: 2 });
			if (!page.length) break;
			seen.push(...page.map((r) => r.email));
			after = page.at(-1)!.id;
		}
		const mine = seen.filter((e) => emails.includes(e));
		expect(mine.sort()).toEqual(emails.filter((_, i) => i !== 1).sort());
		expect(new Set(seen).size).toBe(seen.length);
		expect(await listUpdateRecipients(ctx.db, [], { limit: 10 })).toEqual([]);
	});

	async function replaceTopics(email: string, topics: string[]) {
		const row = await ctx.db
			.selectFrom('update_subscriber')
			.select('id')
			.where('email', '=', email)
			.executeTakeFirstOrThrow();
		await ctx.db
			.insertInto('update_subscriber_topic')
			.values(topics.map((topic) => ({ subscriber_id: row.id, topic })))
			.execute();
	}
});
