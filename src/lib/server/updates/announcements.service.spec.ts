import { expect, it } from 'vitest';
import { ForbiddenError } from '../refusals';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import { newId, nowIso } from '../ids';
import { hashAddress } from './updates.service';
import { listTopics } from './updates.topics';
import { updateAnnouncement as personalData } from './announcements.personal-data';
import {
	checkAnnouncement,
	deliverAnnouncement,
	findArchived,
	listArchive,
	previewAnnouncement,
	sendAnnouncement,
	sendDueAnnouncements,
	sendTestAnnouncement
} from './announcements.service';
import type { AnnouncementInput } from './announcements.schema';

const SITE = { siteName: 'CoLab Test', origin: 'https://colab.test' };
const ZONE = 'Europe/London';
let counter = 0;

function input(overrides: Partial<AnnouncementInput> = {}): AnnouncementInput {
	return {
		draft: newId(),
		title: 'Spring gathering <soon>',
		body: 'Join us **on 1 March**. [Details](https://colab.test/events)\n\n<script>alert(1)</script>',
		topics: ['announcements'],
		when: 'now',
		sendAt: '',
		...overrides
	};
}

describeEachDatabase('announcements', (ctx) => {
	/** A confirmed subscriber, put straight in the database. */
	async function subscriber(
		topics: string[],
		status: 'subscribed' | 'unsubscribed' = 'subscribed'
	) {
		counter++;
		const email = `ann-${counter}-${Math.random().toString(36).slice(2, 8)}@example.test`;
		const id = newId();
		const now = nowIso();
		await ctx.db
			.insertInto('update_subscriber')
			.values({
				id,
				email,
				email_hash: hashAddress(email),
				status,
				pending_topics: null,
				confirm_token_hash: null,
				confirm_expires_at: null,
				consented_at: now,
				consent_method: 'form',
				created_at: now,
				updated_at: now
			})
			.execute();
		if (topics.length)
			await ctx.db
				.insertInto('update_subscriber_topic')
				.values(topics.map((topic) => ({ subscriber_id: id, topic })))
				.execute();
		return { id, email };
	}

	async function mailsOfKind(kind: string, to?: string) {
		let q = ctx.db.selectFrom('mail_outbox').selectAll().where('kind', '=', kind);
		if (to) q = q.where('to_address', '=', to);
		return q.execute();
	}

	async function checked(i: AnnouncementInput, now = nowIso()) {
		const result = await checkAnnouncement(ctx.db, i, ZONE, now);
		if (!result.ok) throw new Error(JSON.stringify(result.errors));
		return result;
	}

	it('refuses members and visitors, and lets curators and administrators through', async () => {
		const member = await createTestUser(ctx.db, { role: 'member' });
		const i = input();
		const c = await checked(i);
		await expect(sendAnnouncement(ctx.db, member, SITE, i, c)).rejects.toBeInstanceOf(
			ForbiddenError
		);
		await expect(sendAnnouncement(ctx.db, null, SITE, i, c)).rejects.toBeInstanceOf(ForbiddenError);
		expect(() => previewAnnouncement(member, SITE, i, c.topics)).toThrow(ForbiddenError);
		await expect(sendTestAnnouncement(ctx.db, undefined, SITE, i, c.topics)).rejects.toBeInstanceOf(
			ForbiddenError
		);
		expect(await findArchived(ctx.db, i.draft)).toBeUndefined();
		const admin = await createTestUser(ctx.db, { role: 'administrator' });
		expect((await sendAnnouncement(ctx.db, admin, SITE, i, c)).ok).toBe(true);
	});

	it('previews the email as it is sent: sanitised HTML and plain text', async () => {
		const curator = await createTestUser(ctx.db, { role: 'curator' });
		const i = input();
		const preview = previewAnnouncement(curator, SITE, i, (await checked(i)).topics);
		expect(preview.subject).toBe('Spring gathering <soon>');
		expect(preview.html).toContain('<strong>on 1 March</strong>');
		expect(preview.html).toContain('Spring gathering &lt;soon&gt;');
		expect(preview.html).not.toContain('<script>');
		expect(preview.text).toContain('Join us on 1 March');
		expect(preview.text).toContain(`https://colab.test/updates/archive/${i.draft}`);
	});

	it('sends a test to the curator only', async () => {
		const curator = await createTestUser(ctx.db, { role: 'curator' });
		await subscriber(['announcements']);
		const i = input();
		await sendTestAnnouncement(ctx.db, curator, SITE, i, (await checked(i)).topics);
		const tests = await mailsOfKind('updates.announcement-test');
		expect(tests.map((m) => m.to_address)).toEqual([curator.email]);
		expect(tests[0]?.subject).toBe('Test: Spring gathering <soon>');
		expect(await mailsOfKind('updates.announcement')).toHaveLength(0);
	});

	it('checks topics and the send time', async () => {
		const now = '2027-01-10T12:00:00.000Z';
		const past = await checkAnnouncement(
			ctx.db,
			input({ when: 'later', sendAt: '2027-01-10T11:00' }),
			ZONE,
			now
		);
		expect(past).toEqual({
			ok: false,
			errors: { sendAt: 'The send time must be in the future' }
		});
		const missing = await checkAnnouncement(
			ctx.db,
			input({ when: 'later', sendAt: '', topics: ['nonsense'] }),
			ZONE,
			now
		);
		expect(missing.ok ? {} : Object.keys(missing.errors).sort()).toEqual(['sendAt', 'topics']);
		const fine = await checkAnnouncement(
			ctx.db,
			input({ when: 'later', sendAt: '2027-01-11T09:30' }),
			ZONE,
			now
		);
		expect(fine.ok && fine.sendAt).toBe('2027-01-11T09:30:00.000Z');
	});

	it('sends exactly once to subscribers of the chosen topics, never to suppressed or unsubscribed addresses', async () => {
		const curator = await createTestUser(ctx.db, { role: 'curator' });
		const offered = (await listTopics(ctx.db)).map((t) => t.key);
		expect(offered).toContain('events');
		const readers = await Promise.all([1, 2, 3, 4, 5].map(() => subscriber(['events'])));
		const other = await subscriber(['announcements']);
		const gone = await subscriber(['events'], 'unsubscribed');
		const suppressed = await subscriber(['events']);
		await ctx.db
			.insertInto('update_suppression')
			.values({
				email_hash: hashAddress(suppressed.email),
				reason: 'blocked',
				created_at: nowIso()
			})
			.execute();
		const i = input({ topics: ['events'] });
		const c = await checked(i);
		const version = async () =>
			(
				await ctx.db
					.selectFrom('content_version')
					.select('version')
					.where('id', '=', 1)
					.executeTakeFirstOrThrow()
			).version;
		const before = await version();
		// A double press: the same form sent twice at once.
		const results = await Promise.all([
			sendAnnouncement(ctx.db, curator, SITE, i, c),
			sendAnnouncement(ctx.db, curator, SITE, i, c)
		]);
		expect(results.filter((r) => r.ok)).toHaveLength(1);
		expect(results.find((r) => !r.ok)).toEqual({ ok: false, reason: 'already-sent', id: i.draft });
		// A second sender (another instance) finds nothing left to do.
		expect(await deliverAnnouncement(ctx.db, SITE, i.draft)).toBe(0);

		const mails = await ctx.db
			.selectFrom('mail_outbox')
			.selectAll()
			.where('kind', '=', 'updates.announcement')
			.where('subject', '=', i.title)
			.execute();
		const to = mails.map((m) => m.to_address).sort();
		for (const r of readers) expect(to.filter((t) => t === r.email)).toHaveLength(1);
		expect(to).not.toContain(other.email);
		expect(to).not.toContain(gone.email);
		expect(to).not.toContain(suppressed.email);
		for (const m of mails) {
			const headers = JSON.parse(m.headers ?? '{}') as Record<string, string>;
			expect(headers['List-Unsubscribe']).toMatch(
				/^<https:\/\/colab\.test\/updates\/unsubscribe\//
			);
			expect(headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
			expect(m.text_body).toContain('https://colab.test/updates/preferences/');
			expect(m.html_body).toContain('<strong>on 1 March</strong>');
			expect(m.kept_subject).toBe(i.title);
		}
		// Each mail has its own private link.
		expect(new Set(mails.map((m) => m.headers)).size).toBe(mails.length);
		const archived = await findArchived(ctx.db, i.draft);
		expect(archived?.title).toBe(i.title);
		// The public archive changed, so cached pages are dropped.
		expect(Number(await version())).toBeGreaterThan(Number(before));
	});

	it('goes out in batches without missing anyone', async () => {
		const curator = await createTestUser(ctx.db, { role: 'curator' });
		const readers = await Promise.all(
			Array.from({ length: 7 }, () => subscriber(['announcements']))
		);
		const i = input();
		const c = await checked(i);
		// Saved for later, then sent by a sender taking 2 at a time.
		const later = new Date(Date.now() + 60_000).toISOString();
		const saved = await sendAnnouncement(ctx.db, curator, SITE, i, { ...c, sendAt: later });
		expect(saved).toMatchObject({ ok: true, scheduled: true });
		expect(await deliverAnnouncement(ctx.db, SITE, i.draft, nowIso(), 2)).toBe(0);
		const count = await deliverAnnouncement(
			ctx.db,
			SITE,
			i.draft,
			new Date(Date.now() + 120_000).toISOString(),
			2
		);
		expect(count).toBeGreaterThanOrEqual(readers.length);
		const to = (await mailsOfKind('updates.announcement')).map((m) => m.to_address);
		for (const r of readers) expect(to.filter((t) => t === r.email)).toHaveLength(1);
	});

	it('the worker sends scheduled announcements when their time comes, once', async () => {
		const curator = await createTestUser(ctx.db, { role: 'curator' });
		const reader = await subscriber(['announcements']);
		const now = nowIso();
		const i = input({ when: 'later', sendAt: '2099-01-01T10:00', title: 'Later news' });
		const c = await checked(i, now);
		const saved = await sendAnnouncement(ctx.db, curator, SITE, i, c, now);
		expect(saved).toMatchObject({ ok: true, scheduled: true });
		await sendDueAnnouncements(ctx.db, SITE, now);
		expect(await mailsOfKind('updates.announcement', reader.email)).toHaveLength(0);
		expect(await findArchived(ctx.db, i.draft)).toBeUndefined();

		const due = '2099-01-01T10:00:30.000Z';
		const [first, second] = await Promise.all([
			sendDueAnnouncements(ctx.db, SITE, due),
			sendDueAnnouncements(ctx.db, SITE, due)
		]);
		expect(first.announcementMails + second.announcementMails).toBeGreaterThanOrEqual(1);
		const got = (await mailsOfKind('updates.announcement', reader.email)).filter(
			(m) => m.subject === 'Later news'
		);
		expect(got).toHaveLength(1);
		expect((await findArchived(ctx.db, i.draft))?.title).toBe('Later news');
	});

	it('lists the archive newest first, a page at a time', async () => {
		const curator = await createTestUser(ctx.db, { role: 'curator' });
		const before = await listArchive(ctx.db, 1, 2);
		const a = input({ title: 'Archive first' });
		await sendAnnouncement(ctx.db, curator, SITE, a, await checked(a));
		await new Promise((r) => setTimeout(r, 5));
		const b = input({ title: 'Archive second' });
		await sendAnnouncement(ctx.db, curator, SITE, b, await checked(b));
		const page = await listArchive(ctx.db, 1, 2);
		expect(page.total).toBe(before.total + 2);
		expect(page.items.map((x) => x.title)).toEqual(['Archive second', 'Archive first']);
		expect(page.totalPages).toBe(Math.ceil(page.total / 2));
	});

	it('keeps announcements without the writer when their account goes', async () => {
		const curator = await createTestUser(ctx.db, { role: 'curator' });
		const i = input({ title: 'Kept news' });
		await sendAnnouncement(ctx.db, curator, SITE, i, await checked(i));
		const exported = (await personalData.export!(ctx.db, { ...curator })) as Array<{
			title: string;
		}>;
		expect(exported.map((x) => x.title)).toEqual(['Kept news']);
		await ctx.db.transaction().execute((trx) =>
			personalData.erase(trx, {
				person: curator,
				contributions: 'keep-as-former-member',
				site: SITE,
				afterCommit: []
			})
		);
		const row = await ctx.db
			.selectFrom('update_announcement')
			.select('created_by')
			.where('id', '=', i.draft)
			.executeTakeFirstOrThrow();
		expect(row.created_by).toBeNull();
		expect((await findArchived(ctx.db, i.draft))?.title).toBe('Kept news');
	});
});
