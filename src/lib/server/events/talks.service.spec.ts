import { expect, it } from 'vitest';
import { ForbiddenError } from '../refusals';
import type { SessionUser } from '../auth/auth.types';
import type { FormValues } from '../forms';
import { describeEachDatabase } from '../testing/databases';
import { approveEvent, cancelEvent, recordFormValues, writeRecord } from './events.service';
import { publishedEvent, testMember, TEST_SITE } from './events.testing';
import {
	addTalkLinks,
	decideTalk,
	moveTalk,
	offerTalk,
	viewTalks,
	withdrawTalk
} from './talks.service';

/** The event's default start (18:00 London on 4 June 2030). */
const STARTS = '2030-06-04T17:00:00.000Z';
const AFTER = '2030-06-04T19:00:00.000Z';
/** A moment before the event, `minute` minutes past 10:00 on 1 May 2030, to order offers. */
function before(minute: number): string {
	return new Date(Date.UTC(2030, 4, 1, 10, minute)).toISOString();
}

let titles = 0;
/** An event title no other spec uses, so mails can be told apart by subject. */
function uniqueTitle(label: string): string {
	titles++;
	return `${label} ${titles}`;
}

describeEachDatabase('lightning talks', (ctx) => {
	/** Lightning talks hosted by a member (approved by a curator), and that curator. */
	async function talksEvent() {
		const host = await testMember(ctx.db, 'member', 'Talks Host');
		const curator = await testMember(ctx.db, 'curator', 'Talks Curator');
		const { event } = await publishedEvent(
			ctx.db,
			{ format: 'lightning-talks', title: uniqueTitle('Lightning evening') },
			host
		);
		if (event.approval !== 'approved') {
			expect(await approveEvent(ctx.db, TEST_SITE, curator, event.id)).toEqual({ ok: true });
		}
		return { event, host, curator };
	}

	async function talks(eventId: string) {
		return ctx.db
			.selectFrom('event_talk')
			.selectAll()
			.where('event_id', '=', eventId)
			.orderBy('created_at')
			.orderBy('title')
			.execute();
	}

	async function talkRow(id: string) {
		return ctx.db
			.selectFrom('event_talk')
			.selectAll()
			.where('id', '=', id)
			.executeTakeFirstOrThrow();
	}

	/** Offers a talk that must be accepted as an offer, and returns its id. */
	async function offer(
		eventId: string,
		speaker: SessionUser,
		title: string,
		now = before(0),
		values: FormValues = {}
	): Promise<string> {
		expect(
			await offerTalk(
				ctx.db,
				speaker,
				eventId,
				{ title, summary: `About ${title}`, ...values },
				now
			)
		).toEqual({ ok: true });
		const row = await ctx.db
			.selectFrom('event_talk')
			.select('id')
			.where('event_id', '=', eventId)
			.where('title', '=', title)
			.executeTakeFirstOrThrow();
		return row.id;
	}

	async function accept(eventId: string, host: SessionUser, talkId: string) {
		expect(
			await decideTalk(ctx.db, TEST_SITE, host, eventId, talkId, { decision: 'accept' })
		).toEqual({ ok: true, decision: 'accept' });
	}

	/** Accepted talks' titles with their positions, in running order. */
	async function runningOrder(eventId: string) {
		const rows = await ctx.db
			.selectFrom('event_talk')
			.select(['title', 'position'])
			.where('event_id', '=', eventId)
			.where('status', '=', 'accepted')
			.orderBy('position')
			.execute();
		return rows.map((r) => [r.title, r.position]);
	}

	async function mailsTo(email: string) {
		return ctx.db
			.selectFrom('mail_outbox')
			.select(['kind', 'subject', 'text_body'])
			.where('to_address', '=', email)
			.orderBy('created_at')
			.execute();
	}

	it('takes an offer from any signed-in member, with 5 minutes unless they say', async () => {
		const { event } = await talksEvent();
		const speaker = await testMember(ctx.db, 'member', 'Sam Speaker');
		expect(
			await offerTalk(
				ctx.db,
				speaker,
				event.id,
				{ title: '  Carers’ apps  ', summary: '  What we learnt.  ', minutes: ' ' },
				before(1)
			)
		).toEqual({ ok: true });
		const other = await testMember(ctx.db);
		await offer(event.id, other, 'Ten minutes', before(2), { minutes: '10' });
		await offer(event.id, other, 'No minutes given', before(3));

		expect(
			(await talks(event.id)).map((t) => [
				t.speaker_id,
				t.title,
				t.summary,
				t.minutes,
				t.status,
				t.position,
				t.created_at
			])
		).toEqual([
			[speaker.id, 'Carers’ apps', 'What we learnt.', 5, 'offered', null, before(1)],
			[other.id, 'Ten minutes', 'About Ten minutes', 10, 'offered', null, before(2)],
			[other.id, 'No minutes given', 'About No minutes given', 5, 'offered', null, before(3)]
		]);

		for (const visitor of [null, undefined]) {
			await expect(
				offerTalk(ctx.db, visitor, event.id, { title: 'Anon', summary: 'Anon' })
			).rejects.toBeInstanceOf(ForbiddenError);
		}
		expect(await offerTalk(ctx.db, speaker, 'no-such-event', { title: 'x', summary: 'y' })).toEqual(
			{ ok: false, reason: 'not_found' }
		);
		expect(await talks(event.id)).toHaveLength(3);
	});

	it('checks an offer, with a message on each field, and writes nothing when it is wrong', async () => {
		const { event } = await talksEvent();
		const speaker = await testMember(ctx.db);
		const invalid = async (values: FormValues, errors: Record<string, string>) =>
			expect(await offerTalk(ctx.db, speaker, event.id, values)).toEqual({
				ok: false,
				reason: 'invalid',
				errors
			});
		await invalid(
			{ title: ' ', summary: '' },
			{ title: 'Enter a title for your talk', summary: 'Say what your talk is about' }
		);
		await invalid(
			{},
			{ title: 'Enter a title for your talk', summary: 'Say what your talk is about' }
		);
		await invalid(
			{ title: 'x'.repeat(121), summary: 's'.repeat(1_001) },
			{
				title: 'Title must be 120 characters or fewer',
				summary: 'Summary must be 1,000 characters or fewer'
			}
		);
		const fine = { title: 'Fine', summary: 'Fine' };
		await invalid({ ...fine, minutes: '0' }, { minutes: 'A talk lasts at least 1 minute' });
		await invalid(
			{ ...fine, minutes: '21' },
			{ minutes: 'Lightning talks last at most 20 minutes' }
		);
		await invalid(
			{ ...fine, minutes: 'x' },
			{ minutes: 'A talk’s length in minutes must be a whole number from 1 to 20' }
		);
		await invalid(
			{ ...fine, minutes: '2.5' },
			{ minutes: 'A talk’s length in minutes must be a whole number from 1 to 20' }
		);
		expect(await talks(event.id)).toEqual([]);

		await offer(event.id, speaker, 'Twenty', before(1), { minutes: '20' });
		await offer(event.id, speaker, 'One', before(2), { minutes: '1' });
		expect((await talks(event.id)).map((t) => t.minutes)).toEqual([20, 1]);
	});

	it('keeps at most 2 offers waiting from one person', async () => {
		const { event, host } = await talksEvent();
		const speaker = await testMember(ctx.db);
		const first = await offer(event.id, speaker, 'First', before(1));
		await offer(event.id, speaker, 'Second', before(2));
		expect(
			await offerTalk(ctx.db, speaker, event.id, { title: 'Third', summary: 'Third' })
		).toEqual({
			ok: false,
			reason: 'invalid',
			errors: { title: 'You already have 2 offers waiting for the host' }
		});
		// Someone else still can; and once one is decided, the speaker can offer another.
		await offer(event.id, await testMember(ctx.db), 'Someone else’s');
		await accept(event.id, host, first);
		await offer(event.id, speaker, 'Third', before(3));
		expect((await talks(event.id)).filter((t) => t.speaker_id === speaker.id)).toHaveLength(3);
	});

	it('keeps 2 offers, not more, when one person sends 6 at once', async () => {
		const { event } = await talksEvent();
		const speaker = await testMember(ctx.db);
		const results = await Promise.all(
			Array.from({ length: 6 }, (_, i) =>
				offerTalk(ctx.db, speaker, event.id, { title: `Rush ${i}`, summary: 'Rush' })
			)
		);
		expect(results.filter((r) => r.ok)).toHaveLength(2);
		expect(await talks(event.id)).toHaveLength(2);
	});

	it('gives distinct places to talks accepted at the same moment', async () => {
		const { event, host } = await talksEvent();
		const ids: string[] = [];
		for (let i = 0; i < 5; i++) {
			ids.push(await offer(event.id, await testMember(ctx.db), `Same moment ${i}`, before(i)));
		}
		const results = await Promise.all(
			ids.map((id) => decideTalk(ctx.db, TEST_SITE, host, event.id, id, { decision: 'accept' }))
		);
		expect(results.every((r) => r.ok)).toBe(true);
		expect((await runningOrder(event.id)).map(([, position]) => position)).toEqual([1, 2, 3, 4, 5]);
	});

	it('takes no offers once the event has started, or for a cancelled event', async () => {
		const { event } = await talksEvent();
		const speaker = await testMember(ctx.db);
		expect(
			await offerTalk(ctx.db, speaker, event.id, { title: 'Late', summary: 'Late' }, STARTS)
		).toEqual({ ok: false, reason: 'closed' });
		expect(
			await offerTalk(ctx.db, speaker, event.id, { title: 'Late', summary: 'Late' }, AFTER)
		).toEqual({ ok: false, reason: 'closed' });
		// Closed before anything is checked.
		expect(await offerTalk(ctx.db, speaker, event.id, {}, AFTER)).toEqual({
			ok: false,
			reason: 'closed'
		});
		expect((await viewTalks(ctx.db, speaker, event.id, STARTS))?.can.offer).toBe(false);

		const { event: toCancel, host: itsHost } = await talksEvent();
		expect(
			await cancelEvent(ctx.db, TEST_SITE, itsHost, toCancel.id, {
				reason: 'The speakers all caught colds.'
			})
		).toMatchObject({ ok: true });
		expect(
			await offerTalk(ctx.db, speaker, toCancel.id, { title: 'Cancelled', summary: 'Cancelled' })
		).toEqual({ ok: false, reason: 'closed' });
		expect((await viewTalks(ctx.db, speaker, toCancel.id))?.can.offer).toBe(false);
		expect(await talks(event.id)).toEqual([]);
		expect(await talks(toCancel.id)).toEqual([]);
	});

	it('lets only the host or a curator decide, building the running order', async () => {
		const { event, host, curator } = await talksEvent();
		const speakers = [await testMember(ctx.db), await testMember(ctx.db), await testMember(ctx.db)];
		const [a, b, c] = [
			await offer(event.id, speakers[0]!, 'Talk A', before(1)),
			await offer(event.id, speakers[1]!, 'Talk B', before(2)),
			await offer(event.id, speakers[2]!, 'Talk C', before(3))
		];
		for (const refused of [speakers[0]!, await testMember(ctx.db), null]) {
			await expect(
				decideTalk(ctx.db, TEST_SITE, refused, event.id, a!, { decision: 'accept' })
			).rejects.toBeInstanceOf(ForbiddenError);
		}
		expect((await talkRow(a!)).status).toBe('offered');

		// Accepted in the order C, A, B: each goes to the end.
		await accept(event.id, host, c!);
		await accept(event.id, curator, a!);
		await accept(event.id, host, b!);
		expect(await runningOrder(event.id)).toEqual([
			['Talk C', 1],
			['Talk A', 2],
			['Talk B', 3]
		]);
		// Accepting again keeps its place.
		await accept(event.id, host, c!);
		expect(await runningOrder(event.id)).toEqual([
			['Talk C', 1],
			['Talk A', 2],
			['Talk B', 3]
		]);

		expect(
			await decideTalk(ctx.db, TEST_SITE, host, event.id, 'no-such-talk', { decision: 'accept' })
		).toEqual({ ok: false, reason: 'not_found' });
	});

	it('declines with a message, and tells the speaker by email either way', async () => {
		const { event, host } = await talksEvent();
		const declined = await testMember(ctx.db, 'member', 'Dee Declined');
		const accepted = await testMember(ctx.db, 'member', 'Ace Accepted');
		const no = await offer(event.id, declined, 'Not this time', before(1));
		const yes = await offer(event.id, accepted, 'In the programme', before(2));

		expect(
			await decideTalk(ctx.db, TEST_SITE, host, event.id, no, {
				decision: 'decline',
				message: '  We have too many talks on apps already.  '
			})
		).toEqual({ ok: true, decision: 'decline' });
		expect(
			await decideTalk(ctx.db, TEST_SITE, host, event.id, yes, {
				decision: 'accept',
				message: 'Looking forward to it!'
			})
		).toEqual({ ok: true, decision: 'accept' });

		const noRow = await talkRow(no);
		expect([noRow.status, noRow.position, noRow.host_message]).toEqual([
			'declined',
			null,
			'We have too many talks on apps already.'
		]);
		const yesRow = await talkRow(yes);
		expect([yesRow.status, yesRow.position, yesRow.host_message]).toEqual([
			'accepted',
			1,
			'Looking forward to it!'
		]);

		const [declinedMail, ...moreDeclined] = await mailsTo(declined.email);
		expect(moreDeclined).toEqual([]);
		expect(declinedMail!.kind).toBe('events.talk-decided');
		expect(declinedMail!.subject).toBe(`About your talk for ${event.title}`);
		expect(declinedMail!.text_body).toContain('Hello Dee Declined,');
		expect(declinedMail!.text_body).toContain(
			'The host says: We have too many talks on apps already.'
		);
		expect(declinedMail!.text_body).toContain('“Not this time”');
		expect(declinedMail!.text_body).toContain(`http://colab.test/events/${event.id}/talks`);

		const [acceptedMail, ...moreAccepted] = await mailsTo(accepted.email);
		expect(moreAccepted).toEqual([]);
		expect(acceptedMail!.kind).toBe('events.talk-decided');
		expect(acceptedMail!.subject).toBe(`Your talk is in the programme: ${event.title}`);
		expect(acceptedMail!.text_body).toContain('The host says: Looking forward to it!');

		// A decision without a message says nothing from the host.
		const quiet = await testMember(ctx.db);
		const q = await offer(event.id, quiet, 'Quiet one', before(3));
		expect(
			await decideTalk(ctx.db, TEST_SITE, host, event.id, q, { decision: 'decline', message: ' ' })
		).toEqual({ ok: true, decision: 'decline' });
		expect((await talkRow(q)).host_message).toBeNull();
		const [quietMail] = await mailsTo(quiet.email);
		expect(quietMail!.text_body).not.toContain('The host says');
	});

	it('refuses a decision that is not accept or decline, changing nothing', async () => {
		const { event, host } = await talksEvent();
		const speaker = await testMember(ctx.db);
		const talk = await offer(event.id, speaker, 'Undecided');
		const cases: [FormValues, Record<string, string>][] = [
			[{ decision: 'maybe' }, { decision: 'Choose accept or decline' }],
			[{ decision: '' }, { decision: 'Choose accept or decline' }],
			[{}, { decision: 'Choose accept or decline' }],
			[
				{ decision: 'accept', message: 'm'.repeat(1_001) },
				{ message: 'Message must be 1,000 characters or fewer' }
			]
		];
		for (const [values, errors] of cases) {
			expect(await decideTalk(ctx.db, TEST_SITE, host, event.id, talk, values)).toEqual({
				ok: false,
				reason: 'invalid',
				errors
			});
		}
		expect((await talkRow(talk)).status).toBe('offered');
		expect(await mailsTo(speaker.email)).toEqual([]);
	});

	it('moves talks up and down the running order, for the host only', async () => {
		const { event, host } = await talksEvent();
		const speaker = await testMember(ctx.db);
		const other = await testMember(ctx.db);
		const a = await offer(event.id, speaker, 'Move A', before(1));
		const b = await offer(event.id, speaker, 'Move B', before(2));
		const c = await offer(event.id, other, 'Move C', before(3));
		const waiting = await offer(event.id, other, 'Still waiting', before(4));
		for (const id of [a, b, c]) await accept(event.id, host, id);

		expect(await moveTalk(ctx.db, host, event.id, c, 'up')).toEqual({ ok: true });
		expect(await runningOrder(event.id)).toEqual([
			['Move A', 1],
			['Move C', 2],
			['Move B', 3]
		]);
		expect(await moveTalk(ctx.db, host, event.id, a, 'down')).toEqual({ ok: true });
		expect(await runningOrder(event.id)).toEqual([
			['Move C', 1],
			['Move A', 2],
			['Move B', 3]
		]);
		// Nothing above the first or below the last.
		expect(await moveTalk(ctx.db, host, event.id, c, 'up')).toEqual({ ok: true });
		expect(await moveTalk(ctx.db, host, event.id, b, 'down')).toEqual({ ok: true });
		expect(await runningOrder(event.id)).toEqual([
			['Move C', 1],
			['Move A', 2],
			['Move B', 3]
		]);

		for (const refused of [speaker, other, null]) {
			await expect(moveTalk(ctx.db, refused, event.id, b, 'up')).rejects.toBeInstanceOf(
				ForbiddenError
			);
		}
		expect(await moveTalk(ctx.db, host, event.id, waiting, 'up')).toEqual({
			ok: false,
			reason: 'not_found'
		});
		expect(await moveTalk(ctx.db, host, event.id, 'no-such-talk', 'up')).toEqual({
			ok: false,
			reason: 'not_found'
		});
		expect(await runningOrder(event.id)).toEqual([
			['Move C', 1],
			['Move A', 2],
			['Move B', 3]
		]);
	});

	it('lets only the speaker withdraw a talk', async () => {
		const { event, host, curator } = await talksEvent();
		const speaker = await testMember(ctx.db);
		const offered = await offer(event.id, speaker, 'Withdrawn offer', before(1));
		const accepted = await offer(event.id, speaker, 'Withdrawn talk', before(2));
		await accept(event.id, host, accepted);

		for (const refused of [host, curator, await testMember(ctx.db), null]) {
			await expect(withdrawTalk(ctx.db, refused, event.id, offered)).rejects.toBeInstanceOf(
				ForbiddenError
			);
		}
		expect((await talkRow(offered)).status).toBe('offered');

		expect(await withdrawTalk(ctx.db, speaker, event.id, offered)).toEqual({ ok: true });
		expect(await withdrawTalk(ctx.db, speaker, event.id, accepted)).toEqual({ ok: true });
		expect((await talks(event.id)).map((t) => [t.title, t.status, t.position])).toEqual([
			['Withdrawn offer', 'withdrawn', null],
			['Withdrawn talk', 'withdrawn', null]
		]);
		expect(await runningOrder(event.id)).toEqual([]);
		// A withdrawn talk can no longer be decided on.
		expect(
			await decideTalk(ctx.db, TEST_SITE, host, event.id, offered, { decision: 'accept' })
		).toEqual({ ok: false, reason: 'closed' });
		expect(await withdrawTalk(ctx.db, speaker, event.id, 'no-such-talk')).toEqual({
			ok: false,
			reason: 'not_found'
		});
	});

	it('lets the speaker or the host add links to a talk in the programme', async () => {
		const { event, host } = await talksEvent();
		const speaker = await testMember(ctx.db, 'member', 'Link Speaker');
		const talk = await offer(event.id, speaker, 'Linked talk', before(1));
		const declined = await offer(event.id, speaker, 'Declined talk', before(2));
		await accept(event.id, host, talk);
		expect(
			await decideTalk(ctx.db, TEST_SITE, host, event.id, declined, { decision: 'decline' })
		).toEqual({ ok: true, decision: 'decline' });

		for (const refused of [await testMember(ctx.db), null]) {
			await expect(
				addTalkLinks(ctx.db, refused, event.id, talk, { slides: 'https://example.org/s' })
			).rejects.toBeInstanceOf(ForbiddenError);
		}
		expect(
			await addTalkLinks(ctx.db, speaker, event.id, talk, {
				slides: 'javascript:alert(1)',
				video: 'data:text/html,hi'
			})
		).toEqual({
			ok: false,
			reason: 'invalid',
			errors: {
				slides: 'Web address must start with http:// or https://',
				video: 'Web address must start with http:// or https://'
			}
		});
		const untouched = await talkRow(talk);
		expect([untouched.slides_url, untouched.video_url]).toEqual([null, null]);

		expect(
			await addTalkLinks(ctx.db, speaker, event.id, talk, {
				slides: 'slides.example.org/deck',
				video: ''
			})
		).toEqual({ ok: true });
		expect(
			(await viewTalks(ctx.db, null, event.id))?.programme.map((t) => [
				t.title,
				t.slidesUrl,
				t.videoUrl
			])
		).toEqual([['Linked talk', 'https://slides.example.org/deck', null]]);
		expect(
			await addTalkLinks(ctx.db, host, event.id, talk, {
				slides: 'https://slides.example.org/deck',
				video: 'https://video.example.org/watch?v=1'
			})
		).toEqual({ ok: true });
		const saved = await talkRow(talk);
		expect([saved.slides_url, saved.video_url]).toEqual([
			'https://slides.example.org/deck',
			'https://video.example.org/watch?v=1'
		]);

		expect(
			await addTalkLinks(ctx.db, speaker, event.id, declined, {
				slides: 'https://example.org/s'
			})
		).toEqual({ ok: false, reason: 'not_found' });
		expect(
			await addTalkLinks(ctx.db, host, event.id, 'no-such-talk', {
				slides: 'https://example.org/s'
			})
		).toEqual({ ok: false, reason: 'not_found' });
		expect((await talkRow(declined)).slides_url).toBeNull();
	});

	it('shows the programme to everyone, offers to the host and their own to the speaker', async () => {
		const { event, host, curator } = await talksEvent();
		const sam = await testMember(ctx.db, 'member', 'Sam View');
		const kim = await testMember(ctx.db, 'member', 'Kim View');
		const samFirst = await offer(event.id, sam, 'Sam first', before(1), { minutes: '7' });
		const kimOne = await offer(event.id, kim, 'Kim one', before(2), { minutes: '3' });
		const samWaiting = await offer(event.id, sam, 'Sam waiting', before(3));
		const kimDeclined = await offer(event.id, kim, 'Kim declined', before(4));
		await accept(event.id, host, kimOne);
		await accept(event.id, host, samFirst);
		expect(
			await decideTalk(ctx.db, TEST_SITE, host, event.id, kimDeclined, {
				decision: 'decline',
				message: 'Next time!'
			})
		).toEqual({ ok: true, decision: 'decline' });
		void samWaiting;

		const programme = [
			['Kim one', 'Kim View', 1, 3, 'accepted'],
			['Sam first', 'Sam View', 2, 7, 'accepted']
		];
		const shape = (
			list:
				| {
						title: string;
						speaker: string | null;
						position: number | null;
						minutes: number;
						status: string;
				  }[]
				| undefined
		) => list?.map((t) => [t.title, t.speaker, t.position, t.minutes, t.status]);

		const visitor = await viewTalks(ctx.db, null, event.id);
		expect(visitor).toMatchObject({
			eventId: event.id,
			title: event.title,
			totalMinutes: 10,
			offers: [],
			mine: [],
			can: { offer: false, decide: false }
		});
		expect(shape(visitor?.programme)).toEqual(programme);
		expect(visitor?.programme.every((t) => !t.mine)).toBe(true);

		for (const manager of [host, curator]) {
			const view = await viewTalks(ctx.db, manager, event.id);
			expect(shape(view?.programme)).toEqual(programme);
			expect(view?.offers.map((t) => [t.title, t.status, t.hostMessage])).toEqual([
				['Sam waiting', 'offered', null],
				['Kim declined', 'declined', 'Next time!']
			]);
			expect(view?.can).toEqual({ offer: true, decide: true });
		}

		const samView = await viewTalks(ctx.db, sam, event.id);
		expect(shape(samView?.programme)).toEqual(programme);
		expect(samView?.programme.map((t) => t.mine)).toEqual([false, true]);
		expect(samView?.offers).toEqual([]);
		expect(samView?.mine.map((t) => [t.title, t.status])).toEqual([['Sam waiting', 'offered']]);
		expect(samView?.can).toEqual({ offer: true, decide: false });

		const kimView = await viewTalks(ctx.db, kim, event.id);
		expect(kimView?.mine.map((t) => [t.title, t.status, t.hostMessage, t.mine])).toEqual([
			['Kim declined', 'declined', 'Next time!', true]
		]);
		expect(kimView?.offers).toEqual([]);

		expect(await viewTalks(ctx.db, sam, 'no-such-event')).toBeUndefined();
	});
});

describeEachDatabase('event record', (ctx) => {
	async function eventRow(id: string) {
		return ctx.db.selectFrom('event').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
	}

	const record: FormValues = {
		summary: '  Twelve carers shared what helps.  ',
		attendance: ' 18 ',
		outcomes: 'A shared list of apps.',
		links: '  https://notes.example.org/evening\n\nwww.photos.example.org/album  '
	};

	it('waits until the event has started', async () => {
		const { event, host } = await publishedEvent(ctx.db, { format: 'lightning-talks' });
		for (const now of ['2030-06-04T16:59:59.999Z', '2030-05-01T10:00:00.000Z']) {
			expect(await writeRecord(ctx.db, host, event.id, record, now)).toEqual({
				ok: false,
				reason: 'invalid',
				errors: { form: 'You can write the record once the event has started.' }
			});
		}
		expect(await writeRecord(ctx.db, host, event.id, record)).toEqual({
			ok: false,
			reason: 'invalid',
			errors: { form: 'You can write the record once the event has started.' }
		});
		const row = await eventRow(event.id);
		expect([row.status, row.record_summary, row.recorded_at]).toEqual(['scheduled', null, null]);
	});

	it('saves the host’s record after the start and marks the event completed', async () => {
		const { event, host } = await publishedEvent(ctx.db, { format: 'knowledge-cafe' });
		expect(await writeRecord(ctx.db, host, event.id, record, STARTS)).toEqual({ ok: true });
		const row = await eventRow(event.id);
		expect({
			status: row.status,
			summary: row.record_summary,
			attendance: row.record_attendance,
			outcomes: row.record_outcomes,
			links: row.record_links,
			recordedAt: row.recorded_at,
			updatedAt: row.updated_at
		}).toEqual({
			status: 'completed',
			summary: 'Twelve carers shared what helps.',
			attendance: 18,
			outcomes: 'A shared list of apps.',
			links: 'https://notes.example.org/evening\nhttps://www.photos.example.org/album',
			recordedAt: STARTS,
			updatedAt: STARTS
		});

		// The form shows what was saved, and saving it unchanged changes nothing.
		const values = recordFormValues(row);
		expect(values).toEqual({
			summary: 'Twelve carers shared what helps.',
			attendance: '18',
			outcomes: 'A shared list of apps.',
			links: 'https://notes.example.org/evening\nhttps://www.photos.example.org/album'
		});
		expect(await writeRecord(ctx.db, host, event.id, values, AFTER)).toEqual({ ok: true });
		const again = await eventRow(event.id);
		expect(recordFormValues(again)).toEqual(values);
		expect(again.recorded_at).toBe(AFTER);

		// Optional parts left blank are kept as none.
		expect(
			await writeRecord(ctx.db, host, event.id, { summary: 'Just a summary.' }, AFTER)
		).toEqual({ ok: true });
		const bare = await eventRow(event.id);
		expect([bare.record_attendance, bare.record_outcomes, bare.record_links]).toEqual([
			null,
			null,
			null
		]);
		expect(recordFormValues(bare)).toEqual({
			summary: 'Just a summary.',
			attendance: '',
			outcomes: '',
			links: ''
		});
	});

	it('refuses bad links, counts and summaries with a message on each field', async () => {
		const { event, host } = await publishedEvent(ctx.db);
		const invalid = async (values: FormValues, errors: Record<string, string>) =>
			expect(await writeRecord(ctx.db, host, event.id, values, AFTER)).toEqual({
				ok: false,
				reason: 'invalid',
				errors
			});
		await invalid(
			{ ...record, links: 'https://ok.example.org javascript:alert(1)' },
			{ links: 'Web address must start with http:// or https://' }
		);
		await invalid(
			{ ...record, attendance: 'lots' },
			{
				attendance:
					'The number of people who came must be a whole number from 0 to 100,000, or leave it empty'
			}
		);
		await invalid(
			{ ...record, attendance: '-3' },
			{
				attendance:
					'The number of people who came must be a whole number from 0 to 100,000, or leave it empty'
			}
		);
		await invalid(
			{ ...record, attendance: '100001' },
			{
				attendance:
					'The number of people who came must be a whole number from 0 to 100,000, or leave it empty'
			}
		);
		await invalid({ ...record, summary: '   ' }, { summary: 'Say what happened' });
		await invalid(
			{
				...record,
				links: Array.from({ length: 11 }, (_, i) => `https://l${i}.example.org`).join('\n')
			},
			{ links: 'Add up to 10 links' }
		);
		const row = await eventRow(event.id);
		expect([row.status, row.record_summary, row.record_links, row.recorded_at]).toEqual([
			'scheduled',
			null,
			null,
			null
		]);
	});

	it('lets only those who manage the event write it, and not for a cancelled one', async () => {
		const { event, host } = await publishedEvent(ctx.db);
		const curator = await testMember(ctx.db, 'curator');
		for (const refused of [await testMember(ctx.db), null]) {
			await expect(writeRecord(ctx.db, refused, event.id, record, AFTER)).rejects.toBeInstanceOf(
				ForbiddenError
			);
		}
		expect((await eventRow(event.id)).status).toBe('scheduled');
		expect(await writeRecord(ctx.db, curator, event.id, record, AFTER)).toEqual({ ok: true });
		expect(await writeRecord(ctx.db, host, 'no-such-event', record, AFTER)).toEqual({
			ok: false,
			reason: 'not_found'
		});

		const { event: cancelled, host: itsHost } = await publishedEvent(ctx.db);
		expect(
			await cancelEvent(ctx.db, TEST_SITE, itsHost, cancelled.id, { reason: 'No venue.' })
		).toMatchObject({ ok: true });
		expect(await writeRecord(ctx.db, itsHost, cancelled.id, record, AFTER)).toEqual({
			ok: false,
			reason: 'invalid',
			errors: { form: 'You can write the record once the event has started.' }
		});
		expect((await eventRow(cancelled.id)).status).toBe('cancelled');
	});
});
