import { expect, it } from 'vitest';
import { ForbiddenError } from '../refusals';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import { parseForm, toFormData } from '../forms';
import { askSchema, messageSchema, REQUEST_MAX, MESSAGE_MAX } from './champions.schema';
import { championChoices, changeMyChampionStatus, volunteer } from './champions.service';
import { createTestChampion, volunteerForm } from './champions.testing';
import { myChampionRequests } from './my-champions.service';
import {
	REQUEST_RATE,
	MESSAGE_RATE,
	acceptRequest,
	askChampion,
	closeRequest,
	declineRequest,
	describeRequestRefusal,
	flagUnansweredRequests,
	listMyRequests,
	sendMessage,
	shareContact,
	suggestChampion,
	viewRequest
} from './requests.service';

const SITE = { siteName: 'CoLab', origin: 'https://colab.example' };

describeEachDatabase('ask a champion', (ctx) => {
	async function people() {
		const cleo = await createTestUser(ctx.db, { name: 'Cleo Curator', role: 'curator' });
		const asker = await createTestUser(ctx.db, { name: 'Fran Frontline' });
		const stranger = await createTestUser(ctx.db, { name: 'Sol Stranger' });
		const first = await createTestChampion(ctx.db, cleo, {
			name: 'Ash First',
			form: { contactBy: 'phone', phone: '07700 900456' }
		});
		const second = await createTestChampion(ctx.db, cleo, { name: 'Bo Second' });
		return { cleo, asker, stranger, first, second };
	}

	async function ask(
		asker: Awaited<ReturnType<typeof createTestUser>>,
		championId: string,
		body = 'How do I run a first meeting with carers?'
	) {
		const result = await askChampion(ctx.db, asker, championId, { body, serviceArea: '' }, SITE);
		if (!result.ok) throw new Error(`refused: ${result.reason}`);
		return result.id;
	}

	it('asks, passes on, accepts, talks, shares contact and closes with “it helped”', async () => {
		const { asker, first, second } = await people();
		const id = await ask(asker, first.id);
		// The champion is told in the site and by email.
		const told = await ctx.db
			.selectFrom('notification')
			.select(['title', 'url'])
			.where('recipient_id', '=', first.user.id)
			.where('kind', '=', 'champion-request')
			.execute();
		expect(told.map((t) => t.title)).toContain('Fran Frontline asked you for help as a champion');
		const mail = await ctx.db
			.selectFrom('mail_outbox')
			.select(['text_body', 'to_address'])
			.where('kind', '=', 'champions.request')
			.where('user_id', '=', first.user.id)
			.executeTakeFirstOrThrow();
		expect(mail.text_body).toContain(`https://colab.example/champions/requests/${id}`);

		const passed = await suggestChampion(
			ctx.db,
			first.user,
			id,
			{ championId: second.id, note: 'Bo ran the carers’ forum.' },
			SITE
		);
		expect(passed).toEqual({ ok: true, championName: 'Bo Second' });
		// The first champion no longer reads it; the second does; the asker was told.
		await expect(viewRequest(ctx.db, first.user, id)).rejects.toThrow(ForbiddenError);
		const forSecond = await viewRequest(ctx.db, second.user, id);
		expect(forSecond?.can.answer).toBe(true);
		const askerNotes = await ctx.db
			.selectFrom('notification')
			.select('title')
			.where('recipient_id', '=', asker.id)
			.execute();
		expect(askerNotes.map((n) => n.title).join()).toContain('passed your request on to Bo Second');

		expect(await acceptRequest(ctx.db, second.user, id)).toEqual({ ok: true });
		expect(await acceptRequest(ctx.db, second.user, id)).toEqual({
			ok: false,
			reason: 'already-answered'
		});
		expect(await sendMessage(ctx.db, second.user, id, 'Happy to help. Lunch on Tuesday?')).toEqual({
			ok: true
		});
		expect(await sendMessage(ctx.db, asker, id, 'Tuesday works.')).toEqual({ ok: true });
		// Contact details stay hidden until the champion shares them, on this request.
		expect((await viewRequest(ctx.db, asker, id))?.contact).toBeNull();
		expect(await shareContact(ctx.db, second.user, id)).toEqual({ ok: true });
		const shared = await viewRequest(ctx.db, asker, id);
		expect(shared?.contact?.email).toBe(second.user.email);

		expect(await closeRequest(ctx.db, asker, id, { outcome: 'yes', note: 'Thank you!' })).toEqual({
			ok: true
		});
		const closed = await viewRequest(ctx.db, asker, id);
		expect(closed).toMatchObject({
			status: 'closed',
			outcome: 'yes',
			outcomeLabel: 'Yes, it helped'
		});
		expect(closed?.entries.map((e) => e.kind)).toEqual([
			'asked',
			'suggested',
			'accepted',
			'message',
			'message',
			'contact-shared',
			'closed'
		]);
		expect(await sendMessage(ctx.db, asker, id, 'One more thing')).toEqual({
			ok: false,
			reason: 'finished'
		});
		const mine = await listMyRequests(ctx.db, asker);
		expect(mine.asked.map((r) => r.id)).toContain(id);
		const theirs = await listMyRequests(ctx.db, second.user);
		expect(theirs.received.map((r) => r.id)).toContain(id);
	});

	it('refuses a request to a paused, waiting or stepped-down champion, and to oneself', async () => {
		const { asker, first, cleo } = await people();
		await changeMyChampionStatus(ctx.db, first.user, 'pause');
		const paused = await askChampion(
			ctx.db,
			asker,
			first.id,
			{ body: 'Help', serviceArea: '' },
			SITE
		);
		expect(paused).toEqual({ ok: false, reason: 'not-taking-requests' });
		const volunteerOnly = await createTestUser(ctx.db);
		const offer = await volunteer(ctx.db, volunteerOnly, await volunteerForm(ctx.db));
		if (!offer.ok) throw new Error('volunteer failed');
		expect(
			await askChampion(ctx.db, asker, offer.id, { body: 'Help', serviceArea: '' }, SITE)
		).toEqual({ ok: false, reason: 'not-taking-requests' });
		const self = await createTestChampion(ctx.db, cleo);
		expect(
			await askChampion(ctx.db, self.user, self.id, { body: 'Help', serviceArea: '' }, SITE)
		).toEqual({ ok: false, reason: 'own' });
		expect(
			await askChampion(ctx.db, asker, 'no-such-champion', { body: 'Help', serviceArea: '' }, SITE)
		).toEqual({ ok: false, reason: 'no-champion' });
		expect(
			await askChampion(ctx.db, asker, self.id, { body: 'Help', serviceArea: 'barrier:time' }, SITE)
		).toEqual({ ok: false, reason: 'unknown-area' });
		await expect(
			askChampion(ctx.db, null, self.id, { body: 'Help', serviceArea: '' }, SITE)
		).rejects.toThrow(ForbiddenError);
		expect(describeRequestRefusal({ reason: 'not-taking-requests' })).toContain(
			'not taking requests'
		);
	});

	it('an empty or oversized request or message gets a clear message', () => {
		const empty = parseForm(askSchema, toFormData({ body: '   ' }));
		expect(empty.ok ? {} : empty.errors).toEqual({ body: 'Write what you need help with' });
		const long = parseForm(askSchema, toFormData({ body: 'x'.repeat(REQUEST_MAX + 1) }));
		expect(long.ok ? {} : long.errors.body).toContain('2,000 characters or fewer');
		expect(long.values.body).toHaveLength(REQUEST_MAX + 1);
		const message = parseForm(messageSchema, toFormData({ body: 'x'.repeat(MESSAGE_MAX + 1) }));
		expect(message.ok).toBe(false);
	});

	it('refuses acting on someone else’s request, reading it, and suggesting a paused champion or oneself', async () => {
		const { asker, stranger, first, second, cleo } = await people();
		const id = await ask(asker, first.id);
		await expect(viewRequest(ctx.db, stranger, id)).rejects.toThrow(ForbiddenError);
		await expect(viewRequest(ctx.db, cleo, id)).rejects.toThrow(ForbiddenError);
		await expect(viewRequest(ctx.db, null, id)).rejects.toThrow(ForbiddenError);
		await expect(acceptRequest(ctx.db, second.user, id)).rejects.toThrow(ForbiddenError);
		await expect(acceptRequest(ctx.db, asker, id)).rejects.toThrow(ForbiddenError);
		await expect(declineRequest(ctx.db, stranger, id, 'No')).rejects.toThrow(ForbiddenError);
		await expect(
			suggestChampion(ctx.db, stranger, id, { championId: second.id, note: '' }, SITE)
		).rejects.toThrow(ForbiddenError);
		await expect(sendMessage(ctx.db, stranger, id, 'Hello')).rejects.toThrow(ForbiddenError);
		await expect(shareContact(ctx.db, asker, id)).rejects.toThrow(ForbiddenError);
		await expect(
			closeRequest(ctx.db, first.user, id, { outcome: 'yes', note: '' })
		).rejects.toThrow(ForbiddenError);
		await expect(closeRequest(ctx.db, stranger, id, { outcome: 'yes', note: '' })).rejects.toThrow(
			ForbiddenError
		);

		// Suggesting oneself, the asker's own champion offer, or a paused champion is refused.
		expect(
			await suggestChampion(ctx.db, first.user, id, { championId: first.id, note: '' }, SITE)
		).toEqual({ ok: false, reason: 'bad-suggestion' });
		await changeMyChampionStatus(ctx.db, second.user, 'pause');
		expect(
			await suggestChampion(ctx.db, first.user, id, { championId: second.id, note: '' }, SITE)
		).toEqual({ ok: false, reason: 'bad-suggestion' });
		expect(
			await suggestChampion(ctx.db, first.user, id, { championId: 'nobody', note: '' }, SITE)
		).toEqual({ ok: false, reason: 'bad-suggestion' });
		expect((await viewRequest(ctx.db, first.user, id))?.status).toBe('open');
		// The choices offered leave out the champion passing it on and the person who asked.
		const view = await viewRequest(ctx.db, first.user, id);
		const offered = await championChoices(ctx.db, view!.excludedFromSuggestions);
		expect(offered.map((c) => c.id)).not.toContain(first.id);
	});

	it('a declined request tells the asker with the note; it cannot then be accepted', async () => {
		const { asker, first } = await people();
		const id = await ask(asker, first.id);
		expect(await declineRequest(ctx.db, first.user, id, 'I only know housing.')).toEqual({
			ok: true
		});
		expect(await acceptRequest(ctx.db, first.user, id)).toEqual({
			ok: false,
			reason: 'already-answered'
		});
		const view = await viewRequest(ctx.db, asker, id);
		expect(view?.status).toBe('declined');
		expect(view?.entries.at(-1)).toMatchObject({ kind: 'declined', body: 'I only know housing.' });
		expect(view?.can.close).toBe(true);
	});

	it('stepping down returns open and accepted requests to their askers, who are told', async () => {
		const { asker, first } = await people();
		const open = await ask(asker, first.id, 'First');
		const accepted = await ask(asker, first.id, 'Second');
		await acceptRequest(ctx.db, first.user, accepted);
		await changeMyChampionStatus(ctx.db, first.user, 'step-down');
		for (const id of [open, accepted]) {
			const view = await viewRequest(ctx.db, asker, id);
			expect(view?.status).toBe('returned');
			expect(view?.entries.at(-1)?.kind).toBe('returned');
		}
		const told = await ctx.db
			.selectFrom('notification')
			.select('title')
			.where('recipient_id', '=', asker.id)
			.execute();
		expect(told.map((t) => t.title).join()).toContain('stepped down');
	});

	it('pausing keeps the requests a champion holds, so they can still answer them', async () => {
		const { asker, first } = await people();
		const id = await ask(asker, first.id);
		await changeMyChampionStatus(ctx.db, first.user, 'pause');
		expect(await acceptRequest(ctx.db, first.user, id)).toEqual({ ok: true });
	});

	it('rate-limits requests and messages per member', async () => {
		const { asker, first, cleo } = await people();
		const many = await createTestChampion(ctx.db, cleo, { name: 'Mo Many' });
		let last;
		for (let i = 0; i <= REQUEST_RATE.limit; i++)
			last = await askChampion(ctx.db, asker, many.id, { body: `Ask ${i}`, serviceArea: '' }, SITE);
		expect(last).toMatchObject({ ok: false, reason: 'rate-limited' });
		const id = await (async () => {
			const other = await createTestUser(ctx.db);
			const r = await askChampion(ctx.db, other, first.id, { body: 'Hi', serviceArea: '' }, SITE);
			if (!r.ok) throw new Error('refused');
			return r.id;
		})();
		let said;
		for (let i = 0; i <= MESSAGE_RATE.limit; i++)
			said = await sendMessage(ctx.db, first.user, id, `m${i}`);
		expect(said).toMatchObject({ ok: false, reason: 'rate-limited' });
	});

	it('flags a request unanswered for 7 days once, even with two workers at once, and tells curators', async () => {
		const { asker, first, cleo } = await people();
		const id = await ask(asker, first.id);
		const later = new Date(Date.now() + 8 * 86_400_000);
		const [a, b] = await Promise.all([
			flagUnansweredRequests(ctx.db, later),
			flagUnansweredRequests(ctx.db, later)
		]);
		expect(a.flagged + b.flagged).toBeGreaterThanOrEqual(1);
		const entries = await ctx.db
			.selectFrom('champion_request_entry')
			.select('kind')
			.where('request_id', '=', id)
			.where('kind', '=', 'flagged')
			.execute();
		expect(entries).toHaveLength(1);
		expect((await flagUnansweredRequests(ctx.db, later)).flagged).toBe(0);
		const told = await ctx.db
			.selectFrom('notification')
			.select(['title', 'url'])
			.where('recipient_id', '=', cleo.id)
			.where('subject_key', '=', 'champions:unanswered')
			.executeTakeFirst();
		expect(told?.url).toBe('/champions/review#unanswered');
		expect((await viewRequest(ctx.db, asker, id))?.flagged).toBe(true);
	});
});

describeEachDatabase('ask a champion in My CoLab', (ctx) => {
	it('lists open requests to the asker and the champion, not closed ones', async () => {
		const cleo = await createTestUser(ctx.db, { role: 'curator' });
		const asker = await createTestUser(ctx.db, { name: 'Fran Frontline' });
		const champion = await createTestChampion(ctx.db, cleo, { name: 'Ash First' });
		const open = await askChampion(
			ctx.db,
			asker,
			champion.id,
			{ body: 'Open one', serviceArea: '' },
			SITE
		);
		const done = await askChampion(
			ctx.db,
			asker,
			champion.id,
			{ body: 'Done one', serviceArea: '' },
			SITE
		);
		if (!open.ok || !done.ok) throw new Error('refused');
		await closeRequest(ctx.db, asker, done.id, { outcome: 'no', note: '' });
		const options = { limit: 10, offset: 0, now: new Date().toISOString(), timeZone: 'UTC' };
		const mine = await myChampionRequests(ctx.db, asker, options);
		expect(mine.map((i) => i.title)).toEqual(['To Ash First: Open one']);
		const theirs = await myChampionRequests(ctx.db, champion.user, options);
		expect(theirs).toMatchObject([
			{ title: 'From Fran Frontline: Open one', details: ['Waiting for the champion'] }
		]);
	});
});
