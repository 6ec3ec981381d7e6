import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SessionUser } from '../auth/auth.types';
import type { FormValues } from '../forms';
import { logger } from '../logger';
import { describeEachDatabase } from '../testing/databases';
import { placeUsage } from './events.repository';
import { cancelEvent, createEvent } from './events.service';
import { eventValues, publishedEvent, testMember, TEST_SITE } from './events.testing';
import {
	cancelRegistration,
	confirmVisitorRegistration,
	registerMember,
	registerVisitor
} from './registrations.service';
import {
	VISITOR_RETENTION_DAYS,
	fillFreedPlaces,
	forgetVisitors,
	runEventsWork,
	sendReminders,
	startEventsWorker
} from './events.worker';

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** `ms` before (or, when negative, after) an ISO time. */
function before(iso: string, ms: number): string {
	return new Date(Date.parse(iso) - ms).toISOString();
}

let titles = 0;
/** A title no other spec in the same database uses, so mails can be told apart by subject. */
function uniqueTitle(label: string): string {
	titles++;
	return `${label} ${titles}`;
}

// Each spec below holds its event on its own day (weeks apart), because the worker's functions
// look at every event in the database: an event of one spec is never due in another's.
describeEachDatabase('events worker', (ctx) => {
	async function mailsAbout(kind: string, about: string) {
		const rows = await ctx.db
			.selectFrom('mail_outbox')
			.select(['to_address', 'kind', 'subject', 'text_body'])
			.where('kind', '=', kind)
			.execute();
		return rows.filter((m) => m.subject.includes(about));
	}

	async function recipients(kind: string, about: string): Promise<string[]> {
		return (await mailsAbout(kind, about)).map((m) => m.to_address).sort();
	}

	/** Every reminder (of either kind) about the event with this title. */
	async function remindersAbout(about: string) {
		const rows = await ctx.db
			.selectFrom('mail_outbox')
			.select(['to_address', 'kind', 'subject', 'text_body'])
			.where('kind', 'in', ['events.reminder-day', 'events.reminder-hour'])
			.execute();
		return rows.filter((m) => m.subject.includes(about));
	}

	async function eventRow(id: string) {
		return ctx.db.selectFrom('event').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
	}

	async function registrationRows(eventId: string) {
		return ctx.db
			.selectFrom('event_registration')
			.select(['id', 'user_id', 'email', 'status'])
			.where('event_id', '=', eventId)
			.execute();
	}

	async function statusOf(eventId: string, member: SessionUser) {
		const row = await ctx.db
			.selectFrom('event_registration')
			.select('status')
			.where('event_id', '=', eventId)
			.where('user_id', '=', member.id)
			.executeTakeFirstOrThrow();
		return row.status;
	}

	async function register(member: SessionUser, eventId: string) {
		const result = await registerMember(ctx.db, TEST_SITE, member, eventId, {});
		if (!result.ok) throw new Error(`not registered: ${result.reason}`);
		return result;
	}

	/** A visitor asks for a place; when `confirm`, they also click the link in their email. */
	async function visitor(eventId: string, name: string, confirm: boolean): Promise<string> {
		const email = `${name.toLowerCase().replace(/\W+/g, '-')}-${++titles}@visitor.test`;
		expect(await registerVisitor(ctx.db, TEST_SITE, eventId, { name, email })).toEqual({
			ok: true
		});
		if (confirm) {
			const mail = await ctx.db
				.selectFrom('mail_outbox')
				.select('text_body')
				.where('to_address', '=', email)
				.where('kind', '=', 'events.confirm-registration')
				.executeTakeFirstOrThrow();
			const token = /\/events\/places\/([\w.-]+)/.exec(mail.text_body)![1]!;
			const confirmed = await confirmVisitorRegistration(ctx.db, TEST_SITE, token);
			if (!confirmed.ok) throw new Error(`not confirmed: ${confirmed.reason}`);
		}
		return email;
	}

	async function eventOn(startDate: string, overrides: FormValues = {}) {
		const title = uniqueTitle('Worker evening');
		const { event, host } = await publishedEvent(ctx.db, { title, startDate, ...overrides });
		return { event, host, title };
	}

	describe('sendReminders', () => {
		it('reminds everyone with a place once, a day before: not those waiting, cancelled or unconfirmed', async () => {
			const { event, title } = await eventOn('2030-06-04', { capacity: '3' });
			expect(event.starts_at).toBe('2030-06-04T17:00:00.000Z');
			const [first, second, waiting, leaving] = await Promise.all(
				[1, 2, 3, 4].map(() => testMember(ctx.db))
			);
			// Someone who took a place and gave it up again before anyone was waiting.
			const left = await register(leaving!, event.id);
			await cancelRegistration(ctx.db, TEST_SITE, {
				member: leaving!,
				registrationId: left.registration.id
			});
			await register(first!, event.id);
			await register(second!, event.id);
			const confirmedVisitor = await visitor(event.id, 'Vera Visitor', true);
			expect((await register(waiting!, event.id)).placement.status).toBe('waitlisted');
			const unconfirmedVisitor = await visitor(event.id, 'Una Unconfirmed', false);
			const counts: Record<string, number> = {};
			for (const r of await registrationRows(event.id)) {
				counts[r.status] = (counts[r.status] ?? 0) + 1;
			}
			expect(counts).toEqual({ cancelled: 1, confirmed: 3, waitlisted: 1, unconfirmed: 1 });

			const now = before(event.starts_at, 20 * HOUR);
			expect(await sendReminders(ctx.db, TEST_SITE, 'hour', now)).toBe(0);
			expect(await sendReminders(ctx.db, TEST_SITE, 'day', now)).toBe(3);
			expect(await recipients('events.reminder-day', title)).toEqual(
				[first!.email, second!.email, confirmedVisitor].sort()
			);
			const everyone = [waiting!.email, leaving!.email, unconfirmedVisitor];
			for (const mail of await remindersAbout(title)) {
				expect(everyone).not.toContain(mail.to_address);
			}
			const [mail] = await mailsAbout('events.reminder-day', title);
			expect(mail!.subject).toBe(`Reminder: ${title} is tomorrow at 6pm`);
			expect(mail!.text_body).toContain('Riverside Library');
			expect(mail!.text_body).not.toContain('Online link');
			expect((await eventRow(event.id)).reminder_day_sent_at).toBe(now);

			// Running again (on this instance, or another) sends nothing more.
			expect(await sendReminders(ctx.db, TEST_SITE, 'day', now)).toBe(0);
			expect(await sendReminders(ctx.db, TEST_SITE, 'day', before(event.starts_at, 2 * HOUR))).toBe(
				0
			);
			expect(await remindersAbout(title)).toHaveLength(3);
		});

		it('sends each reminder once when two instances run at the same moment', async () => {
			const { event, title } = await eventOn('2030-06-18', { capacity: '10' });
			const people = await Promise.all([1, 2, 3].map(() => testMember(ctx.db)));
			for (const person of people) await register(person, event.id);
			const now = before(event.starts_at, 20 * HOUR);
			const sent = await Promise.all([
				sendReminders(ctx.db, TEST_SITE, 'day', now),
				sendReminders(ctx.db, TEST_SITE, 'day', now)
			]);
			expect(sent.sort()).toEqual([0, 3]);
			expect(await recipients('events.reminder-day', title)).toEqual(
				people.map((p) => p.email).sort()
			);

			const soon = before(event.starts_at, 50 * MINUTE);
			const hourly = await Promise.all([
				sendReminders(ctx.db, TEST_SITE, 'hour', soon),
				sendReminders(ctx.db, TEST_SITE, 'hour', soon)
			]);
			expect(hourly.sort()).toEqual([0, 3]);
			expect(await recipients('events.reminder-hour', title)).toEqual(
				people.map((p) => p.email).sort()
			);
		});

		it('waits until an event is a day away', async () => {
			const { event, title } = await eventOn('2030-07-02');
			const member = await testMember(ctx.db);
			await register(member, event.id);
			expect(
				await sendReminders(ctx.db, TEST_SITE, 'day', before(event.starts_at, 30 * HOUR))
			).toBe(0);
			expect(await remindersAbout(title)).toEqual([]);
			expect((await eventRow(event.id)).reminder_day_sent_at).toBeNull();
			// Just inside the day, it goes.
			const now = before(event.starts_at, 24 * HOUR);
			expect(await sendReminders(ctx.db, TEST_SITE, 'day', now)).toBe(1);
			expect(await recipients('events.reminder-day', title)).toEqual([member.email]);
		});

		it('reminds nobody about a cancelled event', async () => {
			const { event, host, title } = await eventOn('2030-07-16');
			const member = await testMember(ctx.db);
			await register(member, event.id);
			await cancelEvent(ctx.db, TEST_SITE, host, event.id, { reason: 'The venue flooded.' });
			for (const hours of [20, 0.5]) {
				const now = before(event.starts_at, hours * HOUR);
				expect(await sendReminders(ctx.db, TEST_SITE, 'day', now)).toBe(0);
				expect(await sendReminders(ctx.db, TEST_SITE, 'hour', now)).toBe(0);
			}
			expect(await remindersAbout(title)).toEqual([]);
			const row = await eventRow(event.id);
			expect(row.reminder_day_sent_at).toBeNull();
			expect(row.reminder_hour_sent_at).toBeNull();
		});

		it('does not remind about an event still waiting for approval', async () => {
			const host = await testMember(ctx.db);
			const title = uniqueTitle('Pending evening');
			const created = await createEvent(
				ctx.db,
				TEST_SITE,
				host,
				eventValues({ title, startDate: '2030-07-30' })
			);
			if (!created.ok) throw new Error(JSON.stringify(created));
			expect(created.event.approval).toBe('pending');
			for (const hours of [20, 0.5]) {
				const now = before(created.event.starts_at, hours * HOUR);
				expect(await sendReminders(ctx.db, TEST_SITE, 'day', now)).toBe(0);
				expect(await sendReminders(ctx.db, TEST_SITE, 'hour', now)).toBe(0);
			}
			expect(await remindersAbout(title)).toEqual([]);
			const row = await eventRow(created.event.id);
			expect(row.reminder_day_sent_at).toBeNull();
			expect(row.reminder_hour_sent_at).toBeNull();
		});

		it('reminds again an hour before, once', async () => {
			const { event, title } = await eventOn('2030-08-13');
			const member = await testMember(ctx.db);
			await register(member, event.id);
			expect(
				await sendReminders(ctx.db, TEST_SITE, 'day', before(event.starts_at, 20 * HOUR))
			).toBe(1);
			expect(
				await sendReminders(ctx.db, TEST_SITE, 'hour', before(event.starts_at, 61 * MINUTE))
			).toBe(0);
			const now = before(event.starts_at, 50 * MINUTE);
			expect(await sendReminders(ctx.db, TEST_SITE, 'hour', now)).toBe(1);
			expect(await sendReminders(ctx.db, TEST_SITE, 'hour', now)).toBe(0);
			expect(await sendReminders(ctx.db, TEST_SITE, 'hour', before(event.starts_at, MINUTE))).toBe(
				0
			);
			const [hourly, ...more] = await mailsAbout('events.reminder-hour', title);
			expect(more).toEqual([]);
			expect(hourly).toMatchObject({
				to_address: member.email,
				subject: `Reminder: ${title} is in 50 minutes`
			});
			expect((await remindersAbout(title)).map((m) => m.kind).sort()).toEqual([
				'events.reminder-day',
				'events.reminder-hour'
			]);
			// Once it has started, there is nothing left to remind anyone of.
			expect(await sendReminders(ctx.db, TEST_SITE, 'hour', event.starts_at)).toBe(0);
		});

		it('sends one reminder, not two, for an event first due less than an hour away', async () => {
			const { event, title } = await eventOn('2030-08-27');
			const member = await testMember(ctx.db);
			await register(member, event.id);
			const now = before(event.starts_at, 50 * MINUTE);
			const done = await runEventsWork(ctx.db, TEST_SITE, now);
			// (The round also forgets earlier specs' visitors, so only the reminders are counted here.)
			expect(done).toEqual({
				summaries: expect.any(Number),
				expired: 0,
				filled: 0,
				reminded: 1,
				forgotten: expect.any(Number)
			});
			const row = await eventRow(event.id);
			expect(row.reminder_day_sent_at).toBe(now);
			expect(row.reminder_hour_sent_at).toBe(now);
			expect(
				await sendReminders(ctx.db, TEST_SITE, 'hour', before(event.starts_at, 10 * MINUTE))
			).toBe(0);
			const reminders = await remindersAbout(title);
			expect(reminders).toHaveLength(1);
			expect(reminders[0]!.to_address).toBe(member.email);
		});

		// The only reminder for an event less than an hour away is worded from the time left.
		it('does not say "tomorrow" about an event starting in 50 minutes', async () => {
			const { event, title } = await eventOn('2030-09-10');
			const member = await testMember(ctx.db);
			await register(member, event.id);
			await sendReminders(ctx.db, TEST_SITE, 'day', before(event.starts_at, 50 * MINUTE));
			const [reminder] = await remindersAbout(title);
			expect(reminder!.subject).not.toContain('tomorrow');
			expect(reminder!.text_body).not.toContain('is tomorrow');
		});

		it('gives people with a place the online link', async () => {
			const online = await eventOn('2030-09-24', {
				mode: 'online',
				venueName: '',
				venueAddress: '',
				accessFeatures: [],
				onlineUrl: 'https://meet.example.test/carers-evening'
			});
			const hybrid = await eventOn('2030-09-24', {
				mode: 'hybrid',
				startTime: '19:00',
				endTime: '20:00',
				onlineUrl: 'https://meet.example.test/hybrid-evening'
			});
			const member = await testMember(ctx.db);
			await register(member, online.event.id);
			await register(member, hybrid.event.id);
			const now = before(online.event.starts_at, 20 * HOUR);
			expect(await sendReminders(ctx.db, TEST_SITE, 'day', now)).toBe(2);
			const [onlineMail] = await mailsAbout('events.reminder-day', online.title);
			expect(onlineMail!.text_body).toContain(
				'Online link: https://meet.example.test/carers-evening'
			);
			const [hybridMail] = await mailsAbout('events.reminder-day', hybrid.title);
			expect(hybridMail!.text_body).toContain(
				'Online link: https://meet.example.test/hybrid-evening'
			);
			expect(hybridMail!.text_body).toContain('Riverside Library');

			const soon = before(online.event.starts_at, 50 * MINUTE);
			expect(await sendReminders(ctx.db, TEST_SITE, 'hour', soon)).toBe(1);
			const [hourly] = await mailsAbout('events.reminder-hour', online.title);
			expect(hourly!.text_body).toContain('https://meet.example.test/carers-evening');
		});
	});

	describe('fillFreedPlaces', () => {
		/** Takes a place away as deleting an account does: the row goes, and the count is fixed. */
		async function eraseRegistration(eventId: string, member: SessionUser) {
			await ctx.db
				.deleteFrom('event_registration')
				.where('event_id', '=', eventId)
				.where('user_id', '=', member.id)
				.execute();
			const usage = await placeUsage(ctx.db, eventId);
			await ctx.db
				.updateTable('event')
				.set({ places_taken: usage.taken })
				.where('id', '=', eventId)
				.execute();
		}

		const NOW = '2030-10-01T09:00:00.000Z';

		it('offers a place freed without a cancellation to the next person waiting, once', async () => {
			const { event, title } = await eventOn('2030-10-08', { capacity: '1' });
			const [holder, next, after] = await Promise.all([1, 2, 3].map(() => testMember(ctx.db)));
			await register(holder!, event.id);
			await register(next!, event.id);
			await register(after!, event.id);
			await eraseRegistration(event.id, holder!);
			expect((await eventRow(event.id)).places_taken).toBe(0);

			expect(await fillFreedPlaces(ctx.db, TEST_SITE, NOW)).toBe(1);
			expect(await statusOf(event.id, next!)).toBe('offered');
			expect(await statusOf(event.id, after!)).toBe('waitlisted');
			expect((await eventRow(event.id)).places_taken).toBe(1);
			expect(await recipients('events.place-offered', title)).toEqual([next!.email]);
			const offered = await ctx.db
				.selectFrom('event_registration')
				.select('offer_expires_at')
				.where('user_id', '=', next!.id)
				.executeTakeFirstOrThrow();
			expect(offered.offer_expires_at).toBe('2030-10-02T09:00:00.000Z');

			// Running again (or on another instance) offers nothing more.
			expect(await fillFreedPlaces(ctx.db, TEST_SITE, NOW)).toBe(0);
			expect(await recipients('events.place-offered', title)).toEqual([next!.email]);
			expect(await statusOf(event.id, after!)).toBe('waitlisted');
		});

		it('leaves events with nobody waiting, or no free place, alone', async () => {
			const roomy = await eventOn('2030-10-15', { capacity: '5' });
			const full = await eventOn('2030-10-22', { capacity: '1' });
			const [a, b, c] = await Promise.all([1, 2, 3].map(() => testMember(ctx.db)));
			await register(a!, roomy.event.id);
			await register(b!, full.event.id);
			await register(c!, full.event.id);
			const mailsBefore = await ctx.db
				.selectFrom('mail_outbox')
				.select((eb) => eb.fn.countAll<number>().as('n'))
				.executeTakeFirstOrThrow();

			expect(await fillFreedPlaces(ctx.db, TEST_SITE, NOW)).toBe(0);
			expect(await statusOf(roomy.event.id, a!)).toBe('confirmed');
			expect(await statusOf(full.event.id, b!)).toBe('confirmed');
			expect(await statusOf(full.event.id, c!)).toBe('waitlisted');
			expect((await eventRow(roomy.event.id)).places_taken).toBe(1);
			expect((await eventRow(full.event.id)).places_taken).toBe(1);
			const mailsAfter = await ctx.db
				.selectFrom('mail_outbox')
				.select((eb) => eb.fn.countAll<number>().as('n'))
				.executeTakeFirstOrThrow();
			expect(Number(mailsAfter.n)).toBe(Number(mailsBefore.n));
		});

		it('offers nothing once the event has started', async () => {
			const { event, title } = await eventOn('2030-10-29', { capacity: '1' });
			const [holder, next] = await Promise.all([1, 2].map(() => testMember(ctx.db)));
			await register(holder!, event.id);
			await register(next!, event.id);
			await eraseRegistration(event.id, holder!);
			expect(await fillFreedPlaces(ctx.db, TEST_SITE, event.starts_at)).toBe(0);
			expect(await statusOf(event.id, next!)).toBe('waitlisted');
			expect(await recipients('events.place-offered', title)).toEqual([]);
		});
	});

	describe('forgetVisitors', () => {
		// The earliest event in this database, so nobody else's visitors are due at these times.
		it('forgets visitors 30 days after the event, unconfirmed ones once it starts, and never members', async () => {
			expect(VISITOR_RETENTION_DAYS).toBe(30);
			const { event } = await eventOn('2030-03-05', { capacity: '10' });
			// 18:00–19:30 in London, which is on GMT in early March.
			expect(event.starts_at).toBe('2030-03-05T18:00:00.000Z');
			expect(event.ends_at).toBe('2030-03-05T19:30:00.000Z');
			const member = await testMember(ctx.db);
			await register(member, event.id);
			const confirmed = await visitor(event.id, 'Cora Confirmed', true);
			const unconfirmed = await visitor(event.id, 'Uma Unconfirmed', false);
			const emails = async () =>
				(await registrationRows(event.id)).map((r) => (r.user_id ? 'member' : r.email!)).sort();
			expect(await emails()).toEqual([confirmed, 'member', unconfirmed].sort());

			expect(await forgetVisitors(ctx.db, before(event.starts_at, MINUTE))).toBe(0);
			expect(await emails()).toEqual([confirmed, 'member', unconfirmed].sort());

			// An unconfirmed request holds nothing, and is useless once the event has started.
			expect(await forgetVisitors(ctx.db, event.starts_at)).toBe(1);
			expect(await emails()).toEqual([confirmed, 'member'].sort());

			expect(await forgetVisitors(ctx.db, before(event.ends_at, -29 * DAY))).toBe(0);
			expect(await forgetVisitors(ctx.db, before(event.ends_at, -30 * DAY))).toBe(0);
			expect(await emails()).toEqual([confirmed, 'member'].sort());

			expect(await forgetVisitors(ctx.db, before(event.ends_at, -(30 * DAY + MINUTE)))).toBe(1);
			expect(await emails()).toEqual(['member']);

			// Members' registrations stay with their account, however long ago the event was.
			expect(await forgetVisitors(ctx.db, '2040-01-01T00:00:00.000Z')).toBeGreaterThanOrEqual(0);
			expect(await registrationRows(event.id)).toEqual([
				expect.objectContaining({ user_id: member.id, status: 'confirmed' })
			]);
		});
	});
});

describeEachDatabase('events worker loop', (ctx) => {
	afterEach(() => {
		vi.restoreAllMocks();
	});

	const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

	/**
	 * An event with an offer that ran out long ago (so a round of work at the real time now passes
	 * it on), and the people involved.
	 */
	async function staleOffer() {
		const { event } = await publishedEvent(ctx.db, {
			title: uniqueTitle('Loop evening'),
			capacity: '1'
		});
		const [offered, waiting] = await Promise.all([1, 2].map(() => testMember(ctx.db)));
		const held = await registerMember(ctx.db, TEST_SITE, offered!, event.id, {});
		await registerMember(ctx.db, TEST_SITE, waiting!, event.id, {});
		if (!held.ok) throw new Error('no place');
		await ctx.db
			.updateTable('event_registration')
			.set({ status: 'offered', offer_expires_at: '2001-01-01T00:00:00.000Z' })
			.where('id', '=', held.registration.id)
			.execute();
		const statuses = async () =>
			Promise.all(
				[offered!, waiting!].map(async (person) => {
					const row = await ctx.db
						.selectFrom('event_registration')
						.select('status')
						.where('event_id', '=', event.id)
						.where('user_id', '=', person.id)
						.executeTakeFirstOrThrow();
					return row.status;
				})
			);
		return { event, statuses };
	}

	it('runs rounds of work until stopped, and stopping waits for the round in hand', async () => {
		const failed = vi.spyOn(logger, 'error');
		const { statuses } = await staleOffer();
		expect(await statuses()).toEqual(['offered', 'waitlisted']);
		const worker = startEventsWorker(ctx.db, () => TEST_SITE, 100);
		await sleep(1_200);
		await expect(worker.stop()).resolves.toBeUndefined();
		expect(failed).not.toHaveBeenCalled();
		expect(await statuses()).toEqual(['expired', 'offered']);
		// Stopping twice is harmless.
		await expect(worker.stop()).resolves.toBeUndefined();
	});

	it('can be stopped straight after starting', async () => {
		const failed = vi.spyOn(logger, 'error');
		const worker = startEventsWorker(ctx.db, () => TEST_SITE, 60_000);
		await expect(worker.stop()).resolves.toBeUndefined();
		expect(failed).not.toHaveBeenCalled();
	});

	// A worker stopped within a second of starting does not run its first round afterwards.
	it('does no work after being stopped', async () => {
		const { statuses } = await staleOffer();
		const worker = startEventsWorker(ctx.db, () => TEST_SITE, 60_000);
		await worker.stop();
		await sleep(1_600);
		expect(await statuses()).toEqual(['offered', 'waitlisted']);
	});
});
