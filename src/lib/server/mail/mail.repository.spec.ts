import { beforeEach, expect, it } from 'vitest';
import { describeEachDatabase } from '../testing/databases';
import { enqueueMail } from './outbox';
import {
	claimDueMail,
	countOutboxByStatus,
	deleteOldMail,
	findMailProblems,
	markMailFailed,
	markMailSent,
	releaseMailClaims,
	renewMailClaims,
	requeueMail,
	scheduleMailRetry
} from './mail.repository';

const iso = (ms: number) => new Date(ms).toISOString();
const mail = (to: string) => ({ to, subject: `For ${to}`, text: 'Hello', kind: 'spec.repository' });

describeEachDatabase('mail repository', (ctx) => {
	beforeEach(async () => {
		await ctx.db.deleteFrom('mail_outbox').execute();
	});

	async function row(id: string) {
		return ctx.db
			.selectFrom('mail_outbox')
			.selectAll()
			.where('id', '=', id)
			.executeTakeFirstOrThrow();
	}

	it('claims due pending rows oldest first, counting the attempt and locking them', async () => {
		const first = await enqueueMail(ctx.db, mail('a@example.test'));
		const second = await enqueueMail(ctx.db, mail('b@example.test'));
		await ctx.db
			.updateTable('mail_outbox')
			.set({ next_attempt_at: iso(Date.now() - 60_000) })
			.where('id', '=', second)
			.execute();
		const now = Date.now();
		const claimed = await claimDueMail(ctx.db, {
			now: iso(now),
			lockedUntil: iso(now + 60_000),
			limit: 10
		});
		expect(claimed.map((r) => r.id)).toEqual([second, first]);
		expect(claimed.every((r) => r.status === 'sending' && r.attempts === 1)).toBe(true);
		expect(claimed[0]?.locked_until).toBe(iso(now + 60_000));

		// Claimed rows are not handed to anyone else while the claim holds.
		const again = await claimDueMail(ctx.db, {
			now: iso(now + 1000),
			lockedUntil: iso(now + 61_000),
			limit: 10
		});
		expect(again).toEqual([]);
	});

	it('leaves rows that are not yet due, and respects the limit', async () => {
		const later = await enqueueMail(ctx.db, mail('later@example.test'));
		await ctx.db
			.updateTable('mail_outbox')
			.set({ next_attempt_at: iso(Date.now() + 60_000) })
			.where('id', '=', later)
			.execute();
		const now = Date.now();
		for (const [to, ago] of [
			['one@example.test', 2000],
			['two@example.test', 1000]
		] as const) {
			const id = await enqueueMail(ctx.db, mail(to));
			await ctx.db
				.updateTable('mail_outbox')
				.set({ next_attempt_at: iso(now - ago) })
				.where('id', '=', id)
				.execute();
		}
		const claimed = await claimDueMail(ctx.db, {
			now: iso(now),
			lockedUntil: iso(now + 60_000),
			limit: 1
		});
		expect(claimed).toHaveLength(1);
		expect(claimed[0]?.to_address).toBe('one@example.test');
		expect((await row(later)).status).toBe('pending');
	});

	it('takes back a row whose sender crashed once its claim expires', async () => {
		const id = await enqueueMail(ctx.db, mail('crash@example.test'));
		const now = Date.now();
		await claimDueMail(ctx.db, { now: iso(now), lockedUntil: iso(now + 1000), limit: 10 });
		expect(
			await claimDueMail(ctx.db, { now: iso(now + 999), lockedUntil: iso(now + 5000), limit: 10 })
		).toEqual([]);
		const reclaimed = await claimDueMail(ctx.db, {
			now: iso(now + 1000),
			lockedUntil: iso(now + 5000),
			limit: 10
		});
		expect(reclaimed.map((r) => [r.id, r.attempts])).toEqual([[id, 2]]);
	});

	it('renews only the claims a sender still holds, so a live sender keeps its rows', async () => {
		const [a, b, c] = [
			await enqueueMail(ctx.db, mail('a@example.test')),
			await enqueueMail(ctx.db, mail('b@example.test')),
			await enqueueMail(ctx.db, mail('c@example.test'))
		];
		const now = Date.now();
		await claimDueMail(ctx.db, {
			now: iso(now),
			lockedUntil: iso(now + 1000),
			limit: 2,
			claimedBy: 'one',
			id: a
		});
		await claimDueMail(ctx.db, {
			now: iso(now),
			lockedUntil: iso(now + 1000),
			limit: 2,
			claimedBy: 'one',
			id: b
		});
		await claimDueMail(ctx.db, {
			now: iso(now),
			lockedUntil: iso(now + 1000),
			limit: 1,
			claimedBy: 'two',
			id: c
		});
		expect((await row(a)).claimed_by).toBe('one');

		expect(await renewMailClaims(ctx.db, 'one', iso(now + 5000))).toBe(2);
		expect(await row(a)).toMatchObject({ locked_until: iso(now + 5000), status: 'sending' });
		expect((await row(c)).locked_until).toBe(iso(now + 1000));
		// Renewed, the rows are not due when the first claim would have run out.
		expect(
			(
				await claimDueMail(ctx.db, {
					now: iso(now + 2000),
					lockedUntil: iso(now + 9000),
					limit: 10,
					claimedBy: 'three'
				})
			).map((r) => r.id)
		).toEqual([c]);
		// "two" lost c to "three": it renews nothing, and learns it before sending.
		expect(await renewMailClaims(ctx.db, 'two', iso(now + 9000), [c])).toBe(0);
		expect(await renewMailClaims(ctx.db, 'three', iso(now + 9000), [c])).toBe(1);
		expect(await renewMailClaims(ctx.db, 'one', iso(now + 9000), [])).toBe(0);
		await markMailSent(ctx.db, a, { sentAt: iso(now + 3000), messageId: null });
		expect(await renewMailClaims(ctx.db, 'one', iso(now + 9000))).toBe(1);
		expect(await row(a)).toMatchObject({ status: 'sent', claimed_by: null, locked_until: null });
	});

	it('lets a slow sender neither retry, fail nor hand back a row another sender took over', async () => {
		const id = await enqueueMail(ctx.db, mail('taken@example.test'));
		const now = Date.now();
		await claimDueMail(ctx.db, {
			now: iso(now),
			lockedUntil: iso(now + 1000),
			limit: 1,
			claimedBy: 'slow'
		});
		// The claim ran out (the slow sender froze); a second sender takes the row.
		await claimDueMail(ctx.db, {
			now: iso(now + 1000),
			lockedUntil: iso(now + 60_000),
			limit: 1,
			claimedBy: 'fresh'
		});
		await scheduleMailRetry(ctx.db, id, { error: 'late', nextAttemptAt: iso(now) }, 'slow');
		await markMailFailed(ctx.db, id, 'late', 'slow');
		await releaseMailClaims(ctx.db, [id], 'slow');
		expect(await row(id)).toMatchObject({
			status: 'sending',
			claimed_by: 'fresh',
			attempts: 2,
			last_error: null
		});
		await scheduleMailRetry(ctx.db, id, { error: '451', nextAttemptAt: iso(now) }, 'fresh');
		expect(await row(id)).toMatchObject({ status: 'pending', claimed_by: null, last_error: '451' });
	});

	it('counts the outbox by status, and the claims a stopped sender left', async () => {
		expect(await countOutboxByStatus(ctx.db, iso(Date.now()))).toEqual({
			pending: 0,
			sending: 0,
			sent: 0,
			failed: 0,
			abandoned: 0
		});
		const ids: string[] = [];
		for (let i = 0; i < 6; i++) ids.push(await enqueueMail(ctx.db, mail(`n${i}@example.test`)));
		const now = Date.now();
		// Two claims: one alive, one whose sender stopped renewing.
		await claimDueMail(ctx.db, {
			now: iso(now),
			lockedUntil: iso(now + 60_000),
			limit: 1,
			id: ids[0],
			claimedBy: 'alive'
		});
		await claimDueMail(ctx.db, {
			now: iso(now),
			lockedUntil: iso(now + 1000),
			limit: 1,
			id: ids[1],
			claimedBy: 'dead'
		});
		await markMailSent(ctx.db, ids[2]!, { sentAt: iso(now), messageId: null });
		await ctx.db
			.updateTable('mail_outbox')
			.set({ status: 'failed' })
			.where('id', '=', ids[3]!)
			.execute();
		expect(await countOutboxByStatus(ctx.db, iso(now + 2000))).toEqual({
			pending: 2,
			sending: 2,
			sent: 1,
			failed: 1,
			abandoned: 1
		});
	});

	it('claims one row by id only', async () => {
		await enqueueMail(ctx.db, mail('other@example.test'));
		const id = await enqueueMail(ctx.db, mail('me@example.test'));
		const now = Date.now();
		const claimed = await claimDueMail(ctx.db, {
			now: iso(now),
			lockedUntil: iso(now + 60_000),
			limit: 10,
			id
		});
		expect(claimed.map((r) => r.id)).toEqual([id]);
	});

	it('claims inside a caller’s transaction, so a mail can be enqueued and claimed at once', async () => {
		const claimed = await ctx.db.transaction().execute(async (trx) => {
			const id = await enqueueMail(trx, mail('trx@example.test'));
			const now = Date.now();
			return claimDueMail(trx, { now: iso(now), lockedUntil: iso(now + 60_000), limit: 1, id });
		});
		expect(claimed.map((r) => r.status)).toEqual(['sending']);
	});

	it('records sent, retry and failure, and never undoes a later success', async () => {
		const id = await enqueueMail(ctx.db, mail('x@example.test'));
		const now = Date.now();
		await claimDueMail(ctx.db, { now: iso(now), lockedUntil: iso(now + 60_000), limit: 1 });
		await scheduleMailRetry(ctx.db, id, { error: '451 later', nextAttemptAt: iso(now + 5000) });
		expect(await row(id)).toMatchObject({
			status: 'pending',
			locked_until: null,
			last_error: '451 later',
			next_attempt_at: iso(now + 5000)
		});

		await claimDueMail(ctx.db, { now: iso(now + 5000), lockedUntil: iso(now + 9000), limit: 1 });
		await markMailSent(ctx.db, id, { sentAt: iso(now + 6000), messageId: null });
		// A slow sender whose claim had expired reports failure afterwards: the row stays sent.
		await markMailFailed(ctx.db, id, 'too late');
		await scheduleMailRetry(ctx.db, id, { error: 'too late', nextAttemptAt: iso(now) });
		expect(await row(id)).toMatchObject({
			status: 'sent',
			sent_at: iso(now + 6000),
			last_error: null,
			attempts: 2
		});
	});

	it('hands back claimed rows untried', async () => {
		const id = await enqueueMail(ctx.db, mail('back@example.test'));
		const now = Date.now();
		await claimDueMail(ctx.db, { now: iso(now), lockedUntil: iso(now + 60_000), limit: 1 });
		await releaseMailClaims(ctx.db, [id]);
		expect(await row(id)).toMatchObject({ status: 'pending', attempts: 0, locked_until: null });
	});

	it('lists failed and retrying mail newest first, and requeues failed mail', async () => {
		const ids: string[] = [];
		for (let i = 0; i < 4; i++) {
			const id = await enqueueMail(ctx.db, mail(`p${i}@example.test`));
			await ctx.db
				.updateTable('mail_outbox')
				.set({ created_at: iso(Date.UTC(2026, 0, 1 + i)) })
				.where('id', '=', id)
				.execute();
			ids.push(id);
		}
		const [fine, retrying, failed, sent] = ids as [string, string, string, string];
		await ctx.db
			.updateTable('mail_outbox')
			.set({ attempts: 1, last_error: '451 later' })
			.where('id', '=', retrying)
			.execute();
		await ctx.db
			.updateTable('mail_outbox')
			.set({ status: 'failed', attempts: 8, last_error: '451 later' })
			.where('id', '=', failed)
			.execute();
		await ctx.db
			.updateTable('mail_outbox')
			.set({ status: 'sent' })
			.where('id', '=', sent)
			.execute();

		const all = await findMailProblems(ctx.db, { limit: 10, offset: 0 });
		expect(all.total).toBe(2);
		expect(all.rows.map((r) => r.id)).toEqual([failed, retrying]);
		expect(all.rows.map((r) => r.id)).not.toContain(fine);
		const second = await findMailProblems(ctx.db, { limit: 1, offset: 1 });
		expect(second.rows.map((r) => r.id)).toEqual([retrying]);

		const now = iso(Date.now());
		expect(await requeueMail(ctx.db, failed, now)).toBe(true);
		expect(await row(failed)).toMatchObject({
			status: 'pending',
			attempts: 0,
			next_attempt_at: now
		});
		expect(await requeueMail(ctx.db, sent, now)).toBe(false);
	});

	it('deletes sent mail after its keeping time and failed mail after a longer one', async () => {
		const day = 24 * 60 * 60_000;
		const now = Date.now();
		const oldSent = await enqueueMail(ctx.db, mail('old-sent@example.test'));
		const newSent = await enqueueMail(ctx.db, mail('new-sent@example.test'));
		const oldFailed = await enqueueMail(ctx.db, mail('old-failed@example.test'));
		const newerFailed = await enqueueMail(ctx.db, mail('newer-failed@example.test'));
		const oldPending = await enqueueMail(ctx.db, mail('old-pending@example.test'));
		await markMailSent(ctx.db, oldSent, { sentAt: iso(now - 31 * day), messageId: null });
		await markMailSent(ctx.db, newSent, { sentAt: iso(now - 29 * day), messageId: null });
		await ctx.db
			.updateTable('mail_outbox')
			.set({ status: 'failed', last_error: 'refused' })
			.where('id', 'in', [oldFailed, newerFailed])
			.execute();
		await ctx.db
			.updateTable('mail_outbox')
			.set({ created_at: iso(now - 91 * day) })
			.where('id', 'in', [oldFailed, oldPending])
			.execute();
		await ctx.db
			.updateTable('mail_outbox')
			.set({ created_at: iso(now - 60 * day) })
			.where('id', '=', newerFailed)
			.execute();

		const deleted = await deleteOldMail(ctx.db, {
			sentBefore: iso(now - 30 * day),
			failedBefore: iso(now - 90 * day)
		});
		expect(deleted).toBe(2);
		const left = await ctx.db.selectFrom('mail_outbox').select('id').execute();
		// Mail still waiting to go is never deleted, however old.
		expect(left.map((r) => r.id).sort()).toEqual([newSent, newerFailed, oldPending].sort());
	});
});
