import { expect, it } from 'vitest';
import { ForbiddenError } from '../refusals';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import type { SessionUser } from '../auth/auth.types';
import { TEST_SITE, eventValues, publishedEvent, testMember } from '../events/events.testing';
import { cancelEvent, updateEvent } from '../events/events.service';
import { registerMember } from '../events/registrations.service';
import { decideTalk, offerTalk } from '../events/talks.service';
import { createOrganisation, inviteToOrganisation } from '../organisations/organisations.service';
import { inviteCoOwner } from '../assessments/co-owners.service';
import {
	testAssessment,
	TEST_SITE as ASSESSMENTS_SITE,
	NOW
} from '../assessments/assessments.testing';
import {
	countUnread,
	markAllRead,
	notify,
	saveNotificationSettings,
	sendDailySummaries,
	setNotificationsSite,
	summaryMoment,
	viewNotificationSettings,
	viewNotifications,
	type NotifyInput
} from './notifications.service';
import { KIND_KEYS } from './notifications.kinds';
import { seedNotifications } from './notifications.demo';
import {
	notification,
	notificationPreference,
	notificationSetting
} from './notifications.personal-data';

const SITE = { siteName: 'CoLab Test', origin: 'https://colab.test' };
setNotificationsSite(SITE);

let subjects = 0;
function reply(recipient: SessionUser, overrides: Partial<NotifyInput> = {}): NotifyInput {
	subjects++;
	return {
		recipientId: recipient.id,
		kind: 'comment-reply',
		subjectKey: `comment:${subjects}`,
		title: `Sam replied to your comment on “Planning day ${subjects}”`,
		url: `/posts/planning-day-${subjects}`,
		...overrides
	};
}

describeEachDatabase('notifications', (ctx) => {
	async function rows(recipientId: string) {
		return ctx.db
			.selectFrom('notification')
			.selectAll()
			.where('recipient_id', '=', recipientId)
			.orderBy('created_at')
			.execute();
	}
	async function mailsTo(email: string) {
		return ctx.db
			.selectFrom('mail_outbox')
			.selectAll()
			.where('to_address', '=', email)
			.orderBy('created_at')
			.execute();
	}
	async function choose(
		member: SessionUser,
		frequency: 'immediate' | 'daily',
		change: { siteOff?: string[]; emailOn?: string[]; emailOff?: string[] } = {}
	) {
		const current = await viewNotificationSettings(ctx.db, member, member.id);
		const site = current.kinds.filter((k) => k.site && !change.siteOff?.includes(k.key));
		const email = current.kinds.filter(
			(k) => (k.email || change.emailOn?.includes(k.key)) && !change.emailOff?.includes(k.key)
		);
		await saveNotificationSettings(ctx.db, member, member.id, {
			site: site.map((k) => k.key),
			email: email.map((k) => k.key),
			frequency
		});
	}

	it('groups notifications about the same thing while unread, and starts again once read', async () => {
		const member = await testMember(ctx.db);
		const first = reply(member);
		await notify(ctx.db, first, '2030-01-01T10:00:00.000Z');
		await notify(ctx.db, { ...first, title: 'Ali replied too' }, '2030-01-01T11:00:00.000Z');
		await notify(ctx.db, { ...first, title: 'Bo replied too' }, '2030-01-01T12:00:00.000Z');
		await notify(ctx.db, reply(member), '2030-01-01T09:00:00.000Z');
		expect(await countUnread(ctx.db, member.id)).toBe(2);

		const view = await viewNotifications(ctx.db, member, member.id, 1);
		expect(view.items.map((i) => [i.title, i.count, i.grouped, i.isNew])).toEqual([
			['Bo replied too', 3, '3 new replies', true],
			[expect.stringContaining('replied to your comment'), 1, null, true]
		]);
		// Seen, so read: the count goes down, and the next view shows them as old.
		expect(view.unread).toBe(0);
		expect(await countUnread(ctx.db, member.id)).toBe(0);
		expect((await viewNotifications(ctx.db, member, member.id, 1)).items[0]!.isNew).toBe(false);

		await notify(ctx.db, first, '2030-01-02T10:00:00.000Z');
		expect((await rows(member.id)).filter((r) => r.subject_key === first.subjectKey)).toHaveLength(
			2
		);
		expect(await countUnread(ctx.db, member.id)).toBe(1);
	});

	it('pages newest first', async () => {
		const member = await testMember(ctx.db);
		for (let i = 0; i < 25; i++) {
			await notify(ctx.db, reply(member), `2030-02-01T10:${String(i).padStart(2, '0')}:00.000Z`);
		}
		const one = await viewNotifications(ctx.db, member, member.id, 1);
		const two = await viewNotifications(ctx.db, member, member.id, 2);
		expect(one.totalPages).toBe(2);
		expect(one.items).toHaveLength(20);
		expect(two.items).toHaveLength(5);
		expect(one.items[0]!.updatedAt > one.items[19]!.updatedAt).toBe(true);
		expect(one.items[19]!.updatedAt > two.items[0]!.updatedAt).toBe(true);
		// Only what was shown was marked read.
		expect(one.unread).toBe(5);
	});

	it('starts with the site on, email in a daily summary, and no double mail where a feature already emails', async () => {
		const member = await testMember(ctx.db);
		const settings = await viewNotificationSettings(ctx.db, member, member.id);
		expect(settings.frequency).toBe('daily');
		expect(settings.kinds.map((k) => k.key)).toEqual(KIND_KEYS);
		expect(settings.kinds.every((k) => k.site)).toBe(true);
		// Decisions, event changes, talk decisions and invitations come with their own email, so
		// they are not emailed again; replies, being named in a case study and news of pilots one follows are.
		const emailed = settings.kinds.filter((k) => k.email).map((k) => k.key);
		expect(emailed).toEqual(
			expect.arrayContaining(['comment-reply', 'case-study-involvement', 'pilot-entry'])
		);
		for (const own of ['content-decision', 'event-changed', 'event-cancelled', 'talk-decision'])
			expect(emailed).not.toContain(own);
		expect(await notify(ctx.db, reply(member))).toBe('site-and-email');
		expect(await mailsTo(member.email)).toHaveLength(0);
		expect((await rows(member.id))[0]!.email_state).toBe('pending');
	});

	it('follows each switch per channel', async () => {
		const member = await testMember(ctx.db);
		await choose(member, 'immediate', { siteOff: ['comment-reply'] });
		// Email only: mailed at once, never on the page or in the count.
		expect(await notify(ctx.db, reply(member))).toBe('email');
		expect(await countUnread(ctx.db, member.id)).toBe(0);
		expect((await viewNotifications(ctx.db, member, member.id, 1)).items).toHaveLength(0);
		expect(await mailsTo(member.email)).toHaveLength(1);

		await choose(member, 'immediate', { siteOff: ['comment-reply'], emailOff: ['comment-reply'] });
		expect(await notify(ctx.db, reply(member))).toBe('skipped');
		expect(await mailsTo(member.email)).toHaveLength(1);

		// Other kinds are untouched; the site only for a kind with email off.
		expect(await notify(ctx.db, reply(member, { kind: 'event-changed' }))).toBe('site');
		expect(await countUnread(ctx.db, member.id)).toBe(1);
		expect(await mailsTo(member.email)).toHaveLength(1);
	});

	it('emails at once in the same transaction, and not at all if it rolls back', async () => {
		const member = await testMember(ctx.db, 'member', 'Ola Immediate');
		await choose(member, 'immediate');
		await notify(ctx.db, reply(member, { title: 'Sam replied to <b>you</b>' }));
		const [mail] = await mailsTo(member.email);
		expect(mail!.subject).toBe('Sam replied to <b>you</b>');
		expect(mail!.kept_subject).toBe('A notification from CoLab Test');
		expect(mail!.text_body).toContain('https://colab.test/posts/');
		expect(mail!.text_body).toContain('https://colab.test/account/notifications');
		expect(mail!.html_body).toContain('Sam replied to &lt;b&gt;you&lt;/b&gt;');

		await expect(
			ctx.db.transaction().execute(async (trx) => {
				await notify(trx, reply(member));
				throw new Error('the change failed');
			})
		).rejects.toThrow('the change failed');
		expect(await mailsTo(member.email)).toHaveLength(1);
		expect(await rows(member.id)).toHaveLength(1);
	});

	it('never notifies people of what they did, and refuses links off the site', async () => {
		const member = await testMember(ctx.db);
		expect(await notify(ctx.db, reply(member, { actorId: member.id }))).toBe('skipped');
		await expect(notify(ctx.db, reply(member, { url: 'https://evil.test/' }))).rejects.toThrow();
		await expect(notify(ctx.db, reply(member, { url: '//evil.test/' }))).rejects.toThrow();
		await expect(notify(ctx.db, reply(member, { url: 'javascript:alert(1)' }))).rejects.toThrow();
		expect(await rows(member.id)).toHaveLength(0);
	});

	it('sends each member one daily summary of what they were not yet emailed, exactly once with two workers', async () => {
		const members = await Promise.all([1, 2, 3, 4, 5].map(() => testMember(ctx.db)));
		for (const m of members) {
			await notify(ctx.db, reply(m), '2030-03-01T20:00:00.000Z');
			const grouped = reply(m);
			await notify(ctx.db, grouped, '2030-03-01T21:00:00.000Z');
			await notify(ctx.db, grouped, '2030-03-01T22:00:00.000Z');
		}
		// Read on the site before the summary: left out of it.
		const reader = members[4]!;
		await viewNotifications(ctx.db, reader, reader.id, 1);

		const morning = new Date('2030-03-02T08:00:00.000Z');
		const runs = await Promise.all([
			sendDailySummaries(ctx.db, SITE, morning),
			sendDailySummaries(ctx.db, SITE, morning),
			sendDailySummaries(ctx.db, SITE, morning)
		]);
		// Members of other specs in this database may get theirs too; ours get exactly one each.
		expect(runs.reduce((n, r) => n + r.summaries, 0)).toBeGreaterThanOrEqual(4);
		expect((await sendDailySummaries(ctx.db, SITE, morning)).summaries).toBe(0);
		for (const m of members.slice(0, 4)) {
			const mails = await mailsTo(m.email);
			expect(mails).toHaveLength(1);
			expect(mails[0]!.text_body).toContain('2 new notifications');
			expect(mails[0]!.text_body).toContain('(2 new replies)');
			expect(mails[0]!.html_body).toContain('https://colab.test/account/notifications');
		}
		expect(await mailsTo(reader.email)).toHaveLength(0);

		// Later the same day: something new waits for tomorrow's summary.
		const first = members[0]!;
		await notify(ctx.db, reply(first), '2030-03-02T09:00:00.000Z');
		await sendDailySummaries(ctx.db, SITE, new Date('2030-03-02T18:00:00.000Z'));
		expect(await mailsTo(first.email)).toHaveLength(1);
		await sendDailySummaries(ctx.db, SITE, new Date('2030-03-03T07:30:00.000Z'));
		const mails = await mailsTo(first.email);
		expect(mails).toHaveLength(2);
		expect(mails[1]!.text_body).toContain('1 new notification:');
		// Nothing new: no mail.
		await sendDailySummaries(ctx.db, SITE, new Date('2030-03-04T07:30:00.000Z'));
		expect(await mailsTo(first.email)).toHaveLength(2);
	});

	it('knows when the day’s summary is due', () => {
		expect(summaryMoment(new Date('2030-03-02T06:59:00.000Z'))).toBe('2030-03-01T07:00:00.000Z');
		expect(summaryMoment(new Date('2030-03-02T07:00:00.000Z'))).toBe('2030-03-02T07:00:00.000Z');
	});

	it('keeps a kind switched off by email out of the summary', async () => {
		const member = await testMember(ctx.db);
		await notify(ctx.db, reply(member));
		await choose(member, 'daily', { emailOff: ['comment-reply'] });
		expect(
			(await sendDailySummaries(ctx.db, SITE, new Date('2031-01-01T08:00:00.000Z'))).summaries
		).toBe(0);
		expect(await mailsTo(member.email)).toHaveLength(0);
	});

	it('refuses the wrong person reading, marking or changing another’s notifications', async () => {
		const member = await testMember(ctx.db);
		const other = await testMember(ctx.db);
		await notify(ctx.db, reply(member));
		await expect(viewNotifications(ctx.db, other, member.id, 1)).rejects.toBeInstanceOf(
			ForbiddenError
		);
		await expect(viewNotifications(ctx.db, null, member.id, 1)).rejects.toBeInstanceOf(
			ForbiddenError
		);
		await expect(markAllRead(ctx.db, other, member.id)).rejects.toBeInstanceOf(ForbiddenError);
		await expect(viewNotificationSettings(ctx.db, other, member.id)).rejects.toBeInstanceOf(
			ForbiddenError
		);
		await expect(
			saveNotificationSettings(ctx.db, other, member.id, {
				site: [],
				email: [],
				frequency: 'immediate'
			})
		).rejects.toBeInstanceOf(ForbiddenError);
		// Marking one's own leaves another's alone.
		await notify(ctx.db, reply(other));
		expect(await markAllRead(ctx.db, other, other.id)).toBe(1);
		expect(await countUnread(ctx.db, member.id)).toBe(1);
	});

	it('tells people registered for an event when its time changes or it is cancelled', async () => {
		const { event, host } = await publishedEvent(ctx.db, { title: 'Carers’ evening' });
		const member = await testMember(ctx.db);
		expect(await registerMember(ctx.db, TEST_SITE, member, event.id, {})).toMatchObject({
			ok: true
		});
		const changed = await updateEvent(
			ctx.db,
			TEST_SITE,
			host,
			event.id,
			eventValues({ title: 'Carers’ evening', startTime: '18:30' })
		);
		expect(changed).toMatchObject({ ok: true, told: 1 });
		// A change of words only tells nobody.
		await updateEvent(
			ctx.db,
			TEST_SITE,
			host,
			event.id,
			eventValues({ title: 'Carers’ evening', startTime: '18:30', description: 'New words.' })
		);
		let mine = await rows(member.id);
		expect(mine.map((r) => [r.kind, r.subject_key, r.url, r.actor_id, r.count])).toEqual([
			['event-changed', `event:${event.id}`, `/events/${event.id}`, host.id, 1]
		]);
		expect(mine[0]!.title).toContain('“Carers’ evening” has changed: It is now on');
		expect(
			await cancelEvent(ctx.db, TEST_SITE, host, event.id, { reason: 'The room flooded.' })
		).toMatchObject({ ok: true });
		mine = await rows(member.id);
		expect(mine.map((r) => r.kind)).toEqual(['event-changed', 'event-cancelled']);
		expect(mine[1]!.title).toBe('“Carers’ evening” is cancelled');
		// The host is not told of their own change.
		expect(await rows(host.id)).toHaveLength(0);
	});

	it('tells a speaker their talk was accepted or declined', async () => {
		const { event, host } = await publishedEvent(ctx.db, {
			format: 'lightning-talks',
			title: 'Talks night'
		});
		const speaker = await testMember(ctx.db);
		const when = new Date(Date.UTC(2030, 4, 1, 10)).toISOString();
		expect(
			await offerTalk(
				ctx.db,
				speaker,
				event.id,
				{ title: 'Carers’ apps', summary: 'What we learnt.' },
				when
			)
		).toEqual({ ok: true });
		const talk = await ctx.db
			.selectFrom('event_talk')
			.select('id')
			.where('event_id', '=', event.id)
			.executeTakeFirstOrThrow();
		expect(
			await decideTalk(ctx.db, TEST_SITE, host, event.id, talk.id, { decision: 'decline' }, when)
		).toMatchObject({ ok: true });
		const [row] = await rows(speaker.id);
		expect(row).toMatchObject({
			kind: 'talk-decision',
			subject_key: `talk:${talk.id}`,
			url: `/events/${event.id}/talks`
		});
		expect(row!.title).toBe('Your talk “Carers’ apps” was not included in Talks night');
	});

	it('tells members with an account of invitations to organisations and co-production checks', async () => {
		const admin = await testMember(ctx.db);
		const invitee = await testMember(ctx.db);
		const created = await createOrganisation(ctx.db, admin, {
			name: 'Borough Carers',
			description: 'Carers in the borough.',
			website: ''
		});
		if (!created.ok) throw new Error('no organisation');
		expect(
			await inviteToOrganisation(ctx.db, SITE, admin, created.organisation.id, {
				email: invitee.email,
				role: 'member'
			})
		).toMatchObject({ ok: true });
		// Nobody to tell for an address without an account.
		expect(
			await inviteToOrganisation(ctx.db, SITE, admin, created.organisation.id, {
				email: 'nobody-yet@example.test',
				role: 'member'
			})
		).toMatchObject({ ok: true });

		const { assessment, owner } = await testAssessment(ctx.db);
		expect(
			await inviteCoOwner(
				ctx.db,
				ASSESSMENTS_SITE,
				owner,
				assessment.id,
				{ email: invitee.email },
				NOW
			)
		).toMatchObject({ ok: true });

		const mine = await rows(invitee.id);
		expect(mine.map((r) => [r.kind, r.subject_key, r.url])).toEqual([
			[
				'invitation',
				`organisation:${created.organisation.id}`,
				`/organisations/${created.organisation.slug}`
			],
			['invitation', `assessment:${assessment.id}`, '/me']
		]);
		// The secret link stays in the email only.
		for (const r of mine) expect(r.url).not.toMatch(/invites|token/);
		expect(
			await ctx.db
				.selectFrom('notification')
				.select('id')
				.where('title', 'like', '%nobody-yet%')
				.execute()
		).toHaveLength(0);
	});

	it('puts notifications and choices in the download, and removes them with the account', async () => {
		const member = await testMember(ctx.db);
		const actor = await testMember(ctx.db);
		await choose(member, 'immediate');
		await notify(ctx.db, reply(member, { actorId: actor.id, title: 'Kim replied' }));
		const person = { id: member.id, name: member.name, email: member.email };
		expect(await notification.export!(ctx.db, person)).toEqual([
			expect.objectContaining({ kind: 'comment-reply', title: 'Kim replied', howMany: 1 })
		]);
		expect(await notificationPreference.export!(ctx.db, person)).toHaveLength(KIND_KEYS.length);
		expect(await notificationSetting.export!(ctx.db, person)).toMatchObject({
			emailComes: 'at once'
		});

		const context = { person, contributions: 'remove' as const, site: SITE, afterCommit: [] };
		// The person who caused it leaves: the notification stays, no longer pointing to them.
		await ctx.db.transaction().execute((trx) =>
			notification.erase(trx, {
				...context,
				person: { id: actor.id, name: actor.name, email: actor.email }
			})
		);
		expect((await rows(member.id))[0]!.actor_id).toBeNull();
		await ctx.db.transaction().execute(async (trx) => {
			expect(await notification.erase(trx, context)).toBe(1);
			expect(await notificationPreference.erase(trx, context)).toBe(KIND_KEYS.length);
			expect(await notificationSetting.erase(trx, context)).toBe(1);
		});
		expect(await rows(member.id)).toHaveLength(0);
	});

	it('gives the demo members a notification of every kind, once', async () => {
		const curator = await createTestUser(ctx.db, { email: `curator@${subjects}.demo.test` });
		const priya = await testMember(ctx.db);
		await seedNotifications(ctx.db, [curator, priya]);
		await seedNotifications(ctx.db, [curator, priya]);
		const mine = await rows(priya.id);
		expect(new Set(mine.map((r) => r.kind))).toEqual(new Set(KIND_KEYS));
		expect(mine).toHaveLength(KIND_KEYS.length);
		expect(mine.every((r) => r.email_state === 'none')).toBe(true);
		expect(await rows(curator.id)).toHaveLength(0);
	});
});
