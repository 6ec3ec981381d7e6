import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, type Database } from '../db/database';
import { newId, nowIso } from '../ids';
import { publishedEvent } from '../events/events.testing';
import { createTestUser } from '../testing/factories';
import {
	TEST_DATABASE_URL,
	adminQuery,
	throwawayName,
	withDatabaseName
} from '../testing/postgres';
import { hashAddress } from './updates.service';
import { saveDigestSchedule, sendDueDigest } from './digest.service';

const SITE = { siteName: 'CoLab Test', origin: 'https://colab.test' };
const ZONE = 'UTC';
const DAY = 86_400_000;
const SUBSCRIBERS = 5_000;

/**
 * Two app instances (each its own connection pool) on one PostgreSQL database, with 5,000
 * subscribers: whatever the timing, each person gets the week's digest exactly once.
 */
describe.skipIf(!inject('postgresTemplate'))(
	'weekly digest, two instances on one PostgreSQL',
	() => {
		const name = throwawayName('colab_digest');
		let one: Database;
		let two: Database;
		let emails: string[] = [];

		beforeAll(async () => {
			await adminQuery(`create database ${name} template ${inject('postgresTemplate')}`);
			const url = withDatabaseName(TEST_DATABASE_URL, name);
			one = openDatabase({ databaseUrl: url, poolSize: 5 });
			two = openDatabase({ databaseUrl: url, poolSize: 5 });
			const now = nowIso();
			emails = [];
			for (let start = 0; start < SUBSCRIBERS; start += 500) {
				const rows = Array.from({ length: 500 }, (_, i) => {
					const email = `reader-${start + i}@example.test`;
					emails.push(email);
					return {
						id: newId(),
						email,
						email_hash: hashAddress(email),
						status: 'subscribed' as const,
						pending_topics: null,
						confirm_token_hash: null,
						confirm_expires_at: null,
						consented_at: now,
						consent_method: 'import' as const,
						consent_detail: null,
						created_at: now,
						updated_at: now
					};
				});
				await one.db.insertInto('update_subscriber').values(rows).execute();
				await one.db
					.insertInto('update_subscriber_topic')
					.values(rows.map((r) => ({ subscriber_id: r.id, topic: 'events' })))
					.execute();
			}
			await publishedEvent(one.db, { title: 'Something new this week' });
		}, 120_000);

		afterAll(async () => {
			await one?.close();
			await two?.close();
			await adminQuery(`drop database if exists ${name} with (force)`);
		});

		async function schedule(daysAhead: number) {
			const admin = await createTestUser(one.db, { role: 'administrator' });
			const day = new Date(Date.now() + daysAhead * DAY);
			await saveDigestSchedule(one.db, admin, { day: String(day.getUTCDay()), time: '00:00' });
			return new Date(Date.parse(day.toISOString().slice(0, 10)) + 60_000).toISOString();
		}

		async function expectEachOnce() {
			const rows = await one.db
				.selectFrom('mail_outbox')
				.select(['to_address'])
				.where('kind', '=', 'updates.digest')
				.execute();
			const to = rows.map((r) => r.to_address);
			expect(to).toHaveLength(SUBSCRIBERS);
			expect(new Set(to)).toEqual(new Set(emails));
		}

		it('both instances send at once, and each person gets the digest exactly once', async () => {
			const at = await schedule(1);
			const [a, b] = await Promise.all([
				sendDueDigest(one.db, SITE, ZONE, at),
				sendDueDigest(two.db, SITE, ZONE, at)
			]);
			expect(a.digestMails + b.digestMails).toBe(SUBSCRIBERS);
			await expectEachOnce();
			const run = await two.db
				.selectFrom('update_digest')
				.selectAll()
				.where('status', '=', 'sent')
				.executeTakeFirstOrThrow();
			expect(Number(run.recipients)).toBe(SUBSCRIBERS);
			// Either instance running again this week sends nothing.
			const again = await Promise.all([
				sendDueDigest(one.db, SITE, ZONE, at),
				sendDueDigest(two.db, SITE, ZONE, at)
			]);
			expect(again).toEqual([{ digestMails: 0 }, { digestMails: 0 }]);
		}, 300_000);

		async function newWeek(daysAhead: number) {
			await one.db.deleteFrom('update_digest').execute();
			await one.db.deleteFrom('mail_outbox').execute();
			// The event is new again in the new week.
			await one.db.updateTable('event').set({ created_at: nowIso() }).execute();
			return schedule(daysAhead);
		}

		it('a run that stopped after some batches is finished by the other instance, without duplicates', async () => {
			const at = await newWeek(2);
			// Instance one stops dead after four batches.
			await expect(
				sendDueDigest(one.db, SITE, ZONE, at, {
					afterBatch: (done) => {
						if (done >= 1_000) throw new Error('instance one stopped');
					}
				})
			).rejects.toThrow('instance one stopped');
			const left = await one.db.selectFrom('update_digest').selectAll().executeTakeFirstOrThrow();
			expect(left.status).toBe('sending');
			// Straight after, instance two finds the claim fresh and leaves it alone.
			expect(await sendDueDigest(two.db, SITE, ZONE, at)).toEqual({ digestMails: 0 });
			// Ten minutes on, instance two takes the run over and goes on from where it stopped.
			const later = new Date(Date.parse(at) + 11 * 60_000).toISOString();
			expect(await sendDueDigest(two.db, SITE, ZONE, later)).toEqual({
				digestMails: SUBSCRIBERS - 1_000
			});
			await expectEachOnce();
		}, 300_000);

		it('when a stalled sender wakes up while the other has taken over, both go on at once and nobody gets two', async () => {
			const at = await newWeek(3);
			const later = new Date(Date.parse(at) + 11 * 60_000).toISOString();
			let fromTwo: Promise<{ digestMails: number }> | undefined;
			const fromOne = sendDueDigest(one.db, SITE, ZONE, at, {
				afterBatch: async (done) => {
					if (fromTwo || done < 1_000) return;
					// Instance one stalls (a long pause); instance two sees a stale claim and takes over.
					fromTwo = sendDueDigest(two.db, SITE, ZONE, later);
					for (;;) {
						const run = await one.db
							.selectFrom('update_digest')
							.select('claimed_at')
							.executeTakeFirstOrThrow();
						if (String(run.claimed_at) >= later) break;
						await new Promise((r) => setTimeout(r, 5));
					}
				}
			});
			const a = await fromOne;
			const b = await fromTwo!;
			// Who sends the rest is a race either may win; together they send each mail once.
			expect(a.digestMails + b.digestMails).toBe(SUBSCRIBERS);
			await expectEachOnce();
		}, 300_000);
	}
);
