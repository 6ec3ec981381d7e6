import { beforeEach, expect, it } from 'vitest';
import { describeEachDatabase } from '../testing/databases';
import { enqueueMail } from './outbox';
import { claimDueMail } from './mail.repository';
import { countOutbox, listMailProblems, retryMail } from './mail.service';
import type { OutboxStatus } from './mail.tables';

describeEachDatabase('mail service', (ctx) => {
	beforeEach(async () => {
		await ctx.db.deleteFrom('mail_outbox').execute();
	});

	/** A mail created on 1 January 2026 + `day`, in the given state. */
	async function mailIn(status: OutboxStatus, day: number, lastError: string | null = '451 later') {
		const id = await enqueueMail(ctx.db, {
			to: `day${day}@example.test`,
			subject: `Day ${day}`,
			text: 'Hello',
			kind: 'spec.service'
		});
		await ctx.db
			.updateTable('mail_outbox')
			.set({
				status,
				attempts: status === 'failed' ? 8 : lastError ? 2 : 0,
				last_error: lastError,
				created_at: new Date(Date.UTC(2026, 0, 1 + day)).toISOString(),
				next_attempt_at: new Date(Date.UTC(2027, 0, 1)).toISOString()
			})
			.where('id', '=', id)
			.execute();
		return id;
	}

	it('lists failed and retrying mail, newest first, a page at a time', async () => {
		const failedOld = await mailIn('failed', 1);
		const retrying = await mailIn('pending', 2);
		await mailIn('pending', 3, null); // waiting for its first try: not a problem
		await mailIn('sent', 4, null);
		const failedNew = await mailIn('failed', 5);

		const first = await listMailProblems(ctx.db, { page: 1, perPage: 2 });
		expect(first).toMatchObject({ total: 3, page: 1, perPage: 2, pageCount: 2 });
		expect(first.items.map((m) => m.id)).toEqual([failedNew, retrying]);
		expect(first.items[0]).toMatchObject({
			to_address: 'day5@example.test',
			subject: 'Day 5',
			kind: 'spec.service',
			status: 'failed',
			attempts: 8,
			last_error: '451 later'
		});

		const second = await listMailProblems(ctx.db, { page: 2, perPage: 2 });
		expect(second.items.map((m) => m.id)).toEqual([failedOld]);
	});

	it('shows the last page when asked for one past the end, and copes with nonsense', async () => {
		await mailIn('failed', 1);
		const past = await listMailProblems(ctx.db, { page: 9, perPage: 10 });
		expect(past).toMatchObject({ page: 1, pageCount: 1, total: 1 });
		expect(past.items).toHaveLength(1);
		const odd = await listMailProblems(ctx.db, { page: -3, perPage: 0 });
		expect(odd).toMatchObject({ page: 1, perPage: 25 });
		await ctx.db.deleteFrom('mail_outbox').execute();
		expect(await listMailProblems(ctx.db)).toEqual({
			items: [],
			total: 0,
			page: 1,
			perPage: 25,
			pageCount: 1
		});
	});

	it('retries a failed mail now, with a fresh set of tries', async () => {
		const id = await mailIn('failed', 1);
		const before = Date.now();
		expect(await retryMail(ctx.db, id)).toEqual({ ok: true });
		const row = await ctx.db
			.selectFrom('mail_outbox')
			.selectAll()
			.where('id', '=', id)
			.executeTakeFirstOrThrow();
		expect(row).toMatchObject({ status: 'pending', attempts: 0, last_error: '451 later' });
		expect(Date.parse(row.next_attempt_at)).toBeGreaterThanOrEqual(before - 1);
		expect(Date.parse(row.next_attempt_at)).toBeLessThanOrEqual(Date.now());
	});

	it('refuses to retry mail that was sent, is being sent, or does not exist', async () => {
		expect(await retryMail(ctx.db, await mailIn('sent', 1, null))).toEqual({
			ok: false,
			reason: 'already-sent'
		});
		expect(await retryMail(ctx.db, await mailIn('sending', 2))).toEqual({
			ok: false,
			reason: 'being-sent'
		});
		expect(await retryMail(ctx.db, 'no-such-mail')).toEqual({ ok: false, reason: 'not-found' });
	});

	it('counts the outbox, with the mail a stopped instance was sending', async () => {
		await mailIn('pending', 1, null);
		await mailIn('failed', 2);
		const abandoned = await mailIn('pending', 3, null);
		const past = Date.now() - 120_000;
		// Claimed two minutes ago for one minute, by an instance that then stopped.
		await claimDueMail(ctx.db, {
			now: new Date(Date.UTC(2027, 0, 2)).toISOString(),
			lockedUntil: new Date(past + 60_000).toISOString(),
			limit: 1,
			id: abandoned,
			claimedBy: 'stopped'
		});
		expect(await countOutbox(ctx.db)).toEqual({
			pending: 1,
			sending: 1,
			sent: 0,
			failed: 1,
			abandoned: 1
		});
	});
});
