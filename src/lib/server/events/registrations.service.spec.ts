import { describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../testing/databases';
import { registrationToken, readRegistrationToken } from './events.links';
import { publishedEvent, testMember, TEST_SITE } from './events.testing';
import {
	cancelRegistration,
	claimOffer,
	claimWindowMs,
	confirmVisitorRegistration,
	expireOffers,
	placesFit,
	registerMember,
	registerVisitor,
	viewRegistration
} from './registrations.service';
import { cancelEvent } from './events.service';

const HOUR = 60 * 60 * 1000;

describe('placesFit', () => {
	const event = { capacity: 10, reserved_places: 2 };
	it('keeps reserved places for people with lived experience', () => {
		expect(placesFit(event, { taken: 7, general: 7 }, { places: 1, livedExperience: false })).toBe(
			true
		);
		expect(placesFit(event, { taken: 8, general: 8 }, { places: 1, livedExperience: false })).toBe(
			false
		);
		expect(placesFit(event, { taken: 8, general: 8 }, { places: 1, livedExperience: true })).toBe(
			true
		);
		expect(placesFit(event, { taken: 10, general: 8 }, { places: 1, livedExperience: true })).toBe(
			false
		);
	});
	it('counts a companion place and allows anything without a limit', () => {
		expect(placesFit(event, { taken: 7, general: 7 }, { places: 2, livedExperience: false })).toBe(
			false
		);
		expect(
			placesFit(
				{ capacity: null, reserved_places: 0 },
				{ taken: 999, general: 999 },
				{ places: 2, livedExperience: false }
			)
		).toBe(true);
	});
});

describe('registration links', () => {
	it('signs the id, and refuses anything altered', () => {
		const token = registrationToken('secret', 'abc123');
		expect(readRegistrationToken('secret', token)).toBe('abc123');
		expect(readRegistrationToken('other-secret', token)).toBeUndefined();
		expect(readRegistrationToken('secret', token.replace('abc123', 'abc124'))).toBeUndefined();
		expect(readRegistrationToken('secret', 'abc123')).toBeUndefined();
		expect(readRegistrationToken('secret', `${token}.x`)).toBeUndefined();
	});
});

describeEachDatabase('event registrations', (ctx) => {
	async function mailsTo(email: string) {
		return ctx.db
			.selectFrom('mail_outbox')
			.select(['kind', 'subject', 'text_body', 'attachments'])
			.where('to_address', '=', email)
			.orderBy('created_at')
			.execute();
	}
	/** The one mail of this kind to this address. */
	async function mailOf(email: string, kind: string) {
		const mails = (await mailsTo(email)).filter((m) => m.kind === kind);
		expect(mails).toHaveLength(1);
		return mails[0]!;
	}

	async function statuses(eventId: string) {
		const rows = await ctx.db
			.selectFrom('event_registration')
			.select(['status'])
			.where('event_id', '=', eventId)
			.execute();
		const counts: Record<string, number> = {};
		for (const r of rows) counts[r.status] = (counts[r.status] ?? 0) + 1;
		return counts;
	}

	async function placesTaken(eventId: string) {
		const row = await ctx.db
			.selectFrom('event')
			.select('places_taken')
			.where('id', '=', eventId)
			.executeTakeFirstOrThrow();
		return row.places_taken;
	}

	it('gives exactly 20 places to 100 people registering at once; 80 wait', async () => {
		const { event } = await publishedEvent(ctx.db, { capacity: '20' });
		const people = await Promise.all(Array.from({ length: 100 }, () => testMember(ctx.db)));
		const results = await Promise.all(
			people.map((p) => registerMember(ctx.db, TEST_SITE, p, event.id, {}))
		);
		expect(results.every((r) => r.ok)).toBe(true);
		expect(await statuses(event.id)).toEqual({ confirmed: 20, waitlisted: 80 });
		expect(await placesTaken(event.id)).toBe(20);
		// Waitlist positions are 1…80 with no gaps or repeats.
		const positions = results
			.flatMap((r) => (r.ok && r.placement.status === 'waitlisted' ? [r.placement.position] : []))
			.sort((a, b) => a - b);
		expect(positions).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
	});

	it('confirms a place by email with a calendar file, and refuses registering twice', async () => {
		const { event } = await publishedEvent(ctx.db);
		const member = await testMember(ctx.db);
		const first = await registerMember(ctx.db, TEST_SITE, member, event.id, {
			needs: ['bsl', 'dietary'],
			needDetails: 'Vegetarian'
		});
		expect(first.ok && first.placement).toEqual({ status: 'confirmed' });
		const again = await registerMember(ctx.db, TEST_SITE, member, event.id, {});
		expect(again).toEqual({ ok: false, reason: 'already' });
		const mails = await mailsTo(member.email);
		expect(mails.map((m) => m.kind)).toEqual(['events.place-confirmed']);
		const attachments = JSON.parse(mails[0]!.attachments ?? '[]');
		const ics = Buffer.from(attachments[0].content, 'base64').toString('utf8');
		expect(ics).toContain('BEGIN:VEVENT');
		expect(ics).toContain(`UID:event-${event.id}@colab.test`);
		expect(await statuses(event.id)).toEqual({ confirmed: 1 });
	});

	it('rejects oversized details and unknown needs, changing nothing', async () => {
		const { event } = await publishedEvent(ctx.db);
		const member = await testMember(ctx.db);
		const result = await registerMember(ctx.db, TEST_SITE, member, event.id, {
			needs: ['teleport'],
			needDetails: 'x'.repeat(501)
		});
		expect(result.ok).toBe(false);
		if (!result.ok && result.reason === 'invalid') {
			expect(Object.keys(result.errors).sort()).toEqual(['needDetails', 'needs']);
		}
		expect(await statuses(event.id)).toEqual({});
	});

	it('refuses cancelled, past, closed and unknown events with a reason', async () => {
		const member = await testMember(ctx.db);
		const { event, host } = await publishedEvent(ctx.db);
		await cancelEvent(ctx.db, TEST_SITE, host, event.id, { reason: 'The venue flooded.' });
		expect(await registerMember(ctx.db, TEST_SITE, member, event.id, {})).toEqual({
			ok: false,
			reason: 'cancelled'
		});
		const { event: later } = await publishedEvent(ctx.db);
		expect(
			await registerMember(ctx.db, TEST_SITE, member, later.id, {}, '2030-06-04T17:30:00.000Z')
		).toEqual({ ok: false, reason: 'past' });
		const { event: closing } = await publishedEvent(ctx.db, {
			closesDate: '2030-06-01',
			closesTime: '12:00'
		});
		expect(
			await registerMember(ctx.db, TEST_SITE, member, closing.id, {}, '2030-06-02T09:00:00.000Z')
		).toEqual({ ok: false, reason: 'closed' });
		expect(await registerMember(ctx.db, TEST_SITE, member, 'nope', {})).toEqual({
			ok: false,
			reason: 'not_found'
		});
		expect(await statuses(closing.id)).toEqual({});
	});

	it('keeps reserved places for lived experience, and counts a companion place', async () => {
		const { event } = await publishedEvent(ctx.db, { capacity: '4', reservedPlaces: '1' });
		const [a, b, c, d] = await Promise.all([1, 2, 3, 4].map(() => testMember(ctx.db)));
		const withCompanion = await registerMember(ctx.db, TEST_SITE, a!, event.id, {
			needs: ['companion']
		});
		expect(withCompanion.ok && withCompanion.placement.status).toBe('confirmed');
		const second = await registerMember(ctx.db, TEST_SITE, b!, event.id, {});
		expect(second.ok && second.placement.status).toBe('confirmed');
		// 3 general places are gone; the 4th is kept.
		const third = await registerMember(ctx.db, TEST_SITE, c!, event.id, {});
		expect(third.ok && third.placement).toEqual({ status: 'waitlisted', position: 1 });
		// Someone with lived experience still gets the kept place, which nobody waiting could use.
		const lived = await registerMember(ctx.db, TEST_SITE, d!, event.id, {
			livedExperience: 'yes'
		});
		expect(lived.ok && lived.placement).toEqual({ status: 'confirmed' });
		expect(await placesTaken(event.id)).toBe(4);
	});

	it('offers a freed place to the next person, who claims it in time', async () => {
		const { event } = await publishedEvent(ctx.db, { capacity: '1' });
		const [first, second, third] = await Promise.all([1, 2, 3].map(() => testMember(ctx.db)));
		const held = await registerMember(ctx.db, TEST_SITE, first!, event.id, {});
		await registerMember(ctx.db, TEST_SITE, second!, event.id, {});
		await registerMember(ctx.db, TEST_SITE, third!, event.id, {});
		if (!held.ok) throw new Error('no place');

		const now = '2030-05-01T09:00:00.000Z';
		const cancelled = await cancelRegistration(
			ctx.db,
			TEST_SITE,
			{ token: registrationToken(TEST_SITE.linkSecret, held.registration.id) },
			now
		);
		expect(cancelled).toEqual({ ok: true, wasHolding: true });
		expect(await statuses(event.id)).toEqual({ cancelled: 1, offered: 1, waitlisted: 1 });
		expect(await placesTaken(event.id)).toBe(1);
		const offer = await mailOf(second!.email, 'events.place-offered');
		expect(offer.text_body).toContain('Please take it by 10am on Thursday 2 May 2030');

		const secondsRegistration = await ctx.db
			.selectFrom('event_registration')
			.selectAll()
			.where('user_id', '=', second!.id)
			.executeTakeFirstOrThrow();
		// The third person cannot take someone else's offer with their own session.
		expect(
			await claimOffer(
				ctx.db,
				TEST_SITE,
				{ member: third!, registrationId: secondsRegistration.id },
				now
			)
		).toEqual({ ok: false, reason: 'not_yours' });
		expect(
			await claimOffer(
				ctx.db,
				TEST_SITE,
				{ member: second!, registrationId: secondsRegistration.id },
				'2030-05-02T08:59:00.000Z'
			)
		).toEqual({ ok: true });
		expect(await statuses(event.id)).toEqual({ cancelled: 1, confirmed: 1, waitlisted: 1 });
		await mailOf(second!.email, 'events.place-confirmed');
	});

	it('refuses an expired offer unchanged, then passes it on', async () => {
		const { event } = await publishedEvent(ctx.db, { capacity: '1' });
		const [first, second, third] = await Promise.all([1, 2, 3].map(() => testMember(ctx.db)));
		const held = await registerMember(ctx.db, TEST_SITE, first!, event.id, {});
		const waiting = await registerMember(ctx.db, TEST_SITE, second!, event.id, {});
		await registerMember(ctx.db, TEST_SITE, third!, event.id, {});
		if (!held.ok || !waiting.ok) throw new Error('setup failed');
		const now = '2030-05-01T09:00:00.000Z';
		await cancelRegistration(
			ctx.db,
			TEST_SITE,
			{ member: first!, registrationId: held.registration.id },
			now
		);
		const late = '2030-05-02T09:00:01.000Z';
		const token = registrationToken(TEST_SITE.linkSecret, waiting.registration.id);
		expect(await claimOffer(ctx.db, TEST_SITE, { token }, late)).toEqual({
			ok: false,
			reason: 'offer_expired'
		});
		expect(await statuses(event.id)).toEqual({ cancelled: 1, offered: 1, waitlisted: 1 });

		expect(await expireOffers(ctx.db, TEST_SITE, late)).toBe(1);
		expect(await statuses(event.id)).toEqual({ cancelled: 1, expired: 1, offered: 1 });
		await mailOf(second!.email, 'events.offer-expired');
		await mailOf(third!.email, 'events.place-offered');
		// Running again (or on a second instance) changes nothing more.
		expect(await expireOffers(ctx.db, TEST_SITE, late)).toBe(0);
		expect(await claimOffer(ctx.db, TEST_SITE, { token }, late)).toEqual({
			ok: false,
			reason: 'offer_expired'
		});
	});

	it('holds offers for less time as the event gets near', async () => {
		const starts = '2030-06-04T17:00:00.000Z';
		const at = (hoursBefore: number) =>
			new Date(Date.parse(starts) - hoursBefore * HOUR).toISOString();
		expect(await claimWindowMs(ctx.db, starts, at(72))).toBe(24 * HOUR);
		expect(await claimWindowMs(ctx.db, starts, at(10))).toBe(5 * HOUR);
		expect(await claimWindowMs(ctx.db, starts, at(0.5))).toBe(0.5 * HOUR);
		expect(await claimWindowMs(ctx.db, starts, at(0.25))).toBe(0.25 * HOUR);
		expect(await claimWindowMs(ctx.db, starts, at(-1))).toBe(0);
	});

	it('lets a visitor register by email, confirm from the link, and cancel', async () => {
		const { event } = await publishedEvent(ctx.db, { capacity: '5' });
		const values = { name: 'Ada Visitor', email: 'Ada@Example.test', needs: ['large_print'] };
		expect(await registerVisitor(ctx.db, TEST_SITE, event.id, values)).toEqual({ ok: true });
		expect(await statuses(event.id)).toEqual({ unconfirmed: 1 });
		expect(await placesTaken(event.id)).toBe(0);
		const [confirm] = await mailsTo('ada@example.test');
		expect(confirm!.kind).toBe('events.confirm-registration');
		const token = /\/events\/places\/([\w.-]+)/.exec(confirm!.text_body)![1]!;

		// Asking again answers the same, and only the mail says they already asked.
		expect(await registerVisitor(ctx.db, TEST_SITE, event.id, values)).toEqual({ ok: true });
		expect(await statuses(event.id)).toEqual({ unconfirmed: 1 });

		const confirmed = await confirmVisitorRegistration(ctx.db, TEST_SITE, token);
		expect(confirmed).toEqual({ ok: true, placement: { status: 'confirmed' } });
		expect(await placesTaken(event.id)).toBe(1);
		// The link works again without taking a second place.
		expect(await confirmVisitorRegistration(ctx.db, TEST_SITE, token)).toEqual(confirmed);
		const view = await viewRegistration(ctx.db, TEST_SITE, { token });
		expect(view.ok && view.registration.need_large_print).toBe(1);

		expect(await registerVisitor(ctx.db, TEST_SITE, event.id, values)).toEqual({ ok: true });
		expect((await mailsTo('ada@example.test')).map((m) => m.kind).sort()).toEqual([
			'events.already-registered',
			'events.confirm-registration',
			'events.confirm-registration',
			'events.place-confirmed'
		]);

		expect(await cancelRegistration(ctx.db, TEST_SITE, { token })).toEqual({
			ok: true,
			wasHolding: true
		});
		expect(await placesTaken(event.id)).toBe(0);
		expect(await confirmVisitorRegistration(ctx.db, TEST_SITE, 'forged.token')).toEqual({
			ok: false,
			reason: 'not_found'
		});
	});

	it('checks a visitor’s name and address, keeping what they typed out of the database', async () => {
		const { event } = await publishedEvent(ctx.db);
		const result = await registerVisitor(ctx.db, TEST_SITE, event.id, {
			name: '',
			email: 'not-an-address'
		});
		expect(result.ok).toBe(false);
		if (!result.ok && result.reason === 'invalid') {
			expect(result.errors).toEqual({
				name: 'Enter your name',
				email: 'Enter an email address in the right format, like name@example.com'
			});
		}
		expect(await statuses(event.id)).toEqual({});
	});
});
