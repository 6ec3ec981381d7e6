import { expect, it } from 'vitest';
import { ForbiddenError } from '../refusals';
import type { SessionUser } from '../auth/auth.types';
import { describeEachDatabase } from '../testing/databases';
import { changeDots, closeVote, proposeTopic, viewCafe, writeHarvest } from './cafe.service';
import { approveEvent, cancelEvent } from './events.service';
import { publishedEvent, testMember, TEST_SITE } from './events.testing';
import { cancelRegistration, registerMember } from './registrations.service';

/** The café's default start (18:00 London on 4 June 2030). */
const STARTS = '2030-06-04T17:00:00.000Z';
/** A moment before the café, `minute` minutes past 10:00 on 1 May 2030, to order proposals. */
function before(minute: number): string {
	return new Date(Date.UTC(2030, 4, 1, 10, minute)).toISOString();
}

describeEachDatabase('knowledge café', (ctx) => {
	/** A café hosted by a member (approved by a curator, so it is public), and that curator. */
	async function cafe(capacity = '20') {
		const host = await testMember(ctx.db, 'member', 'Cafe Host');
		const curator = await testMember(ctx.db, 'curator', 'Cafe Curator');
		const { event } = await publishedEvent(ctx.db, { format: 'knowledge-cafe', capacity }, host);
		if (event.approval !== 'approved') {
			expect(await approveEvent(ctx.db, TEST_SITE, curator, event.id)).toEqual({ ok: true });
		}
		return { event, host, curator };
	}

	/** A member who registered and got a confirmed place. */
	async function placed(eventId: string, name?: string): Promise<SessionUser> {
		const person = await testMember(ctx.db, 'member', name);
		const result = await registerMember(ctx.db, TEST_SITE, person, eventId, {});
		expect(result.ok && result.placement).toEqual({ status: 'confirmed' });
		return person;
	}

	async function topics(eventId: string) {
		return ctx.db
			.selectFrom('event_cafe_topic')
			.selectAll()
			.where('event_id', '=', eventId)
			.orderBy('created_at')
			.orderBy('title')
			.execute();
	}

	async function topicId(eventId: string, title: string): Promise<string> {
		const row = await ctx.db
			.selectFrom('event_cafe_topic')
			.select('id')
			.where('event_id', '=', eventId)
			.where('title', '=', title)
			.executeTakeFirstOrThrow();
		return row.id;
	}

	/** Proposes a topic that must be accepted, and returns its id. */
	async function propose(
		eventId: string,
		who: SessionUser,
		title: string,
		now = before(0)
	): Promise<string> {
		expect(await proposeTopic(ctx.db, who, eventId, { title }, now)).toEqual({ ok: true });
		return topicId(eventId, title);
	}

	/** Dots this person has given in this event, by topic id. */
	async function dotsOf(eventId: string, userId: string): Promise<Record<string, number>> {
		const rows = await ctx.db
			.selectFrom('event_cafe_dot')
			.select(['topic_id', 'dots'])
			.where('event_id', '=', eventId)
			.where('user_id', '=', userId)
			.execute();
		return Object.fromEntries(rows.map((r) => [r.topic_id, Number(r.dots)]));
	}

	async function give(eventId: string, who: SessionUser, topic: string, times: number) {
		for (let i = 0; i < times; i++) {
			expect(await changeDots(ctx.db, who, eventId, topic, 1)).toEqual({ ok: true });
		}
	}

	async function eventRow(id: string) {
		return ctx.db.selectFrom('event').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
	}

	it('lets people with a confirmed place, the host and curators propose, and no one else', async () => {
		const { event, host, curator } = await cafe('1');
		const withPlace = await placed(event.id);
		const waiting = await testMember(ctx.db);
		const waited = await registerMember(ctx.db, TEST_SITE, waiting, event.id, {});
		expect(waited.ok && waited.placement).toEqual({ status: 'waitlisted', position: 1 });
		const noPlace = await testMember(ctx.db);

		expect(await proposeTopic(ctx.db, withPlace, event.id, { title: 'Peer support' })).toEqual({
			ok: true
		});
		expect(await proposeTopic(ctx.db, host, event.id, { title: 'Host topic' })).toEqual({
			ok: true
		});
		expect(await proposeTopic(ctx.db, curator, event.id, { title: 'Curator topic' })).toEqual({
			ok: true
		});

		for (const refused of [noPlace, waiting, null, undefined]) {
			await expect(
				proposeTopic(ctx.db, refused, event.id, { title: 'Sneaky topic' })
			).rejects.toBeInstanceOf(ForbiddenError);
		}
		const rows = await topics(event.id);
		expect(rows.map((r) => r.title).sort()).toEqual([
			'Curator topic',
			'Host topic',
			'Peer support'
		]);
		expect(rows.find((r) => r.title === 'Peer support')!.proposed_by).toBe(withPlace.id);
		expect(rows.every((r) => r.table_number === null && r.harvest === null)).toBe(true);

		expect(await proposeTopic(ctx.db, host, 'no-such-event', { title: 'Lost' })).toEqual({
			ok: false,
			reason: 'not_found'
		});
	});

	it('checks a topic, with a message on each field, and writes nothing when it is wrong', async () => {
		const { event } = await cafe();
		const person = await placed(event.id);

		expect(await proposeTopic(ctx.db, person, event.id, { title: '   ' })).toEqual({
			ok: false,
			reason: 'invalid',
			errors: { title: 'Enter your topic' }
		});
		expect(await proposeTopic(ctx.db, person, event.id, {})).toEqual({
			ok: false,
			reason: 'invalid',
			errors: { title: 'Enter your topic' }
		});
		expect(
			await proposeTopic(ctx.db, person, event.id, {
				title: 'x'.repeat(121),
				description: 'y'.repeat(501)
			})
		).toEqual({
			ok: false,
			reason: 'invalid',
			errors: {
				title: 'Topic must be 120 characters or fewer',
				description: 'Say more in 500 characters or fewer'
			}
		});
		expect(await topics(event.id)).toEqual([]);

		// The longest allowed, trimmed; a blank description is kept as none.
		expect(
			await proposeTopic(ctx.db, person, event.id, {
				title: `  ${'t'.repeat(120)}  `,
				description: '   '
			})
		).toEqual({ ok: true });
		expect(
			await proposeTopic(ctx.db, person, event.id, {
				title: 'With a description',
				description: `  ${'d'.repeat(500)} `
			})
		).toEqual({ ok: true });
		const rows = await topics(event.id);
		expect(rows.map((r) => [r.title.length, r.description?.length ?? null]).sort()).toEqual([
			[120, null],
			[18, 500]
		]);
	});

	it('takes at most 3 topics from one person', async () => {
		const { event } = await cafe();
		const [person, other] = [await placed(event.id), await placed(event.id)];
		for (const title of ['One', 'Two', 'Three']) await propose(event.id, person, title);
		expect(await proposeTopic(ctx.db, person, event.id, { title: 'Four' })).toEqual({
			ok: false,
			reason: 'invalid',
			errors: { title: 'You can propose up to 3 topics for one café' }
		});
		// Someone else still can.
		await propose(event.id, other, 'Theirs');
		expect((await topics(event.id)).map((r) => r.title).sort()).toEqual([
			'One',
			'Theirs',
			'Three',
			'Two'
		]);
	});

	it('keeps 3 topics, not more, when one person proposes 6 at once', async () => {
		const { event } = await cafe();
		const person = await placed(event.id);
		const results = await Promise.all(
			Array.from({ length: 6 }, (_, i) =>
				proposeTopic(ctx.db, person, event.id, { title: `Rush ${i}` })
			)
		);
		expect(results.filter((r) => r.ok)).toHaveLength(3);
		expect(await topics(event.id)).toHaveLength(3);
	});

	it('gives each person 3 dots to spread or stack, and takes them back', async () => {
		const { event } = await cafe();
		const person = await placed(event.id);
		const a = await propose(event.id, person, 'Topic A');
		const b = await propose(event.id, person, 'Topic B');

		await give(event.id, person, a, 3);
		expect(await dotsOf(event.id, person.id)).toEqual({ [a]: 3 });
		expect(await changeDots(ctx.db, person, event.id, b, 1)).toEqual({
			ok: false,
			reason: 'no_dots_left'
		});
		expect(await changeDots(ctx.db, person, event.id, a, 1)).toEqual({
			ok: false,
			reason: 'no_dots_left'
		});
		expect(await changeDots(ctx.db, person, event.id, a, -1)).toEqual({ ok: true });
		expect(await dotsOf(event.id, person.id)).toEqual({ [a]: 2 });
		await give(event.id, person, b, 1);
		expect(await dotsOf(event.id, person.id)).toEqual({ [a]: 2, [b]: 1 });
		expect(await changeDots(ctx.db, person, event.id, b, -1)).toEqual({ ok: true });
		// The last dot taken back removes the row.
		expect(await dotsOf(event.id, person.id)).toEqual({ [a]: 2 });
		expect(await changeDots(ctx.db, person, event.id, b, -1)).toEqual({
			ok: false,
			reason: 'none_to_take'
		});

		const view = await viewCafe(ctx.db, person, event.id);
		expect(view?.dotsEach).toBe(3);
		expect(view?.dotsLeft).toBe(1);
		expect(view?.topics.map((t) => [t.title, t.dots, t.mine])).toEqual([
			['Topic A', 2, 2],
			['Topic B', 0, 0]
		]);
	});

	it('forgets the dots of someone who cancels their place', async () => {
		const { event } = await cafe();
		const person = await placed(event.id);
		const topic = await propose(event.id, person, 'Topic to drop');
		await give(event.id, person, topic, 2);
		const mine = await ctx.db
			.selectFrom('event_registration')
			.select('id')
			.where('event_id', '=', event.id)
			.where('user_id', '=', person.id)
			.executeTakeFirstOrThrow();
		await cancelRegistration(ctx.db, TEST_SITE, { member: person, registrationId: mine.id });
		expect(await dotsOf(event.id, person.id)).toEqual({});
		const view = await viewCafe(ctx.db, null, event.id);
		expect(view?.topics.map((t) => [t.title, t.dots])).toEqual([['Topic to drop', 0]]);
	});

	it('refuses dots on another event’s topic, and from anyone without a place', async () => {
		const { event, host } = await cafe();
		const { event: other } = await cafe();
		const person = await placed(event.id);
		const elsewhere = await placed(other.id);
		const mine = await propose(event.id, person, 'Here');
		const theirs = await propose(other.id, elsewhere, 'There');

		expect(await changeDots(ctx.db, person, event.id, theirs, 1)).toEqual({
			ok: false,
			reason: 'not_found'
		});
		expect(await changeDots(ctx.db, person, event.id, 'no-such-topic', 1)).toEqual({
			ok: false,
			reason: 'not_found'
		});
		expect(await changeDots(ctx.db, person, 'no-such-event', mine, 1)).toEqual({
			ok: false,
			reason: 'not_found'
		});
		// Someone with a place at the other café has none at this one; nor have the host or visitors.
		for (const refused of [elsewhere, host, await testMember(ctx.db), null]) {
			await expect(changeDots(ctx.db, refused, event.id, mine, 1)).rejects.toBeInstanceOf(
				ForbiddenError
			);
		}
		expect(await dotsOf(event.id, person.id)).toEqual({});
		expect(await dotsOf(event.id, elsewhere.id)).toEqual({});
		expect(await dotsOf(other.id, elsewhere.id)).toEqual({});
	});

	it('spends exactly 3 dots when one person clicks 10 times at once', async () => {
		const { event } = await cafe();
		const person = await placed(event.id);
		const a = await propose(event.id, person, 'Quick A');
		const b = await propose(event.id, person, 'Quick B');
		const results = await Promise.all(
			Array.from({ length: 10 }, (_, i) => changeDots(ctx.db, person, event.id, i % 2 ? b : a, 1))
		);
		expect(results.filter((r) => r.ok)).toHaveLength(3);
		expect(results.filter((r) => !r.ok)).toEqual(
			Array.from({ length: 7 }, () => ({ ok: false, reason: 'no_dots_left' }))
		);
		const given = await dotsOf(event.id, person.id);
		expect(Object.values(given).reduce((n, d) => n + d, 0)).toBe(3);
		expect((await viewCafe(ctx.db, person, event.id))?.dotsLeft).toBe(0);
	});

	it('spends exactly 3 dots on one topic when clicked 10 times at once', async () => {
		const { event } = await cafe();
		const person = await placed(event.id);
		const a = await propose(event.id, person, 'Hot topic');
		const results = await Promise.all(
			Array.from({ length: 10 }, () => changeDots(ctx.db, person, event.id, a, 1))
		);
		expect(results.filter((r) => r.ok)).toHaveLength(3);
		expect(await dotsOf(event.id, person.id)).toEqual({ [a]: 3 });
	});

	it('shows topics by dots then by when proposed, with what each viewer may do', async () => {
		const { event, host, curator } = await cafe();
		const ann = await placed(event.id, 'Ann Placed');
		const bob = await placed(event.id, 'Bob Placed');
		const noPlace = await testMember(ctx.db);
		const first = await propose(event.id, ann, 'First proposed', before(1));
		const second = await propose(event.id, bob, 'Second proposed', before(2));
		const third = await propose(event.id, host, 'Third proposed', before(3));
		const fourth = await propose(event.id, ann, 'Fourth proposed', before(4));
		await give(event.id, ann, third, 2);
		await give(event.id, bob, second, 1);
		await give(event.id, bob, fourth, 1);
		await give(event.id, ann, fourth, 1);
		void first;

		const annView = await viewCafe(ctx.db, ann, event.id);
		expect(annView).toMatchObject({
			eventId: event.id,
			title: event.title,
			open: true,
			closedAt: null,
			dotsEach: 3,
			dotsLeft: 0,
			tables: 4,
			rounds: 2,
			can: { propose: true, vote: true, close: false }
		});
		// 2 dots, then 2 dots proposed later, then 1, then none.
		expect(annView?.topics.map((t) => [t.title, t.dots, t.mine, t.proposedBy])).toEqual([
			['Third proposed', 2, 2, 'Cafe Host'],
			['Fourth proposed', 2, 1, 'Ann Placed'],
			['Second proposed', 1, 0, 'Bob Placed'],
			['First proposed', 0, 0, 'Ann Placed']
		]);
		expect(
			annView?.topics.every(
				(t) => t.tableNumber === null && t.tableHost === null && !t.canWriteHarvest
			)
		).toBe(true);

		const bobView = await viewCafe(ctx.db, bob, event.id);
		expect(bobView?.dotsLeft).toBe(1);
		expect(bobView?.topics.map((t) => t.mine)).toEqual([0, 1, 1, 0]);

		expect((await viewCafe(ctx.db, host, event.id))?.can).toEqual({
			propose: true,
			vote: false,
			close: true
		});
		expect((await viewCafe(ctx.db, curator, event.id))?.can).toEqual({
			propose: true,
			vote: false,
			close: true
		});
		for (const viewer of [noPlace, null]) {
			const view = await viewCafe(ctx.db, viewer, event.id);
			expect(view?.can).toEqual({ propose: false, vote: false, close: false });
			expect(view?.dotsLeft).toBe(3);
			expect(view?.topics.map((t) => [t.dots, t.mine])).toEqual([
				[2, 0],
				[2, 0],
				[1, 0],
				[0, 0]
			]);
		}

		// Once the café has started, nobody proposes or votes any more.
		const started = await viewCafe(ctx.db, ann, event.id, '2030-06-04T17:00:00.000Z');
		expect(started?.open).toBe(false);
		expect(started?.can).toEqual({ propose: false, vote: false, close: false });
		expect(await proposeTopic(ctx.db, ann, event.id, { title: 'Late' }, STARTS)).toEqual({
			ok: false,
			reason: 'closed'
		});
		expect(await changeDots(ctx.db, bob, event.id, first, 1, STARTS)).toEqual({
			ok: false,
			reason: 'closed'
		});

		expect(await viewCafe(ctx.db, ann, 'no-such-event')).toBeUndefined();
	});

	it('hides a café waiting for approval from everyone but those who manage it', async () => {
		const host = await testMember(ctx.db);
		const { event } = await publishedEvent(ctx.db, { format: 'knowledge-cafe' }, host);
		expect(event.approval).toBe('pending');
		expect(await viewCafe(ctx.db, null, event.id)).toBeUndefined();
		expect(await viewCafe(ctx.db, await testMember(ctx.db), event.id)).toBeUndefined();
		expect((await viewCafe(ctx.db, host, event.id))?.can.close).toBe(true);
	});

	it('lets only the host or a curator close the vote, with a valid number of tables', async () => {
		const { event, host } = await cafe();
		const person = await placed(event.id);
		await propose(event.id, person, 'Only topic');
		for (const refused of [person, await testMember(ctx.db), null]) {
			await expect(closeVote(ctx.db, refused, event.id, { tables: '2' })).rejects.toBeInstanceOf(
				ForbiddenError
			);
		}
		const invalid = async (tables: string | undefined, message: string) =>
			expect(
				await closeVote(ctx.db, host, event.id, tables === undefined ? {} : { tables })
			).toEqual({ ok: false, reason: 'invalid', errors: { tables: message } });
		await invalid('0', 'Have at least 1 table');
		await invalid('21', 'Have at most 20 tables');
		await invalid('x', 'How many tables must be a whole number from 1 to 20');
		await invalid('2.5', 'How many tables must be a whole number from 1 to 20');
		await invalid('-1', 'Have at least 1 table');
		await invalid(undefined, 'Enter how many tables');
		const row = await eventRow(event.id);
		expect(row.cafe_vote_closed_at).toBeNull();
		expect(row.cafe_tables).toBe(4);
		expect((await topics(event.id)).map((t) => t.table_number)).toEqual([null]);

		expect(await closeVote(ctx.db, host, 'no-such-event', { tables: '2' })).toEqual({
			ok: false,
			reason: 'not_found'
		});
	});

	it('turns the topics with most dots into tables hosted by their proposers', async () => {
		const { event, host } = await cafe();
		const [ann, bob, cat] = [
			await placed(event.id, 'Ann Table'),
			await placed(event.id, 'Bob Table'),
			await placed(event.id, 'Cat Table')
		];
		const a = await propose(event.id, ann, 'A: two dots, first', before(1));
		const b = await propose(event.id, bob, 'B: no dots', before(2));
		const c = await propose(event.id, cat, 'C: two dots, later', before(3));
		const d = await propose(event.id, bob, 'D: one dot', before(4));
		const e = await propose(event.id, host, 'E: three dots', before(5));
		await give(event.id, ann, e, 3);
		await give(event.id, bob, c, 2);
		await give(event.id, bob, a, 1);
		await give(event.id, cat, a, 1);
		await give(event.id, cat, d, 1);
		void b;

		const closedAt = before(30);
		expect(await closeVote(ctx.db, host, event.id, { tables: ' 4 ' }, closedAt)).toEqual({
			ok: true,
			tables: 4
		});
		const rows = await topics(event.id);
		const table = (id: string) => rows.find((r) => r.id === id)!;
		expect([e, a, c, d, b].map((id) => [table(id).table_number, table(id).table_host_id])).toEqual([
			[1, host.id],
			[2, ann.id],
			[3, cat.id],
			[4, bob.id],
			[null, null]
		]);
		const row = await eventRow(event.id);
		expect(row.cafe_vote_closed_at).toBe(closedAt);
		expect(row.cafe_tables).toBe(4);
		expect(row.status).toBe('scheduled');

		// The vote stays closed.
		expect(await proposeTopic(ctx.db, ann, event.id, { title: 'Too late' })).toEqual({
			ok: false,
			reason: 'closed'
		});
		expect(await proposeTopic(ctx.db, host, event.id, { title: 'Too late' })).toEqual({
			ok: false,
			reason: 'closed'
		});
		expect(await changeDots(ctx.db, cat, event.id, b, 1)).toEqual({ ok: false, reason: 'closed' });
		expect(await changeDots(ctx.db, ann, event.id, e, -1)).toEqual({ ok: false, reason: 'closed' });
		expect(await closeVote(ctx.db, host, event.id, { tables: '2' })).toEqual({
			ok: false,
			reason: 'closed'
		});
		expect(await dotsOf(event.id, ann.id)).toEqual({ [e]: 3 });
		expect(await topics(event.id)).toHaveLength(5);

		const view = await viewCafe(ctx.db, ann, event.id);
		expect(view).toMatchObject({
			open: false,
			closedAt,
			tables: 4,
			can: { propose: false, vote: false, close: false }
		});
		expect(view?.topics.map((t) => [t.tableNumber, t.tableHost, t.dots])).toEqual([
			[1, 'Cafe Host', 3],
			[2, 'Ann Table', 2],
			[3, 'Cat Table', 2],
			[4, 'Bob Table', 1],
			[null, null, 0]
		]);
	});

	it('makes fewer tables than asked when there are fewer topics; a curator may close', async () => {
		const { event, curator } = await cafe();
		const person = await placed(event.id);
		await propose(event.id, person, 'Lonely one', before(1));
		await propose(event.id, person, 'Lonely two', before(2));
		expect(await closeVote(ctx.db, curator, event.id, { tables: '20' })).toEqual({
			ok: true,
			tables: 2
		});
		expect((await topics(event.id)).map((t) => [t.title, t.table_number])).toEqual([
			['Lonely one', 1],
			['Lonely two', 2]
		]);
		expect((await eventRow(event.id)).cafe_tables).toBe(20);
	});

	it('refuses everything on a cancelled café', async () => {
		const { event, host } = await cafe();
		const person = await placed(event.id);
		const topic = await propose(event.id, person, 'Before the flood');
		expect(
			await cancelEvent(ctx.db, TEST_SITE, host, event.id, { reason: 'The venue flooded.' })
		).toMatchObject({ ok: true });
		expect(await proposeTopic(ctx.db, host, event.id, { title: 'After' })).toEqual({
			ok: false,
			reason: 'closed'
		});
		expect(await closeVote(ctx.db, host, event.id, { tables: '2' })).toEqual({
			ok: false,
			reason: 'closed'
		});
		expect((await viewCafe(ctx.db, host, event.id))?.can).toEqual({
			propose: false,
			vote: false,
			close: false
		});
		expect((await topics(event.id)).map((t) => [t.id, t.table_number])).toEqual([[topic, null]]);
	});

	it('lets a table’s host and the café’s host write its harvest, and shows it', async () => {
		const { event, host, curator } = await cafe();
		const ann = await placed(event.id, 'Ann Harvest');
		const bob = await placed(event.id, 'Bob Harvest');
		const a = await propose(event.id, ann, 'Ann’s table', before(1));
		const b = await propose(event.id, bob, 'Bob’s table', before(2));
		const left = await propose(event.id, bob, 'Left out', before(3));
		await give(event.id, ann, a, 2);
		await give(event.id, bob, b, 1);

		// Before the vote closes no topic is a table yet.
		expect(await writeHarvest(ctx.db, ann, event.id, a, { harvest: 'Early' })).toEqual({
			ok: false,
			reason: 'not_found'
		});
		expect(await closeVote(ctx.db, host, event.id, { tables: '2' })).toEqual({
			ok: true,
			tables: 2
		});

		const harvestAt = '2030-06-04T19:00:00.000Z';
		expect(
			await writeHarvest(
				ctx.db,
				ann,
				event.id,
				a,
				{ harvest: '  Ann’s table found peers.  ' },
				harvestAt
			)
		).toEqual({ ok: true });
		expect(
			await writeHarvest(ctx.db, host, event.id, b, { harvest: 'Bob’s, by the host.' })
		).toEqual({ ok: true });
		expect(
			await writeHarvest(ctx.db, curator, event.id, b, { harvest: 'Bob’s, by a curator.' })
		).toEqual({ ok: true });

		// Not someone else's table, and not anyone without a table.
		for (const refused of [bob, await testMember(ctx.db), null]) {
			await expect(
				writeHarvest(ctx.db, refused, event.id, a, { harvest: 'Not mine' })
			).rejects.toBeInstanceOf(ForbiddenError);
		}
		expect(await writeHarvest(ctx.db, bob, event.id, left, { harvest: 'Not a table' })).toEqual({
			ok: false,
			reason: 'not_found'
		});
		expect(await writeHarvest(ctx.db, host, event.id, 'no-such-topic', { harvest: 'x' })).toEqual({
			ok: false,
			reason: 'not_found'
		});
		expect(await writeHarvest(ctx.db, ann, event.id, a, { harvest: '   ' })).toEqual({
			ok: false,
			reason: 'invalid',
			errors: { harvest: 'Write what the table found' }
		});
		expect(await writeHarvest(ctx.db, ann, event.id, a, { harvest: 'h'.repeat(5_001) })).toEqual({
			ok: false,
			reason: 'invalid',
			errors: { harvest: 'The harvest must be 5,000 characters or fewer' }
		});

		const rows = await topics(event.id);
		const row = (id: string) => rows.find((r) => r.id === id)!;
		expect([row(a).harvest, row(a).harvest_updated_at]).toEqual([
			'Ann’s table found peers.',
			harvestAt
		]);
		expect(row(b).harvest).toBe('Bob’s, by a curator.');
		expect([row(left).harvest, row(left).harvest_updated_at]).toEqual([null, null]);

		const seen = (view: Awaited<ReturnType<typeof viewCafe>>) =>
			view?.topics.map((t) => [t.title, t.tableNumber, t.harvest, t.canWriteHarvest]);
		expect(seen(await viewCafe(ctx.db, null, event.id))).toEqual([
			['Ann’s table', 1, 'Ann’s table found peers.', false],
			['Bob’s table', 2, 'Bob’s, by a curator.', false],
			['Left out', null, null, false]
		]);
		expect(seen(await viewCafe(ctx.db, ann, event.id))?.map((t) => t[3])).toEqual([
			true,
			false,
			false
		]);
		expect(seen(await viewCafe(ctx.db, bob, event.id))?.map((t) => t[3])).toEqual([
			false,
			true,
			false
		]);
		expect(seen(await viewCafe(ctx.db, host, event.id))?.map((t) => t[3])).toEqual([
			true,
			true,
			false
		]);
	});
});
