import { beforeEach, describe, expect, it } from 'vitest';
import { ForbiddenError } from '../refusals';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import { newId, nowIso } from '../ids';
import { publishedEvent } from '../events/events.testing';
import { WEEKDAYS, latestDigestSlot, nextDigestSlot, readSchedule } from './digest.schedule';
import { hashAddress } from './updates.service';
import { listTopics } from './updates.topics';
import {
	deliverDigest,
	digestOverview,
	saveDigestSchedule,
	sendDigestNow,
	sendDueDigest
} from './digest.service';

const SITE = { siteName: 'CoLab Test', origin: 'https://colab.test' };
const ZONE = 'UTC';
const DAY = 86_400_000;

describe('digest schedule', () => {
	it('finds the latest send time in the time zone, a week back when this week’s is to come', () => {
		const monday9 = readSchedule('1', '09:00');
		// Thursday 3 December 2026, 10:00 UTC: Monday 30 November's digest is the latest.
		expect(latestDigestSlot(monday9, 'UTC', '2026-12-03T10:00:00.000Z')).toEqual({
			week: '2026-11-30',
			dueAt: '2026-11-30T09:00:00.000Z'
		});
		// Monday 08:59: still last week's.
		expect(latestDigestSlot(monday9, 'UTC', '2026-11-30T08:59:00.000Z')?.week).toBe('2026-11-23');
		// In New York, Monday 09:00 is 14:00 UTC.
		expect(latestDigestSlot(monday9, 'America/New_York', '2026-11-30T14:00:00.000Z')).toEqual({
			week: '2026-11-30',
			dueAt: '2026-11-30T14:00:00.000Z'
		});
		expect(nextDigestSlot(monday9, 'UTC', '2026-12-03T10:00:00.000Z')).toBe(
			'2026-12-07T09:00:00.000Z'
		);
		// A missing hour (clocks going forward) moves on by an hour instead of failing.
		const sunday0130 = readSchedule('0', '01:30');
		expect(latestDigestSlot(sunday0130, 'Europe/London', '2027-03-28T12:00:00.000Z')?.dueAt).toBe(
			'2027-03-28T01:30:00.000Z'
		);
	});

	it('is off until a day is chosen, and ignores unreadable settings', () => {
		expect(readSchedule(undefined, undefined)).toEqual({ day: null, time: '09:00' });
		expect(readSchedule('off', '25:00')).toEqual({ day: null, time: '09:00' });
		expect(latestDigestSlot(readSchedule('off', '09:00'), 'UTC', nowIso())).toBeNull();
		expect(WEEKDAYS[readSchedule('6', '18:30').day ?? 0]).toBe('Saturday');
	});
});

describeEachDatabase('weekly digest', (ctx) => {
	let counter = 0;

	beforeEach(async () => {
		await ctx.db.deleteFrom('update_digest').execute();
		await ctx.db.deleteFrom('mail_outbox').execute();
		await ctx.db.deleteFrom('update_subscriber').execute();
		await ctx.db.deleteFrom('update_suppression').execute();
		await ctx.db.deleteFrom('post_theme').execute();
		await ctx.db.deleteFrom('post').execute();
		await ctx.db.deleteFrom('theme').execute();
		await ctx.db.deleteFrom('event').execute();
		await ctx.db.deleteFrom('instance_setting').where('key', 'like', 'updates.digest%').execute();
	});

	async function subscriber(
		topics: string[],
		status: 'subscribed' | 'unsubscribed' = 'subscribed'
	) {
		counter++;
		const email = `digest-${counter}@example.test`;
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

	async function theme(name: string) {
		const id = newId();
		await ctx.db
			.insertInto('theme')
			.values({
				id,
				slug: name.toLowerCase().replace(/\W+/g, '-'),
				name,
				description: null,
				status: 'active',
				suggested_by: null,
				created_at: nowIso()
			})
			.execute();
		return id;
	}

	async function post(
		title: string,
		options: {
			themeIds?: string[];
			status?: 'published' | 'draft';
			hidden?: boolean;
			at?: string;
		} = {}
	) {
		const id = newId();
		const now = nowIso();
		await ctx.db
			.insertInto('post')
			.values({
				id,
				slug: `${title.toLowerCase().replace(/\W+/g, '-')}-${id.slice(0, 6)}`,
				author_id: null,
				organisation_id: null,
				event_id: null,
				title,
				body: `What we learnt about **${title}**.`,
				word_count: 5,
				first_image_id: null,
				status: options.status ?? 'published',
				published_at: options.at ?? now,
				featured_at: null,
				comments_closed: 0,
				hidden_at: options.hidden ? now : null,
				version: 1,
				created_at: now,
				updated_at: now
			})
			.execute();
		if (options.themeIds?.length)
			await ctx.db
				.insertInto('post_theme')
				.values(options.themeIds.map((theme_id) => ({ post_id: id, theme_id })))
				.execute();
		return id;
	}

	/**
	 * Sets the digest to go out at midnight UTC on the weekday of tomorrow, and returns a time
	 * just after that: whatever was made today is new in that week's digest.
	 */
	async function scheduleForTomorrow() {
		const admin = await createTestUser(ctx.db, { role: 'administrator' });
		const tomorrow = new Date(Date.now() + DAY);
		const result = await saveDigestSchedule(ctx.db, admin, {
			day: String(tomorrow.getUTCDay()),
			time: '00:00'
		});
		expect(result.ok).toBe(true);
		return new Date(Date.parse(tomorrow.toISOString().slice(0, 10)) + 60_000).toISOString();
	}

	async function digests(to?: string) {
		let q = ctx.db.selectFrom('mail_outbox').selectAll().where('kind', '=', 'updates.digest');
		if (to) q = q.where('to_address', '=', to);
		return q.execute();
	}

	it('sends each person what their topics ask, with one-click unsubscribe, and only once', async () => {
		const at = await scheduleForTomorrow();
		const formats = (await listTopics(ctx.db)).filter((t) => t.key.startsWith('format:'));
		expect(formats.length).toBeGreaterThan(1);
		const { event: exchange } = await publishedEvent(ctx.db, {
			title: 'Carers <exchange>',
			format: 'exchange'
		});
		const gardens = await theme('Community gardens');
		const housing = await theme('Housing');
		await post('Seed swaps', { themeIds: [gardens] });
		await post('Rent clinics', { themeIds: [housing] });
		await post('A draft', { status: 'draft' });
		await post('A hidden one', { hidden: true });

		const everything = await subscriber(['events', 'posts']);
		const exchangeOnly = await subscriber(['format:exchange']);
		const otherFormat = await subscriber([formats.find((f) => f.key !== 'format:exchange')!.key]);
		const gardeners = await subscriber([`theme:${gardens}`]);
		const announcementsOnly = await subscriber(['announcements']);
		const gone = await subscriber(['events', 'posts'], 'unsubscribed');
		const blocked = await subscriber(['events', 'posts']);
		await ctx.db
			.insertInto('update_suppression')
			.values({ email_hash: hashAddress(blocked.email), reason: 'blocked', created_at: nowIso() })
			.execute();

		expect(await sendDueDigest(ctx.db, SITE, ZONE, at)).toEqual({ digestMails: 3 });

		const [all] = await digests(everything.email);
		expect(all?.subject).toBe('This week at CoLab Test: 1 new event and 2 new posts');
		expect(all?.text_body).toContain('Seed swaps');
		expect(all?.text_body).toContain('Rent clinics');
		expect(all?.text_body).toContain(`https://colab.test/events/${exchange.id}`);
		expect(all?.text_body).not.toContain('A draft');
		expect(all?.text_body).not.toContain('A hidden one');
		expect(all?.html_body).toContain('Carers &lt;exchange&gt;');
		expect(all?.html_body).not.toContain('<exchange>');
		expect(all?.html_body).toContain('<h2');
		const headers = JSON.parse(all?.headers ?? '{}') as Record<string, string>;
		expect(headers['List-Unsubscribe']).toMatch(/^<https:\/\/colab\.test\/updates\/unsubscribe\//);
		expect(headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
		expect(all?.text_body).toContain('https://colab.test/updates/preferences/');

		const [formatMail] = await digests(exchangeOnly.email);
		expect(formatMail?.subject).toBe('This week at CoLab Test: 1 new event');
		expect(formatMail?.text_body).not.toContain('Seed swaps');
		const [gardenMail] = await digests(gardeners.email);
		expect(gardenMail?.subject).toBe('This week at CoLab Test: 1 new post');
		expect(gardenMail?.text_body).toContain('Seed swaps');
		expect(gardenMail?.text_body).not.toContain('Rent clinics');
		expect(gardenMail?.text_body).not.toContain('Carers');
		// Nothing new in their topics, not theirs to get, or never to be mailed: no digest.
		for (const nobody of [otherFormat, announcementsOnly, gone, blocked])
			expect(await digests(nobody.email)).toHaveLength(0);

		// Again, later the same week, from any instance: nothing more.
		expect(await sendDueDigest(ctx.db, SITE, ZONE, at)).toEqual({ digestMails: 0 });
		expect(
			await sendDueDigest(ctx.db, SITE, ZONE, new Date(Date.parse(at) + 3 * DAY).toISOString())
		).toEqual({ digestMails: 0 });
		expect(await digests()).toHaveLength(3);
		const run = await ctx.db.selectFrom('update_digest').selectAll().executeTakeFirstOrThrow();
		expect(run.status).toBe('sent');
		expect(Number(run.recipients)).toBe(3);
	});

	it('sends nothing when nothing is new, and nothing before its time or when it is off', async () => {
		await subscriber(['events', 'posts']);
		// Off (the default): nothing, even with news.
		await publishedEvent(ctx.db);
		expect(await sendDueDigest(ctx.db, SITE, ZONE, nowIso())).toEqual({ digestMails: 0 });
		await ctx.db.deleteFrom('event').execute();
		const at = await scheduleForTomorrow();
		// Before the send time: nothing.
		expect(
			await sendDueDigest(ctx.db, SITE, ZONE, new Date(Date.parse(at) - 2 * 60_000).toISOString())
		).toEqual({ digestMails: 0 });
		// An event that happened already and a post published before the week are not news.
		await post('Last month', { at: new Date(Date.now() - 20 * DAY).toISOString() });
		expect(await sendDueDigest(ctx.db, SITE, ZONE, at)).toEqual({ digestMails: 0 });
		expect(await digests()).toHaveLength(0);
		const run = await ctx.db.selectFrom('update_digest').selectAll().executeTakeFirstOrThrow();
		expect(run.status).toBe('sent');
	});

	it('lets only administrators set the schedule or send it now; bad input is explained', async () => {
		const member = await createTestUser(ctx.db, { role: 'member' });
		const curator = await createTestUser(ctx.db, { role: 'curator' });
		for (const who of [member, curator, null]) {
			await expect(
				saveDigestSchedule(ctx.db, who, { day: '1', time: '09:00' })
			).rejects.toBeInstanceOf(ForbiddenError);
			await expect(sendDigestNow(ctx.db, who, SITE, ZONE)).rejects.toBeInstanceOf(ForbiddenError);
			await expect(digestOverview(ctx.db, who, ZONE)).rejects.toBeInstanceOf(ForbiddenError);
		}
		const admin = await createTestUser(ctx.db, { role: 'administrator' });
		const bad = await saveDigestSchedule(ctx.db, admin, { day: 'Funday', time: '9pm' });
		expect(bad).toEqual({
			ok: false,
			errors: {
				digest_day: 'Choose a day, or "Do not send it"',
				digest_time: 'Enter a time like 09:00 or 17:30 (24-hour clock)'
			}
		});
		expect((await digestOverview(ctx.db, admin, ZONE)).schedule.day).toBeNull();
		expect(await saveDigestSchedule(ctx.db, admin, { day: '3', time: '7:30' })).toEqual({
			ok: true
		});
		const overview = await digestOverview(ctx.db, admin, ZONE);
		expect(overview.schedule).toEqual({ day: 3, time: '07:30' });
		expect(overview.next).toMatch(/T07:30:00\.000Z$/);
	});

	it('sends now on an administrator’s word, once, and the usual time then finds it done', async () => {
		const admin = await createTestUser(ctx.db, { role: 'administrator' });
		const reader = await subscriber(['events']);
		await publishedEvent(ctx.db, { title: 'Sent early' });
		const first = await sendDigestNow(ctx.db, admin, SITE, ZONE);
		expect(first).toMatchObject({ ok: true, mails: 1 });
		expect(await sendDigestNow(ctx.db, admin, SITE, ZONE)).toMatchObject({
			ok: false,
			reason: 'already-sent'
		});
		expect(await digests(reader.email)).toHaveLength(1);
	});

	it('goes on from where a stopped sender got to, and never mails anyone twice', async () => {
		const at = await scheduleForTomorrow();
		await publishedEvent(ctx.db);
		const readers = [];
		for (let i = 0; i < 23; i++) readers.push(await subscriber(['events']));
		// The first sender stops (its instance died) after two batches of five.
		await expect(
			sendDueDigest(ctx.db, SITE, ZONE, at, {
				batch: 5,
				afterBatch: (done) => {
					if (done >= 10) throw new Error('instance stopped');
				}
			})
		).rejects.toThrow('instance stopped');
		expect(await digests()).toHaveLength(10);
		const week = (await ctx.db.selectFrom('update_digest').select('week').executeTakeFirstOrThrow())
			.week;
		// Soon after, another instance finds the claim still fresh and leaves it.
		expect(await deliverDigest(ctx.db, SITE, ZONE, week, at, { batch: 5 })).toBe(0);
		// As if the cursor had been lost: the delivery rows alone keep anyone from a second mail.
		await ctx.db.updateTable('update_digest').set({ cursor: null }).execute();
		const later = new Date(Date.parse(at) + 11 * 60_000).toISOString();
		expect(await sendDueDigest(ctx.db, SITE, ZONE, later, { batch: 5 })).toEqual({
			digestMails: 13
		});
		const to = (await digests()).map((m) => m.to_address);
		expect(to).toHaveLength(23);
		expect(new Set(to).size).toBe(23);
		expect(new Set(to)).toEqual(new Set(readers.map((r) => r.email)));
	});
});
