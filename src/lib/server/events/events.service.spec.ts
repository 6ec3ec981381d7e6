import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '../refusals';
import type { SessionUser } from '../auth/auth.types';
import type { FormValues } from '../forms';
import { nowIso } from '../ids';
import { createOrganisation } from '../organisations/organisations.service';
import { deleteSetting, writeSetting } from '../settings/settings.repository';
import { describeEachDatabase } from '../testing/databases';
import { deleteAccount, exportPersonData } from '../your-data/your-data.service';
import {
	APPROVE_FIRST_EVENT_SETTING,
	HOST_MESSAGES_PER_DAY,
	approveEvent,
	cancelEvent,
	createEvent,
	eventFormValues,
	getEventForManaging,
	listFormats,
	messageAttendees,
	updateEvent
} from './events.service';
import { eventValues, publishedEvent, testMember, TEST_SITE } from './events.testing';
import { cancelRegistration, registerMember, registerVisitor } from './registrations.service';

const LONDON = TEST_SITE.timeZone;
const NOT_A_TIME =
	'That time does not exist on that day, because the clocks go forward. Choose another time.';

let titles = 0;
/** A title no other spec in the same database uses, so mails can be told apart by subject. */
function uniqueTitle(label: string): string {
	titles++;
	return `${label} ${titles}`;
}

describeEachDatabase('events service', (ctx) => {
	async function countRows(table: 'event' | 'mail_outbox'): Promise<number> {
		const row = await ctx.db
			.selectFrom(table)
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow();
		return Number(row.n);
	}

	async function eventRow(id: string) {
		return ctx.db.selectFrom('event').selectAll().where('id', '=', id).executeTakeFirst();
	}

	/** Mails of one kind whose subject mentions `about` (an event's unique title). */
	async function mailsAbout(kind: string, about: string) {
		const rows = await ctx.db
			.selectFrom('mail_outbox')
			.select(['to_address', 'subject', 'text_body', 'attachments'])
			.where('kind', '=', kind)
			.execute();
		return rows.filter((m) => m.subject.includes(about));
	}

	async function recipients(kind: string, about: string): Promise<string[]> {
		return (await mailsAbout(kind, about)).map((m) => m.to_address).sort();
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

	async function statusOf(eventId: string, member: SessionUser) {
		const row = await ctx.db
			.selectFrom('event_registration')
			.select('status')
			.where('event_id', '=', eventId)
			.where('user_id', '=', member.id)
			.executeTakeFirstOrThrow();
		return row.status;
	}

	async function register(member: SessionUser, eventId: string, values: FormValues = {}) {
		const result = await registerMember(ctx.db, TEST_SITE, member, eventId, values);
		if (!result.ok) throw new Error(`not registered: ${result.reason}`);
		return result;
	}

	async function members(count: number): Promise<SessionUser[]> {
		const people: SessionUser[] = [];
		for (let i = 0; i < count; i++) people.push(await testMember(ctx.db));
		return people;
	}

	const sorted = (people: SessionUser[]) => people.map((p) => p.email).sort();

	describe('createEvent', () => {
		it('lists the built-in formats in their order', async () => {
			const formats = await listFormats(ctx.db);
			expect(formats.map((f) => f.id)).toEqual([
				'exchange',
				'knowledge-cafe',
				'lightning-talks',
				'enquiry',
				'meet-up',
				'something-else'
			]);
		});

		it('stores a valid event in UTC, in its local time band', async () => {
			const curator = await testMember(ctx.db, 'curator');
			const title = uniqueTitle('Carers’ evening');
			const result = await createEvent(ctx.db, TEST_SITE, curator, eventValues({ title }));
			if (!result.ok) throw new Error(JSON.stringify(result));
			expect(result.event).toMatchObject({
				title,
				format_id: 'exchange',
				description: 'An evening to share **practice** on supporting carers.',
				// 18:00 in London in June is 17:00 UTC (British Summer Time).
				starts_at: '2030-06-04T17:00:00.000Z',
				ends_at: '2030-06-04T18:30:00.000Z',
				time_band: 'evening',
				mode: 'in_person',
				venue_name: 'Riverside Library',
				venue_address: '1 High Street, Riverside RV1 2AB',
				access_notes: 'Lift to the first floor.',
				access_step_free: 1,
				access_hearing_loop: 1,
				access_accessible_toilet: 0,
				access_quiet_room: 0,
				access_parking: 0,
				access_public_transport: 0,
				online_url: null,
				host_id: curator.id,
				organisation_id: null,
				capacity: 20,
				reserved_places: 0,
				places_taken: 0,
				registration_closes_at: null,
				status: 'scheduled',
				visibility: 'public',
				approval: 'approved'
			});
			expect(await eventRow(result.event.id)).toEqual(result.event);
		});

		it('keeps no venue or access features for an online event', async () => {
			const curator = await testMember(ctx.db, 'curator');
			const result = await createEvent(
				ctx.db,
				TEST_SITE,
				curator,
				eventValues({
					mode: 'online',
					onlineUrl: 'https://meet.example.org/carers',
					startDate: '2030-12-03',
					startTime: '08:00',
					endTime: '09:00'
				})
			);
			if (!result.ok) throw new Error(JSON.stringify(result));
			expect(result.event).toMatchObject({
				mode: 'online',
				starts_at: '2030-12-03T08:00:00.000Z',
				time_band: 'breakfast',
				venue_name: null,
				venue_address: null,
				access_notes: null,
				access_step_free: 0,
				access_hearing_loop: 0,
				online_url: 'https://meet.example.org/carers'
			});
		});

		const refusals: Array<{
			what: string;
			values: FormValues;
			now?: string;
			errors: Record<string, string>;
		}> = [
			{
				what: 'a start in the past',
				values: {},
				now: '2030-06-04T17:00:00.000Z',
				errors: { startDate: 'The event must start in the future' }
			},
			{
				what: 'an end before the start',
				values: { endTime: '17:30' },
				errors: { endTime: 'The end must be after the start' }
			},
			{
				what: 'an unknown format',
				values: { format: 'juggling' },
				errors: { format: 'Choose a format from the list' }
			},
			{
				what: 'a title over 150 characters',
				values: { title: 'x'.repeat(151) },
				errors: { title: 'Title must be 150 characters or fewer' }
			},
			{
				what: 'a description over 10,000 characters',
				values: { description: 'x'.repeat(10_001) },
				errors: { description: 'Description must be 10,000 characters or fewer' }
			},
			{
				what: 'no venue for an event in person',
				values: { venueName: '' },
				errors: { venueName: 'Enter the name of the venue' }
			},
			{
				what: 'a start the clocks skip when they go forward',
				values: { startDate: '2031-03-30', startTime: '01:30', endTime: '03:00' },
				errors: { startTime: NOT_A_TIME }
			},
			{
				what: 'more places kept than there are places',
				values: { capacity: '5', reservedPlaces: '6' },
				errors: {
					reservedPlaces:
						'The event has 5 places in all, so you can keep at most 5 for people with lived experience'
				}
			},
			{
				what: 'places kept with no limit on places',
				values: { capacity: '', reservedPlaces: '2' },
				errors: {
					reservedPlaces:
						'Places can only be kept for people with lived experience when there is a limit on places. Enter the number of places first.'
				}
			},
			{
				what: 'registration closing after the start',
				values: { closesDate: '2030-06-04', closesTime: '18:30' },
				errors: { closesDate: 'Registration must close before the event starts' }
			}
		];
		it('shows every mistake in one go: dates and places beside a missing title', async () => {
			const member = await testMember(ctx.db);
			const result = await createEvent(
				ctx.db,
				TEST_SITE,
				member,
				eventValues({
					title: '',
					venueName: '',
					endTime: '17:00',
					capacity: '-5',
					closesDate: '2030-06-05',
					closesTime: '09:00'
				}),
				'2030-06-04T19:00:00.000Z'
			);
			expect(result).toEqual({
				ok: false,
				reason: 'invalid',
				errors: {
					title: 'Enter a title for the event',
					startDate: 'The event must start in the future',
					endTime: 'The end must be after the start',
					venueName: 'Enter the name of the venue',
					capacity:
						'Number of places must be a whole number from 1 to 10,000, or leave it empty for no limit',
					closesDate: 'Registration must close before the event starts'
				}
			});
			// In the order of the form, so the error summary reads top to bottom.
			if (!result.ok && result.reason === 'invalid') {
				expect(Object.keys(result.errors)).toEqual([
					'title',
					'startDate',
					'endTime',
					'venueName',
					'capacity',
					'closesDate'
				]);
			}
		});

		it('shows every mistake in one go when editing, too', async () => {
			const { event, host } = await publishedEvent(ctx.db);
			const result = await updateEvent(
				ctx.db,
				TEST_SITE,
				host,
				event.id,
				eventValues({ description: '', startTime: '18:00', endTime: '17:00', reservedPlaces: 'x' })
			);
			expect(result).toMatchObject({
				ok: false,
				reason: 'invalid',
				errors: {
					description: 'Say what will happen and who it is for',
					endTime: 'The end must be after the start',
					reservedPlaces: expect.stringContaining('must be a whole number from 0 to 10,000')
				}
			});
		});

		for (const refusal of refusals) {
			it(`refuses ${refusal.what}, writing nothing`, async () => {
				const member = await testMember(ctx.db);
				const [events, mails] = [await countRows('event'), await countRows('mail_outbox')];
				const result = await createEvent(
					ctx.db,
					TEST_SITE,
					member,
					eventValues(refusal.values),
					refusal.now
				);
				expect(result).toEqual({ ok: false, reason: 'invalid', errors: refusal.errors });
				expect(await countRows('event')).toBe(events);
				expect(await countRows('mail_outbox')).toBe(mails);
			});
		}

		it('refuses an organisation the host does not belong to, writing nothing', async () => {
			const [founder, member] = await members(2);
			const organisation = await createOrganisation(ctx.db, founder!, {
				name: uniqueTitle('Riverside Carers'),
				description: 'Carers helping carers.'
			});
			if (!organisation.ok) throw new Error('organisation not created');
			const events = await countRows('event');
			const result = await createEvent(
				ctx.db,
				TEST_SITE,
				member!,
				eventValues({ organisation: organisation.organisation.id })
			);
			expect(result).toEqual({
				ok: false,
				reason: 'invalid',
				errors: { organisation: 'Choose an organisation you belong to' }
			});
			expect(await countRows('event')).toBe(events);
		});

		it('refuses a visitor', async () => {
			const events = await countRows('event');
			await expect(createEvent(ctx.db, TEST_SITE, null, eventValues())).rejects.toBeInstanceOf(
				ForbiddenError
			);
			expect(await countRows('event')).toBe(events);
		});
	});

	it('lets one person add at most 20 events a day, then says when to try again', async () => {
		const host = await testMember(ctx.db, 'curator');
		const now = '2030-01-01T09:00:00.000Z';
		for (let i = 0; i < 20; i++) {
			const made = await createEvent(ctx.db, TEST_SITE, host, eventValues(), now);
			expect(made.ok).toBe(true);
		}
		const refused = await createEvent(ctx.db, TEST_SITE, host, eventValues(), now);
		expect(refused).toEqual({ ok: false, reason: 'rate-limited', retryAfterSeconds: 24 * 60 * 60 });
		const tomorrow = '2030-01-02T09:00:01.000Z';
		expect((await createEvent(ctx.db, TEST_SITE, host, eventValues(), tomorrow)).ok).toBe(true);
	});

	describe('eventFormValues', () => {
		it('gives back what the host typed', async () => {
			const values = eventValues({ title: uniqueTitle('Round trip') });
			const result = await createEvent(ctx.db, TEST_SITE, await testMember(ctx.db), values);
			if (!result.ok) throw new Error(JSON.stringify(result));
			expect(eventFormValues(result.event, LONDON)).toEqual({
				...values,
				coverAlt: '',
				endDate: '',
				onlineUrl: '',
				organisation: '',
				reservedPlaces: '',
				opensDate: '',
				opensTime: '',
				closesDate: '',
				closesTime: ''
			});
		});

		it('gives back a two-day event across the clocks going back, with its closing time', async () => {
			const values = eventValues({
				title: uniqueTitle('Weekend retreat'),
				format: 'knowledge-cafe',
				startDate: '2030-10-26',
				startTime: '10:00',
				endDate: '2030-10-27',
				endTime: '10:00',
				mode: 'hybrid',
				onlineUrl: 'https://meet.example.org/retreat',
				accessFeatures: ['quiet_room', 'step_free'],
				capacity: '30',
				reservedPlaces: '4',
				opensDate: '2030-09-01',
				opensTime: '09:00',
				closesDate: '2030-10-20',
				closesTime: '09:15',
				visibility: 'unlisted'
			});
			const curator = await testMember(ctx.db, 'curator');
			const result = await createEvent(ctx.db, TEST_SITE, curator, values);
			if (!result.ok) throw new Error(JSON.stringify(result));
			expect(result.event).toMatchObject({
				starts_at: '2030-10-26T09:00:00.000Z',
				// 25 hours later: the clocks went back in the night.
				ends_at: '2030-10-27T10:00:00.000Z',
				registration_opens_at: '2030-09-01T08:00:00.000Z',
				registration_closes_at: '2030-10-20T08:15:00.000Z',
				time_band: 'weekend'
			});
			expect(eventFormValues(result.event, LONDON)).toEqual({
				...values,
				coverAlt: '',
				// Listed in the form's order, whatever order they were ticked in.
				accessFeatures: ['step_free', 'quiet_room'],
				organisation: ''
			});
			// Saving the form unchanged changes nothing and tells nobody.
			const saved = await updateEvent(
				ctx.db,
				TEST_SITE,
				curator,
				result.event.id,
				eventFormValues(result.event, LONDON)
			);
			expect(saved.ok && saved.told).toBe(0);
			expect(saved.ok && { ...saved.event, updated_at: '' }).toEqual({
				...result.event,
				updated_at: ''
			});
		});
	});

	describe('updateEvent', () => {
		it('lets the host, curators, administrators and the organisation’s admins edit', async () => {
			const [organisationAdmin, host, organisationMember, stranger] = await members(4);
			const created = await createOrganisation(ctx.db, organisationAdmin!, {
				name: uniqueTitle('Carers Together'),
				description: 'Carers helping carers.'
			});
			if (!created.ok) throw new Error('organisation not created');
			const organisationId = created.organisation.id;
			for (const person of [host!, organisationMember!]) {
				await ctx.db
					.insertInto('organisation_member')
					.values({
						organisation_id: organisationId,
						user_id: person.id,
						role: 'member',
						joined_at: nowIso()
					})
					.execute();
			}
			const result = await createEvent(
				ctx.db,
				TEST_SITE,
				host!,
				eventValues({ title: uniqueTitle('On behalf'), organisation: organisationId })
			);
			if (!result.ok) throw new Error(JSON.stringify(result));
			expect(result.event.organisation_id).toBe(organisationId);
			const form = eventFormValues(result.event, LONDON);

			const editors: Array<[string, SessionUser]> = [
				['host', host!],
				['curator', await testMember(ctx.db, 'curator')],
				['administrator', await testMember(ctx.db, 'administrator')],
				['organisation admin', organisationAdmin!]
			];
			for (const [who, editor] of editors) {
				const title = `Edited by the ${who}`;
				const edited = await updateEvent(ctx.db, TEST_SITE, editor, result.event.id, {
					...form,
					title
				});
				expect(edited.ok && edited.event.title).toBe(title);
				expect((await eventRow(result.event.id))?.title).toBe(title);
			}

			for (const outsider of [stranger!, organisationMember!, null]) {
				await expect(
					updateEvent(ctx.db, TEST_SITE, outsider, result.event.id, { ...form, title: 'Taken' })
				).rejects.toBeInstanceOf(ForbiddenError);
			}
			expect((await eventRow(result.event.id))?.title).toBe('Edited by the organisation admin');
		});

		it('answers not_found for an event that does not exist', async () => {
			const curator = await testMember(ctx.db, 'curator');
			expect(await updateEvent(ctx.db, TEST_SITE, curator, 'no-such-event', eventValues())).toEqual(
				{ ok: false, reason: 'not_found' }
			);
		});

		it('refuses to lower the number of places below those already taken', async () => {
			const { event, host } = await publishedEvent(ctx.db, { capacity: '3' });
			for (const person of await members(3)) await register(person, event.id);
			const before = await eventRow(event.id);
			const result = await updateEvent(ctx.db, TEST_SITE, host, event.id, {
				...eventFormValues(event, LONDON),
				title: 'Smaller',
				capacity: '2'
			});
			expect(result).toEqual({
				ok: false,
				reason: 'invalid',
				errors: { capacity: '3 places are already taken, so the limit can’t be lower than 3' }
			});
			expect(await eventRow(event.id)).toEqual(before);
			expect(before).toMatchObject({ capacity: 3, places_taken: 3, title: event.title });
		});

		it('tells everyone with a place or waiting when the time changes, but not for a new description', async () => {
			const title = uniqueTitle('Moving evening');
			const { event, host } = await publishedEvent(ctx.db, { title, capacity: '1' });
			const [holding, waiting] = await members(2);
			await register(holding!, event.id);
			await register(waiting!, event.id);
			expect(await statuses(event.id)).toEqual({ confirmed: 1, waitlisted: 1 });
			const form = eventFormValues(event, LONDON);

			const reworded = await updateEvent(ctx.db, TEST_SITE, host, event.id, {
				...form,
				description: 'A new description, and nothing else.'
			});
			expect(reworded.ok && reworded.told).toBe(0);
			expect(reworded.ok && reworded.event.description).toBe(
				'A new description, and nothing else.'
			);
			expect(await mailsAbout('events.event-changed', title)).toEqual([]);

			const moved = await updateEvent(ctx.db, TEST_SITE, host, event.id, {
				...form,
				startTime: '18:30',
				endTime: '20:00'
			});
			expect(moved.ok && moved.told).toBe(2);
			expect(moved.ok && moved.event.starts_at).toBe('2030-06-04T17:30:00.000Z');
			expect(await recipients('events.event-changed', title)).toEqual(sorted([holding!, waiting!]));
			for (const mail of await mailsAbout('events.event-changed', title)) {
				expect(mail.subject).toBe(`Changed: ${title}`);
				expect(mail.text_body).toContain('It is now on Tuesday 4 June 2030, 6:30pm to 8pm.');
				const attachments = JSON.parse(mail.attachments ?? '[]') as Array<{
					filename: string;
					content: string;
				}>;
				expect(attachments).toHaveLength(1);
				expect(attachments[0]!.filename).toMatch(/\.ics$/);
				const ics = Buffer.from(attachments[0]!.content, 'base64').toString('utf8');
				expect(ics).toContain(`UID:event-${event.id}@colab.test`);
				expect(ics).toContain('DTSTART:20300604T173000Z');
				expect(ics).toContain('DTEND:20300604T190000Z');
			}
		});

		it('offers new places to the people waiting, in turn', async () => {
			const title = uniqueTitle('Growing evening');
			const { event, host } = await publishedEvent(ctx.db, { title, capacity: '1' });
			const [holding, first, second] = await members(3);
			for (const person of [holding!, first!, second!]) await register(person, event.id);

			const result = await updateEvent(ctx.db, TEST_SITE, host, event.id, {
				...eventFormValues(event, LONDON),
				capacity: '2'
			});
			expect(result.ok && result.told).toBe(0);
			expect(await statusOf(event.id, first!)).toBe('offered');
			expect(await statusOf(event.id, second!)).toBe('waitlisted');
			expect(await statuses(event.id)).toEqual({ confirmed: 1, offered: 1, waitlisted: 1 });
			expect((await eventRow(event.id))?.places_taken).toBe(2);
			expect(await recipients('events.place-offered', title)).toEqual([first!.email]);
		});

		// Removing the limit offers a place to everyone waiting, before newcomers walk in.
		it('offers a place to everyone waiting when the limit on places is removed', async () => {
			const { event, host } = await publishedEvent(ctx.db, { capacity: '1' });
			const [holding, waiting] = await members(2);
			for (const person of [holding!, waiting!]) await register(person, event.id);
			const result = await updateEvent(ctx.db, TEST_SITE, host, event.id, {
				...eventFormValues(event, LONDON),
				capacity: ''
			});
			expect(result.ok && result.event.capacity).toBeNull();
			expect(['offered', 'confirmed']).toContain(await statusOf(event.id, waiting!));
		});

		it('refuses to edit a cancelled event', async () => {
			const { event, host } = await publishedEvent(ctx.db);
			await cancelEvent(ctx.db, TEST_SITE, host, event.id, { reason: 'The venue closed.' });
			const before = await eventRow(event.id);
			const result = await updateEvent(ctx.db, TEST_SITE, host, event.id, {
				...eventFormValues(event, LONDON),
				title: 'Back on'
			});
			expect(result).toEqual({
				ok: false,
				reason: 'invalid',
				errors: { form: 'This event is cancelled, so it can’t be changed.' }
			});
			expect(await eventRow(event.id)).toEqual(before);
		});
	});

	describe('getEventForManaging', () => {
		it('gives the event to those who manage it, and refuses anyone else', async () => {
			const { event, host } = await publishedEvent(ctx.db);
			expect(await getEventForManaging(ctx.db, host, event.id)).toEqual(event);
			await expect(
				getEventForManaging(ctx.db, await testMember(ctx.db), event.id)
			).rejects.toBeInstanceOf(ForbiddenError);
			expect(await getEventForManaging(ctx.db, host, 'no-such-event')).toBeUndefined();
		});
	});

	describe('cancelEvent', () => {
		it('needs a reason, and only its managers may cancel', async () => {
			const { event, host } = await publishedEvent(ctx.db);
			expect(await cancelEvent(ctx.db, TEST_SITE, host, event.id, { reason: '   ' })).toEqual({
				ok: false,
				reason: 'invalid',
				errors: { reason: 'Tell people why the event is cancelled' }
			});
			await expect(
				cancelEvent(ctx.db, TEST_SITE, await testMember(ctx.db), event.id, {
					reason: 'I do not like it.'
				})
			).rejects.toBeInstanceOf(ForbiddenError);
			await expect(
				cancelEvent(ctx.db, TEST_SITE, null, event.id, { reason: 'I do not like it.' })
			).rejects.toBeInstanceOf(ForbiddenError);
			expect((await eventRow(event.id))?.status).toBe('scheduled');
		});

		it('tells everyone with a place or waiting why, and ends the offers and the waitlist', async () => {
			const title = uniqueTitle('Flooded evening');
			const { event, host } = await publishedEvent(ctx.db, { title, capacity: '2' });
			const [holding, leaving, offered, waiting] = await members(4);
			const registrations = [];
			for (const person of [holding!, leaving!, offered!, waiting!]) {
				registrations.push(await register(person, event.id));
			}
			await cancelRegistration(ctx.db, TEST_SITE, {
				member: leaving!,
				registrationId: registrations[1]!.registration.id
			});
			expect(await statusOf(event.id, offered!)).toBe('offered');

			const now = '2030-05-01T09:00:00.000Z';
			const result = await cancelEvent(
				ctx.db,
				TEST_SITE,
				host,
				event.id,
				{ reason: 'The venue has flooded.' },
				now
			);
			expect(result).toEqual({ ok: true, told: 3 });
			expect(await eventRow(event.id)).toMatchObject({
				status: 'cancelled',
				cancelled_at: now,
				cancel_reason: 'The venue has flooded.'
			});
			expect(await recipients('events.event-cancelled', title)).toEqual(
				sorted([holding!, offered!, waiting!])
			);
			for (const mail of await mailsAbout('events.event-cancelled', title)) {
				expect(mail.text_body).toContain('The host says: The venue has flooded.');
			}
			expect(await statusOf(event.id, holding!)).toBe('confirmed');
			expect(await statusOf(event.id, offered!)).toBe('cancelled');
			expect(await statusOf(event.id, waiting!)).toBe('cancelled');
			expect(await statuses(event.id)).toEqual({ confirmed: 1, cancelled: 3 });

			// Cancelling again tells nobody twice.
			expect(
				await cancelEvent(ctx.db, TEST_SITE, host, event.id, { reason: 'Still flooded.' })
			).toEqual({ ok: true, told: 0 });
			expect(await mailsAbout('events.event-cancelled', title)).toHaveLength(3);
		});

		it('refuses to cancel an event that has already happened', async () => {
			const { event, host } = await publishedEvent(ctx.db);
			const result = await cancelEvent(
				ctx.db,
				TEST_SITE,
				host,
				event.id,
				{ reason: 'Too late.' },
				'2030-06-04T18:30:00.000Z'
			);
			expect(result).toEqual({
				ok: false,
				reason: 'invalid',
				errors: { reason: 'This event has already happened, so it can’t be cancelled.' }
			});
			expect((await eventRow(event.id))?.status).toBe('scheduled');
		});
	});

	describe('messageAttendees', () => {
		it('writes to everyone with a place, and nobody waiting', async () => {
			const title = uniqueTitle('Message evening');
			const { event, host } = await publishedEvent(ctx.db, { title, capacity: '2' });
			const [holding, leaving, offered, waiting] = await members(4);
			const registrations = [];
			for (const person of [holding!, leaving!, offered!, waiting!]) {
				registrations.push(await register(person, event.id));
			}
			await cancelRegistration(ctx.db, TEST_SITE, {
				member: leaving!,
				registrationId: registrations[1]!.registration.id
			});

			const result = await messageAttendees(ctx.db, TEST_SITE, host, event.id, {
				subject: 'Parking',
				body: 'Please use the car park behind the library.'
			});
			expect(result).toEqual({ ok: true, told: 2 });
			const mails = await mailsAbout('events.host-message', title);
			expect(mails.map((m) => m.to_address).sort()).toEqual(sorted([holding!, offered!]));
			for (const mail of mails) {
				expect(mail.subject).toBe(`Parking (${title})`);
				expect(mail.text_body).toContain('Please use the car park behind the library.');
				expect(mail.text_body).toContain(`${host.name}, the host of ${title}`);
			}
		});

		it('refuses anyone but its managers, sending nothing', async () => {
			const title = uniqueTitle('Private evening');
			const { event } = await publishedEvent(ctx.db, { title });
			await register(await testMember(ctx.db), event.id);
			const message = { subject: 'Hello', body: 'Come to my party.' };
			await expect(
				messageAttendees(ctx.db, TEST_SITE, await testMember(ctx.db), event.id, message)
			).rejects.toBeInstanceOf(ForbiddenError);
			await expect(
				messageAttendees(ctx.db, TEST_SITE, null, event.id, message)
			).rejects.toBeInstanceOf(ForbiddenError);
			expect(await mailsAbout('events.host-message', title)).toEqual([]);
		});

		it('refuses a sixth message in a day from the same host', async () => {
			const title = uniqueTitle('Chatty evening');
			const { event, host } = await publishedEvent(ctx.db, { title });
			const attendee = await testMember(ctx.db);
			await register(attendee, event.id);
			const now = '2030-05-01T09:00:00.000Z';
			for (let i = 1; i <= HOST_MESSAGES_PER_DAY; i++) {
				const sent = await messageAttendees(
					ctx.db,
					TEST_SITE,
					host,
					event.id,
					{ subject: `Update ${i}`, body: 'More news.' },
					now
				);
				expect(sent).toEqual({ ok: true, told: 1 });
			}
			const sixth = await messageAttendees(
				ctx.db,
				TEST_SITE,
				host,
				event.id,
				{ subject: 'Update 6', body: 'Even more news.' },
				now
			);
			expect(sixth.ok).toBe(false);
			if (!sixth.ok && sixth.reason === 'rate-limited') {
				expect(sixth.retryAfterSeconds).toBeGreaterThan(0);
				expect(sixth.retryAfterSeconds).toBeLessThanOrEqual(24 * 60 * 60);
			} else expect.unreachable(`expected rate-limited, got ${JSON.stringify(sixth)}`);
			expect(await mailsAbout('events.host-message', title)).toHaveLength(HOST_MESSAGES_PER_DAY);
		});
	});
});

describeEachDatabase('event approval', (ctx) => {
	async function awaitingApproval(title: string): Promise<string[]> {
		const rows = await ctx.db
			.selectFrom('mail_outbox')
			.select(['to_address'])
			.where('kind', '=', 'events.awaiting-approval')
			.where('subject', '=', `An event is waiting for approval: ${title}`)
			.execute();
		return rows.map((r) => r.to_address).sort();
	}

	// First in its own database, so these are all the curators and administrators there are.
	it('holds a member’s first event for a curator, then publishes their next at once', async () => {
		const curators = [
			await testMember(ctx.db, 'curator'),
			await testMember(ctx.db, 'curator'),
			await testMember(ctx.db, 'administrator')
		];
		const member = await testMember(ctx.db);
		const title = uniqueTitle('First event');
		const first = await createEvent(ctx.db, TEST_SITE, member, eventValues({ title }));
		if (!first.ok) throw new Error(JSON.stringify(first));
		expect(first.event.approval).toBe('pending');
		expect(await awaitingApproval(title)).toEqual(curators.map((c) => c.email).sort());

		await expect(
			approveEvent(ctx.db, TEST_SITE, await testMember(ctx.db), first.event.id)
		).rejects.toBeInstanceOf(ForbiddenError);
		await expect(approveEvent(ctx.db, TEST_SITE, member, first.event.id)).rejects.toBeInstanceOf(
			ForbiddenError
		);
		const still = await ctx.db
			.selectFrom('event')
			.select(['approval', 'approved_by'])
			.where('id', '=', first.event.id)
			.executeTakeFirstOrThrow();
		expect(still).toEqual({ approval: 'pending', approved_by: null });

		expect(await approveEvent(ctx.db, TEST_SITE, curators[0], first.event.id)).toEqual({
			ok: true
		});
		const approved = await ctx.db
			.selectFrom('event')
			.select(['approval', 'approved_by'])
			.where('id', '=', first.event.id)
			.executeTakeFirstOrThrow();
		expect(approved).toEqual({ approval: 'approved', approved_by: curators[0]!.id });
		const told = await ctx.db
			.selectFrom('mail_outbox')
			.select(['to_address', 'subject'])
			.where('kind', '=', 'events.approved')
			.execute();
		expect(told).toEqual([
			{ to_address: member.email, subject: `Your event is published: ${title}` }
		]);

		const secondTitle = uniqueTitle('Second event');
		const second = await createEvent(
			ctx.db,
			TEST_SITE,
			member,
			eventValues({ title: secondTitle })
		);
		expect(second.ok && second.event.approval).toBe('approved');
		expect(await awaitingApproval(secondTitle)).toEqual([]);
	});

	it('answers not_found when approving an event that does not exist', async () => {
		const curator = await testMember(ctx.db, 'curator');
		expect(await approveEvent(ctx.db, TEST_SITE, curator, 'no-such-event')).toEqual({
			ok: false,
			reason: 'not_found'
		});
	});

	it('publishes curators’ and administrators’ events at once', async () => {
		for (const role of ['curator', 'administrator'] as const) {
			const title = uniqueTitle(`Hosted by a ${role}`);
			const result = await createEvent(
				ctx.db,
				TEST_SITE,
				await testMember(ctx.db, role),
				eventValues({ title })
			);
			expect(result.ok && result.event.approval).toBe('approved');
			expect(await awaitingApproval(title)).toEqual([]);
		}
	});

	it('publishes first events at once when the instance turns approval off', async () => {
		await writeSetting(ctx.db, APPROVE_FIRST_EVENT_SETTING, 'off');
		try {
			const title = uniqueTitle('Unapproved first event');
			const result = await createEvent(
				ctx.db,
				TEST_SITE,
				await testMember(ctx.db),
				eventValues({ title })
			);
			expect(result.ok && result.event.approval).toBe('approved');
			expect(await awaitingApproval(title)).toEqual([]);
		} finally {
			await deleteSetting(ctx.db, APPROVE_FIRST_EVENT_SETTING);
		}
	});
});

describeEachDatabase('events and personal data', (ctx) => {
	const SITE = { siteName: TEST_SITE.siteName, origin: TEST_SITE.origin };

	async function eventRow(id: string) {
		return ctx.db.selectFrom('event').selectAll().where('id', '=', id).executeTakeFirst();
	}

	async function register(member: SessionUser, eventId: string, values: FormValues = {}) {
		const result = await registerMember(ctx.db, TEST_SITE, member, eventId, values);
		if (!result.ok) throw new Error(`not registered: ${result.reason}`);
		return result;
	}

	async function cancelledMails(title: string) {
		return ctx.db
			.selectFrom('mail_outbox')
			.select(['to_address', 'text_body'])
			.where('kind', '=', 'events.event-cancelled')
			.where('subject', '=', `Cancelled: ${title}`)
			.execute();
	}

	/** A host with an event coming up (one person with a place, one waiting) and one long past. */
	async function hostWithEvents() {
		const host = await testMember(ctx.db, 'curator');
		const title = uniqueTitle('Leaving host’s evening');
		const { event } = await publishedEvent(ctx.db, { title, capacity: '1' }, host);
		const past = await createEvent(
			ctx.db,
			TEST_SITE,
			host,
			eventValues({ startDate: '2021-06-01' }),
			'2021-01-01T09:00:00.000Z'
		);
		if (!past.ok) throw new Error(JSON.stringify(past));
		const holding = await testMember(ctx.db);
		const waiting = await testMember(ctx.db);
		await register(holding, event.id);
		await register(waiting, event.id);
		return { host, title, event, past: past.event, holding, waiting };
	}

	it('cancels and deletes a leaving host’s events when they remove their contributions', async () => {
		const { host, title, event, past, holding, waiting } = await hostWithEvents();
		expect(await deleteAccount(ctx.db, host.id, { contributions: 'remove', site: SITE })).toEqual(
			expect.objectContaining({ ok: true })
		);
		const mails = await cancelledMails(title);
		expect(mails.map((m) => m.to_address).sort()).toEqual([holding.email, waiting.email].sort());
		for (const mail of mails) {
			expect(mail.text_body).toContain(`${title} has been cancelled, because its host has left`);
		}
		expect(await eventRow(event.id)).toBeUndefined();
		expect(await eventRow(past.id)).toBeUndefined();
		const left = await ctx.db
			.selectFrom('event_registration')
			.select('id')
			.where('event_id', '=', event.id)
			.execute();
		expect(left).toEqual([]);
	});

	it('cancels a leaving host’s coming events but keeps them, nameless, when they keep contributions', async () => {
		const { host, title, event, past, holding, waiting } = await hostWithEvents();
		expect(
			await deleteAccount(ctx.db, host.id, { contributions: 'keep-as-former-member', site: SITE })
		).toEqual(expect.objectContaining({ ok: true }));
		expect(await eventRow(event.id)).toMatchObject({
			host_id: null,
			status: 'cancelled',
			cancel_reason: 'The host has left.'
		});
		expect(await eventRow(past.id)).toMatchObject({ host_id: null, status: 'scheduled' });
		expect((await cancelledMails(title)).map((m) => m.to_address).sort()).toEqual(
			[holding.email, waiting.email].sort()
		);
		const registrations = await ctx.db
			.selectFrom('event_registration')
			.select(['user_id', 'status'])
			.where('event_id', '=', event.id)
			.execute();
		expect(registrations.sort((a, b) => a.status.localeCompare(b.status))).toEqual([
			{ user_id: waiting.id, status: 'cancelled' },
			{ user_id: holding.id, status: 'confirmed' }
		]);
	});

	it('frees the places of someone who deletes their account, and deletes their registrations', async () => {
		const { event } = await publishedEvent(ctx.db, { capacity: '5' });
		const { event: other } = await publishedEvent(ctx.db);
		const { event: asVisitor } = await publishedEvent(ctx.db);
		const [leaving, staying] = [await testMember(ctx.db), await testMember(ctx.db)];
		await register(leaving, event.id, { needs: ['companion'] });
		await register(staying, event.id);
		expect((await eventRow(event.id))?.places_taken).toBe(3);
		const cancelled = await register(leaving, other.id);
		await cancelRegistration(ctx.db, TEST_SITE, {
			member: leaving,
			registrationId: cancelled.registration.id
		});
		// A place asked for by email, before signing in.
		expect(
			await registerVisitor(ctx.db, TEST_SITE, asVisitor.id, {
				name: leaving.name,
				email: leaving.email
			})
		).toEqual({ ok: true });

		expect(
			await deleteAccount(ctx.db, leaving.id, { contributions: 'remove', site: SITE })
		).toEqual(expect.objectContaining({ ok: true }));
		expect((await eventRow(event.id))?.places_taken).toBe(1);
		const theirs = await ctx.db
			.selectFrom('event_registration')
			.select('id')
			.where((eb) => eb.or([eb('user_id', '=', leaving.id), eb('email', '=', leaving.email)]))
			.execute();
		expect(theirs).toEqual([]);
		const others = await ctx.db
			.selectFrom('event_registration')
			.select(['user_id', 'status'])
			.where('event_id', '=', event.id)
			.execute();
		expect(others).toEqual([{ user_id: staying.id, status: 'confirmed' }]);
	});

	it('lists someone’s registrations, with their access needs, in their download', async () => {
		const title = uniqueTitle('Exported evening');
		const { event } = await publishedEvent(ctx.db, { title });
		const laterTitle = uniqueTitle('Exported visit');
		const { event: later } = await publishedEvent(ctx.db, {
			title: laterTitle,
			startDate: '2030-07-01'
		});
		const member = await testMember(ctx.db);
		await register(await testMember(ctx.db), event.id, { needs: ['large_print'] });
		const registeredAt = '2030-05-01T09:00:00.000Z';
		const registered = await registerMember(
			ctx.db,
			TEST_SITE,
			member,
			event.id,
			{ needs: ['dietary', 'bsl'], needDetails: 'Vegetarian', livedExperience: 'yes' },
			registeredAt
		);
		expect(registered.ok).toBe(true);
		await registerVisitor(ctx.db, TEST_SITE, later.id, {
			name: member.name,
			email: member.email,
			needs: ['step_free']
		});

		const data = await exportPersonData(ctx.db, member.id);
		expect(data?.eventRegistrations).toEqual([
			{
				event: title,
				address: `/events/${event.id}`,
				startsAt: '2030-06-04T17:00:00.000Z',
				status: 'confirmed',
				places: 1,
				livedExperience: true,
				accessNeeds: ['bsl', 'dietary'],
				accessNeedDetails: 'Vegetarian',
				registeredAt,
				checkedInAt: null
			},
			{
				event: laterTitle,
				address: `/events/${later.id}`,
				startsAt: '2030-07-01T17:00:00.000Z',
				status: 'unconfirmed',
				places: 1,
				livedExperience: false,
				accessNeeds: ['step_free'],
				accessNeedDetails: null,
				registeredAt: expect.any(String),
				checkedInAt: null
			}
		]);
	});
});
