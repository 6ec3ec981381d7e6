import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '../refusals';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import { deleteAccount, exportPersonData } from '../your-data/your-data.service';
import { parseForm, toFormData } from '../forms';
import { decisionSchema } from './decisions.schema';
import {
	InvalidDecision,
	START_RATE,
	closeDecision,
	decisionInputFromForm,
	decisionResult,
	editDecision,
	instantRunoff,
	openDecision,
	remindAndCloseDecisions,
	respondToDecision,
	startDecision,
	startDecisionFromForm,
	startNextRound,
	viewDecision,
	writeOutcome,
	addPersonToDecision,
	removePersonFromGroup,
	listDecisions
} from './decisions.service';
import { NOW, decisionInput } from './decisions.testing';

const TZ = 'Europe/London';
const LATER = '2026-12-04T10:00:00.000Z';

describe('decision forms and counting', () => {
	it('say what is wrong, keeping what was typed', () => {
		const result = parseForm(
			decisionSchema,
			toFormData({
				question: '',
				proposal: '',
				process: 'vote',
				audience: '',
				closesDate: 'soon',
				closesTime: '',
				quorum: '-1'
			})
		);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.errors).toMatchObject({
			question: 'Enter the question to decide',
			proposal: expect.stringMatching(/^Write the proposal/),
			process: 'Choose how it will be decided',
			audience: 'Choose who takes part',
			closesDate: expect.stringMatching(/closing date/),
			quorum: expect.stringMatching(/Quorum must be a whole number from 0/)
		});
		expect(result.values.closesDate).toBe('soon');
	});

	it('turn a local closing time into UTC and refuse one that does not exist', () => {
		const ok = decisionInputFromForm({ closesDate: '2026-07-01', closesTime: '17:00' }, TZ);
		expect(ok.input.closesAt).toBe('2026-07-01T16:00:00.000Z');
		const gap = decisionInputFromForm({ closesDate: '2026-03-29', closesTime: '01:30' }, TZ);
		expect(gap.errors.closesDate).toMatch(/real date and time/);
	});

	it('count ranked choices by instant runoff', () => {
		const ballots: Record<string, number>[] = [
			{ a: 1, b: 2 },
			{ a: 1, c: 2 },
			{ b: 1, c: 2 },
			{ c: 1, b: 2 },
			{ c: 1, b: 2 }
		];
		// First choices a 2, b 1, c 2: b goes, its vote passes to c, which then has 3 of 5.
		expect(instantRunoff(['a', 'b', 'c'], ballots).winner).toBe('c');
		expect(instantRunoff(['a', 'b'], []).winner).toBeNull();
	});
});

describeEachDatabase('decisions', (ctx) => {
	async function people() {
		const facilitator = await createTestUser(ctx.db, { name: 'Fay Facilitator' });
		const ann = await createTestUser(ctx.db, { name: 'Ann Agree' });
		const bob = await createTestUser(ctx.db, { name: 'Bob Block' });
		const stranger = await createTestUser(ctx.db, { name: 'Sid Stranger' });
		return { facilitator, ann, bob, stranger };
	}

	/** An open decision put to a named group of the facilitator, Ann and Bob. */
	async function openGroupDecision(overrides: Parameters<typeof decisionInput>[0] = {}) {
		const p = await people();
		const { id, slug } = await startDecision(
			ctx.db,
			p.facilitator,
			decisionInput({
				audience: 'group',
				group: [p.facilitator.email, p.ann.email, p.bob.email],
				...overrides
			}),
			NOW
		);
		expect(await openDecision(ctx.db, p.facilitator, id, NOW)).toEqual({ ok: true });
		return { ...p, id, slug };
	}

	it('lets a member start a decision as its facilitator, with where it came from; refuses visitors', async () => {
		const { facilitator } = await people();
		const origin = {
			kind: 'idea',
			id: 'idea-1',
			title: 'Evening meetings',
			path: '/ideas/evening-meetings'
		};
		const { id, slug } = await startDecision(ctx.db, facilitator, decisionInput({ origin }), NOW);
		expect(slug).toBe('should-we-meet-in-the-evenings-from-january');
		const view = await viewDecision(ctx.db, facilitator, slug, TZ, NOW);
		expect(view?.decision.status).toBe('draft');
		expect(view?.decision.origin).toEqual({
			kind: 'idea',
			title: 'Evening meetings',
			path: '/ideas/evening-meetings'
		});
		expect(view?.may.open).toBe(true);
		expect(await decisionResult(ctx.db, id)).toEqual({
			status: 'draft',
			result: null,
			outcome: null,
			slug,
			question: 'Should we meet in the evenings from January?'
		});
		await expect(startDecision(ctx.db, null, decisionInput(), NOW)).rejects.toBeInstanceOf(
			ForbiddenError
		);
	});

	it('refuses bad input with a message by each field', async () => {
		const { facilitator } = await people();
		const bad = startDecision(
			ctx.db,
			facilitator,
			decisionInput({
				process: 'choose',
				options: ['Only one'],
				audience: 'group',
				group: ['nobody@nowhere.test'],
				closesAt: '2026-12-01T00:00:00.000Z'
			}),
			NOW
		);
		await expect(bad).rejects.toBeInstanceOf(InvalidDecision);
		const errors = await bad.catch((e: InvalidDecision) => e.errors);
		expect(errors).toEqual({
			options: 'Write at least two options, one on each line',
			group: expect.stringContaining('nobody@nowhere.test'),
			closesDate: 'The closing time must be in the future'
		});
		const dupes = await startDecisionFromForm(
			ctx.db,
			facilitator,
			decisionInput({ process: 'dot', options: ['Tea', 'tea'] }),
			NOW
		);
		expect(dupes).toMatchObject({
			ok: false,
			reason: 'invalid',
			errors: { options: expect.stringMatching(/same/) }
		});
	});

	it('limits how many decisions one person starts', async () => {
		const { facilitator } = await people();
		for (let i = 0; i < START_RATE.limit; i++)
			expect(
				(
					await startDecisionFromForm(
						ctx.db,
						facilitator,
						decisionInput({ question: `Question ${i}` }),
						NOW
					)
				).ok
			).toBe(true);
		expect(await startDecisionFromForm(ctx.db, facilitator, decisionInput(), NOW)).toMatchObject({
			reason: 'rate-limited'
		});
	});

	it('opens only for its facilitators and invites the participants', async () => {
		const p = await people();
		const { id } = await startDecision(
			ctx.db,
			p.facilitator,
			decisionInput({ audience: 'group', group: [p.ann.email, p.bob.email] }),
			NOW
		);
		await expect(openDecision(ctx.db, p.stranger, id, NOW)).rejects.toBeInstanceOf(ForbiddenError);
		expect(await openDecision(ctx.db, p.facilitator, id, NOW)).toEqual({ ok: true });
		expect(await openDecision(ctx.db, p.facilitator, id, NOW)).toEqual({
			ok: false,
			reason: 'not-draft'
		});
		const invited = await ctx.db
			.selectFrom('notification')
			.select('recipient_id')
			.where('kind', '=', 'decision-invited')
			.where('subject_key', '=', `decision:${id}`)
			.execute();
		expect(invited.map((r) => r.recipient_id).sort()).toEqual([p.ann.id, p.bob.id].sort());
	});

	it('lets a curator facilitate any decision', async () => {
		const p = await people();
		const curator = await createTestUser(ctx.db, { role: 'curator' });
		const { id } = await startDecision(ctx.db, p.facilitator, decisionInput(), NOW);
		expect(await openDecision(ctx.db, curator, id, NOW)).toEqual({ ok: true });
	});

	it('needs a reason for a block, lets people change position, and refuses those it was not put to', async () => {
		const d = await openGroupDecision();
		const noReason = await respondToDecision(
			ctx.db,
			d.bob,
			d.id,
			{ position: 'block', reason: ' ' },
			LATER
		);
		expect(noReason).toEqual({
			ok: false,
			reason: 'invalid',
			errors: {
				reason: 'A block needs a reason: say what would have to change for you to stop blocking'
			}
		});
		expect(
			await respondToDecision(
				ctx.db,
				d.bob,
				d.id,
				{ position: 'block', reason: 'Evenings are hard for carers.' },
				LATER
			)
		).toEqual({ ok: true, changed: false });
		expect(await respondToDecision(ctx.db, d.ann, d.id, { position: 'disagree' }, LATER)).toEqual({
			ok: true,
			changed: false
		});
		expect(await respondToDecision(ctx.db, d.ann, d.id, { position: 'agree' }, LATER)).toEqual({
			ok: true,
			changed: true
		});
		expect(
			await respondToDecision(ctx.db, d.ann, d.id, { position: 'maybe' }, LATER)
		).toMatchObject({ errors: { position: 'Choose your position' } });
		await expect(
			respondToDecision(ctx.db, d.stranger, d.id, { position: 'agree' }, LATER)
		).rejects.toBeInstanceOf(ForbiddenError);
		const view = await viewDecision(ctx.db, d.ann, d.slug, TZ, LATER);
		expect(view?.summary.responses).toBe(2);
		expect(view?.summary.tallies.map((t) => [t.label, t.value])).toEqual([
			['Agree', 1],
			['Abstain (stand aside)', 0],
			['Disagree', 0],
			['Block', 1]
		]);
		expect(view?.summary.reasons).toEqual([
			expect.objectContaining({
				name: 'Bob Block',
				position: 'Block',
				reason: 'Evenings are hard for carers.'
			})
		]);
		expect(view?.quorumReached).toBe(true);
		expect(view?.mine?.position).toBe('agree');
	});

	it('refuses an edit once anyone has responded, and the anonymous choice once open', async () => {
		const d = await openGroupDecision();
		const input = decisionInput({ audience: 'group', group: [d.ann.email], question: 'Changed?' });
		await expect(editDecision(ctx.db, d.stranger, d.id, input, NOW)).rejects.toBeInstanceOf(
			ForbiddenError
		);
		expect(
			await editDecision(ctx.db, d.facilitator, d.id, { ...input, anonymous: true }, NOW)
		).toEqual({ ok: false, reason: 'anonymity-fixed' });
		expect(await editDecision(ctx.db, d.facilitator, d.id, input, NOW)).toEqual({
			ok: true,
			slug: d.slug
		});
		await respondToDecision(ctx.db, d.ann, d.id, { position: 'agree' }, LATER);
		expect(
			await editDecision(ctx.db, d.facilitator, d.id, { ...input, question: 'Again?' }, LATER)
		).toEqual({ ok: false, reason: 'has-responses' });
		expect((await decisionResult(ctx.db, d.id))?.question).toBe('Changed?');
	});

	it('closes once: a second press says so; responding afterwards is refused', async () => {
		const d = await openGroupDecision();
		await expect(closeDecision(ctx.db, d.ann, d.id, LATER)).rejects.toBeInstanceOf(ForbiddenError);
		expect(await closeDecision(ctx.db, d.facilitator, d.id, LATER)).toEqual({ ok: true });
		expect(await closeDecision(ctx.db, d.facilitator, d.id, LATER)).toEqual({
			ok: false,
			reason: 'already-closed'
		});
		expect(await respondToDecision(ctx.db, d.ann, d.id, { position: 'agree' }, LATER)).toEqual({
			ok: false,
			reason: 'closed'
		});
	});

	it('refuses responses after the closing time even before anyone presses close', async () => {
		const d = await openGroupDecision();
		expect(
			await respondToDecision(
				ctx.db,
				d.ann,
				d.id,
				{ position: 'agree' },
				'2026-12-10T17:00:00.000Z'
			)
		).toEqual({ ok: false, reason: 'closed' });
	});

	it('will not let a proposal with a standing block pass; a second round with a changed proposal can', async () => {
		const d = await openGroupDecision();
		await respondToDecision(ctx.db, d.ann, d.id, { position: 'agree' }, LATER);
		await respondToDecision(
			ctx.db,
			d.bob,
			d.id,
			{ position: 'block', reason: 'Evenings are hard for carers.' },
			LATER
		);
		expect(
			await writeOutcome(
				ctx.db,
				d.facilitator,
				d.id,
				{ outcome: 'Early.', result: 'passed' },
				LATER
			)
		).toEqual({ ok: false, reason: 'not-closed' });
		await closeDecision(ctx.db, d.facilitator, d.id, LATER);
		await expect(
			writeOutcome(ctx.db, d.ann, d.id, { outcome: 'x', result: 'passed' }, LATER)
		).rejects.toBeInstanceOf(ForbiddenError);
		expect(
			await writeOutcome(
				ctx.db,
				d.facilitator,
				d.id,
				{ outcome: 'Passed!', result: 'passed' },
				LATER
			)
		).toEqual({ ok: false, reason: 'block-stands' });
		expect(
			await writeOutcome(
				ctx.db,
				d.facilitator,
				d.id,
				{ outcome: 'Blocked.', result: 'none' },
				LATER
			)
		).toEqual({ ok: false, reason: 'result-needed' });
		expect(
			await writeOutcome(
				ctx.db,
				d.facilitator,
				d.id,
				{ outcome: 'Not passed: we will offer a daytime slot too.', result: 'not-passed' },
				LATER
			)
		).toEqual({ ok: true });
		const told = await ctx.db
			.selectFrom('notification')
			.select('recipient_id')
			.where('kind', '=', 'decision-outcome')
			.where('subject_key', '=', `decision:${d.id}:outcome`)
			.execute();
		expect(told.map((r) => r.recipient_id).sort()).toEqual([d.ann.id, d.bob.id].sort());

		const closesAt = '2026-12-20T17:00:00.000Z';
		await expect(
			startNextRound(ctx.db, d.bob, d.id, { proposal: 'Both', closesAt }, LATER)
		).rejects.toBeInstanceOf(ForbiddenError);
		const next = await startNextRound(
			ctx.db,
			d.facilitator,
			d.id,
			{ proposal: 'Evenings **and** a daytime slot.', closesAt },
			LATER
		);
		if (!next.ok) throw new Error(next.reason);
		expect(
			await startNextRound(ctx.db, d.facilitator, d.id, { proposal: 'Again', closesAt }, LATER)
		).toEqual({ ok: false, reason: 'has-next' });
		await openDecision(ctx.db, d.facilitator, next.id, LATER);
		await respondToDecision(ctx.db, d.ann, next.id, { position: 'agree' }, LATER);
		await respondToDecision(
			ctx.db,
			d.bob,
			next.id,
			{ position: 'agree', reason: 'The daytime slot works for me.' },
			LATER
		);
		await closeDecision(ctx.db, d.facilitator, next.id, LATER);
		expect(
			await writeOutcome(
				ctx.db,
				d.facilitator,
				next.id,
				{ outcome: 'Agreed.', result: 'passed' },
				LATER
			)
		).toEqual({ ok: true });
		expect(await decisionResult(ctx.db, next.id)).toMatchObject({
			status: 'closed',
			result: 'passed',
			outcome: 'Agreed.'
		});
		const view = await viewDecision(ctx.db, d.ann, next.slug, TZ, LATER);
		expect(view?.previous).toEqual({ slug: d.slug, round: 1 });
		expect((await viewDecision(ctx.db, d.ann, d.slug, TZ, LATER))?.next).toEqual({
			slug: next.slug,
			round: 2
		});
	});

	it('counts only objections with reasons in consent', async () => {
		const d = await openGroupDecision({ process: 'consent' });
		await respondToDecision(ctx.db, d.ann, d.id, { position: 'object' }, LATER);
		await respondToDecision(ctx.db, d.bob, d.id, { position: 'consent' }, LATER);
		const view = await viewDecision(ctx.db, d.ann, d.slug, TZ, LATER);
		expect(view?.summary.tallies.map((t) => t.value)).toEqual([1, 0]);
		expect(view?.summary.note).toBe('1 objection without a reason is not counted.');
		await closeDecision(ctx.db, d.facilitator, d.id, LATER);
		expect(
			await writeOutcome(
				ctx.db,
				d.facilitator,
				d.id,
				{ outcome: 'No reasoned objection.', result: 'passed' },
				LATER
			)
		).toEqual({ ok: true });
	});

	it('tallies dot votes and refuses more dots than one has', async () => {
		const d = await openGroupDecision({
			process: 'dot',
			options: ['Tea', 'Coffee', 'Juice'],
			setting: 3
		});
		const options = (await viewDecision(ctx.db, d.ann, d.slug, TZ, LATER))!.options;
		const [tea = '', coffee = ''] = options.map((o) => o.id);
		expect(
			await respondToDecision(ctx.db, d.ann, d.id, { values: { [tea]: '3', [coffee]: '1' } }, LATER)
		).toMatchObject({
			errors: { [`value-${tea}`]: 'You have 3 dots in all, and you used 4. Take some away' }
		});
		expect(
			await respondToDecision(ctx.db, d.ann, d.id, { values: { [tea]: 'lots' } }, LATER)
		).toMatchObject({
			errors: { [`value-${tea}`]: 'Tea: enter a whole number from 0 to 3' }
		});
		await respondToDecision(ctx.db, d.ann, d.id, { values: { [tea]: '2', [coffee]: '1' } }, LATER);
		await respondToDecision(ctx.db, d.bob, d.id, { values: { [coffee]: '3' } }, LATER);
		const view = await viewDecision(ctx.db, d.ann, d.slug, TZ, LATER);
		expect(view?.summary.tallies.map((t) => [t.label, t.text, t.leading])).toEqual([
			['Tea', '2 dots', false],
			['Coffee', '4 dots', true],
			['Juice', '0 dots', false]
		]);
	});

	it('checks ranked and choose responses', async () => {
		const ranked = await openGroupDecision({ process: 'ranked', options: ['A', 'B', 'C'] });
		const [a = '', b = ''] = (await viewDecision(
			ctx.db,
			ranked.ann,
			ranked.slug,
			TZ,
			LATER
		))!.options.map((o) => o.id);
		expect(
			await respondToDecision(
				ctx.db,
				ranked.ann,
				ranked.id,
				{ values: { [a]: '1', [b]: '3' } },
				LATER
			)
		).toMatchObject({
			errors: { [`value-${a}`]: expect.stringMatching(/each number once, with no gaps/) }
		});
		expect(
			(
				await respondToDecision(
					ctx.db,
					ranked.ann,
					ranked.id,
					{ values: { [a]: '2', [b]: '1' } },
					LATER
				)
			).ok
		).toBe(true);
		const choose = await openGroupDecision({
			process: 'choose',
			options: ['X', 'Y', 'Z'],
			setting: 1
		});
		const [x = '', y = ''] = (await viewDecision(
			ctx.db,
			choose.ann,
			choose.slug,
			TZ,
			LATER
		))!.options.map((o) => o.id);
		expect(
			await respondToDecision(ctx.db, choose.ann, choose.id, { chosen: [x, y] }, LATER)
		).toMatchObject({ errors: { chosen: 'Choose 1 option or fewer' } });
		expect(
			await respondToDecision(ctx.db, choose.ann, choose.id, { chosen: ['forged'] }, LATER)
		).toMatchObject({ errors: { chosen: expect.stringMatching(/not on the list/) } });
		expect(
			(await respondToDecision(ctx.db, choose.ann, choose.id, { chosen: [y] }, LATER)).ok
		).toBe(true);
	});

	it('keeps anonymous positions changeable while open, and tied to nobody once closed', async () => {
		const d = await openGroupDecision({ anonymous: true });
		await respondToDecision(
			ctx.db,
			d.bob,
			d.id,
			{ position: 'block', reason: 'Not in the evening.' },
			LATER
		);
		await respondToDecision(
			ctx.db,
			d.bob,
			d.id,
			{ position: 'disagree', reason: 'Not in the evening.' },
			LATER
		);
		await respondToDecision(
			ctx.db,
			d.ann,
			d.id,
			{ position: 'agree', reason: 'Yes please.' },
			LATER
		);
		const before = await ctx.db
			.selectFrom('decision_response')
			.select(['id', 'person_id', 'updated_at'])
			.where('decision_id', '=', d.id)
			.execute();
		expect(before.every((r) => r.updated_at === null)).toBe(true);
		const open = await viewDecision(ctx.db, d.facilitator, d.slug, TZ, LATER);
		expect(open?.summary.reasons.every((r) => r.name === null)).toBe(true);
		expect((await exportPersonData(ctx.db, d.bob.id))?.yourPositionsOnDecisions).toEqual([
			expect.objectContaining({ anonymous: true, position: 'disagree' })
		]);

		await closeDecision(ctx.db, d.facilitator, d.id, LATER);
		const after = await ctx.db
			.selectFrom('decision_response')
			.selectAll()
			.where('decision_id', '=', d.id)
			.execute();
		expect(after).toHaveLength(2);
		expect(after.every((r) => r.person_id === null && r.updated_at === null)).toBe(true);
		expect(after.map((r) => r.id).filter((id) => before.some((b) => b.id === id))).toEqual([]);
		expect(after.map((r) => r.position).sort()).toEqual(['agree', 'disagree']);
		// Nothing else holds the link: not the audit log, not the notifications, not the export.
		const audit = await ctx.db
			.selectFrom('audit_log')
			.selectAll()
			.where('target_id', '=', d.id)
			.execute();
		expect(JSON.stringify(audit)).not.toContain(d.bob.id);
		expect((await exportPersonData(ctx.db, d.bob.id))?.yourPositionsOnDecisions).toEqual([]);
		const view = await viewDecision(ctx.db, d.bob, d.slug, TZ, LATER);
		expect(view?.mine).toBeNull();
		expect(view?.summary.responses).toBe(2);
	});

	it('reminds silent participants once a day before closing, and closes at the closing time', async () => {
		const d = await openGroupDecision({ anonymous: true });
		await respondToDecision(ctx.db, d.ann, d.id, { position: 'agree' }, LATER);
		const dayBefore = new Date('2026-12-09T18:00:00.000Z');
		// Two instances at once: each decision is claimed by one of them.
		await Promise.all([
			remindAndCloseDecisions(ctx.db, dayBefore),
			remindAndCloseDecisions(ctx.db, dayBefore)
		]);
		const reminded = await ctx.db
			.selectFrom('notification')
			.select(['recipient_id', 'count'])
			.where('kind', '=', 'decision-reminder')
			.where('subject_key', '=', `decision:${d.id}:reminder`)
			.execute();
		expect(reminded.map((r) => r.recipient_id).sort()).toEqual([d.facilitator.id, d.bob.id].sort());
		expect(reminded.map((r) => Number(r.count))).toEqual([1, 1]);
		expect((await remindAndCloseDecisions(ctx.db, dayBefore)).reminded).toBe(0);
		const closed = await remindAndCloseDecisions(ctx.db, new Date('2026-12-10T17:05:00.000Z'));
		expect(closed.closed).toBeGreaterThanOrEqual(1);
		expect((await decisionResult(ctx.db, d.id))?.status).toBe('closed');
		const rows = await ctx.db
			.selectFrom('decision_response')
			.select('person_id')
			.where('decision_id', '=', d.id)
			.execute();
		expect(rows).toEqual([{ person_id: null }]);
	});

	it('adds facilitators and group members by address, for facilitators only', async () => {
		const d = await openGroupDecision();
		await expect(
			addPersonToDecision(ctx.db, d.ann, d.id, 'facilitator', d.stranger.email)
		).rejects.toBeInstanceOf(ForbiddenError);
		expect(
			await addPersonToDecision(ctx.db, d.facilitator, d.id, 'group', 'nobody@x.test')
		).toMatchObject({ errors: { email: expect.stringMatching(/no member/) } });
		expect(
			await addPersonToDecision(ctx.db, d.facilitator, d.id, 'group', d.stranger.email)
		).toEqual({ ok: true, name: 'Sid Stranger' });
		expect(
			(await respondToDecision(ctx.db, d.stranger, d.id, { position: 'abstain' }, LATER)).ok
		).toBe(true);
		await expect(removePersonFromGroup(ctx.db, d.ann, d.id, d.bob.id)).rejects.toBeInstanceOf(
			ForbiddenError
		);
		expect(await removePersonFromGroup(ctx.db, d.facilitator, d.id, d.bob.id)).toEqual({
			ok: true
		});
		await expect(
			respondToDecision(ctx.db, d.bob, d.id, { position: 'agree' }, LATER)
		).rejects.toBeInstanceOf(ForbiddenError);
	});

	it('lists open decisions first and hides others’ drafts', async () => {
		const p = await people();
		const draft = await startDecision(
			ctx.db,
			p.facilitator,
			decisionInput({ question: 'A private draft' }),
			NOW
		);
		const list = await listDecisions(ctx.db, p.stranger, 1, TZ);
		expect(list.decisions.some((d) => d.slug === draft.slug)).toBe(false);
		const statuses = list.decisions.map((d) => d.status);
		expect(
			statuses.indexOf('closed') === -1 || statuses.lastIndexOf('open') < statuses.indexOf('closed')
		).toBe(true);
		expect(
			(await listDecisions(ctx.db, p.facilitator, 1, TZ)).decisions.some(
				(d) => d.slug === draft.slug
			)
		).toBe(true);
		const curator = await createTestUser(ctx.db, { role: 'curator' });
		const all = await listDecisions(ctx.db, curator, 1, TZ);
		expect(all.decisions.some((d) => d.slug === draft.slug)).toBe(true);
		expect(all.total).toBeGreaterThan(list.total);
	});

	it('removes a leaving person’s open responses and keeps closed ones without their name', async () => {
		const d = await openGroupDecision();
		const other = await openGroupDecision();
		await respondToDecision(ctx.db, d.bob, d.id, { position: 'block', reason: 'No.' }, LATER);
		await respondToDecision(ctx.db, other.bob, other.id, { position: 'agree' }, LATER);
		await closeDecision(ctx.db, d.facilitator, d.id, LATER);
		expect((await exportPersonData(ctx.db, d.bob.id))?.yourPositionsOnDecisions).toHaveLength(1);
		await deleteAccount(ctx.db, d.bob.id, { contributions: 'remove' });
		await deleteAccount(ctx.db, other.bob.id, { contributions: 'remove' });
		const kept = await ctx.db
			.selectFrom('decision_response')
			.select(['person_id', 'position'])
			.where('decision_id', '=', d.id)
			.execute();
		expect(kept).toEqual([{ person_id: null, position: 'block' }]);
		expect(
			await ctx.db
				.selectFrom('decision_response')
				.select('id')
				.where('decision_id', '=', other.id)
				.execute()
		).toEqual([]);
	});
});
