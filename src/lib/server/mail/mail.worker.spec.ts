import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { simpleParser } from 'mailparser';
import { openDatabase, type Database } from '../db/database';
import { migrateToLatest } from '../db/migrate';
import { describeEachDatabase } from '../testing/databases';
import { enqueueMail } from './outbox';
import { claimDueMail } from './mail.repository';
import {
	MAIL_BACKOFF_MS,
	deliverClaimedMail,
	mailBackoffMs,
	startMailWorker,
	wakeMailWorker,
	type MailWorker
} from './mail.worker';
import { createFileTransport, createSmtpTransport } from './transport';
import { TestSmtpServer, waitUntil } from './smtp-test-server';

const FROM = 'CoLab Spec <colab@example.test>';
const iso = (ms: number) => new Date(ms).toISOString();

describe('mail backoff', () => {
	it('waits 1 min, 5 min, 30 min, 2 h … and then a day between tries', () => {
		expect([1, 2, 3, 4].map(mailBackoffMs)).toEqual([60_000, 300_000, 1_800_000, 7_200_000]);
		expect(mailBackoffMs(7)).toBe(24 * 3_600_000);
		expect(mailBackoffMs(50)).toBe(MAIL_BACKOFF_MS.at(-1));
	});
});

describeEachDatabase('mail worker', (ctx) => {
	const smtp = new TestSmtpServer();
	const workers: MailWorker[] = [];

	beforeAll(() => smtp.start());
	afterAll(() => smtp.stop());
	beforeEach(async () => {
		smtp.reset();
		await ctx.db.deleteFrom('mail_outbox').execute();
	});
	afterEach(async () => {
		await Promise.all(workers.splice(0).map((w) => w.stop()));
	});

	function start(options: Partial<Parameters<typeof startMailWorker>[1]> = {}): MailWorker {
		const worker = startMailWorker(ctx.db, {
			transport: createSmtpTransport(smtp.url, FROM),
			pollMs: 25,
			backoffMs: () => 25,
			...options
		});
		workers.push(worker);
		return worker;
	}

	async function row(id: string) {
		return ctx.db
			.selectFrom('mail_outbox')
			.selectAll()
			.where('id', '=', id)
			.executeTakeFirstOrThrow();
	}

	it('sends plain text, HTML and attachments over SMTP and marks the row sent', async () => {
		const id = await enqueueMail(ctx.db, {
			to: 'sam@example.test',
			subject: 'Your CoLab receipt',
			text: 'Hello Sam\nhttps://colab.example.test/receipt',
			html: '<p>Hello Sam</p>',
			attachments: [{ filename: 'receipt.txt', contentType: 'text/plain', content: 'Paid: £0' }],
			kind: 'spec.worker'
		});
		start();
		await waitUntil(async () => (await row(id)).status === 'sent', 5000, 'the mail to be sent');
		expect(smtp.messages).toHaveLength(1);
		const received = smtp.messages[0]!;
		expect(received).toMatchObject({
			outboxId: id,
			to: ['sam@example.test'],
			from: '"CoLab Spec" <colab@example.test>',
			subject: 'Your CoLab receipt',
			text: 'Hello Sam\nhttps://colab.example.test/receipt',
			html: '<p>Hello Sam</p>'
		});
		expect(received.messageId).toBe(`<${id}@example.test>`);
		expect(received.attachments.map((a) => [a.filename, a.content.toString()])).toEqual([
			['receipt.txt', 'Paid: £0']
		]);
		expect(await row(id)).toMatchObject({ attempts: 1, locked_until: null, last_error: null });
	});

	it('retries with backoff after the server says "try again later", then delivers', async () => {
		smtp.refuseNext(2, 451);
		const waits: number[] = [];
		const id = await enqueueMail(ctx.db, {
			to: 'pat@example.test',
			subject: 'Retry me',
			text: 'Hi',
			kind: 'spec.worker'
		});
		const worker = start({
			backoffMs: (attempts) => {
				waits.push(attempts);
				return 30;
			}
		});
		await waitUntil(async () => (await row(id)).status === 'sent', 5000, 'the mail to be sent');
		expect(smtp.refused).toBe(2);
		expect(smtp.messages.map((m) => m.outboxId)).toEqual([id]);
		expect(waits).toEqual([1, 2]);
		expect(worker.counts).toEqual({ sent: 1, retried: 2, failed: 0 });
		expect(await row(id)).toMatchObject({ attempts: 3, last_error: null });
	});

	it('schedules the next try after the backoff and not before', async () => {
		smtp.refuseNext(1, 451);
		const id = await enqueueMail(ctx.db, {
			to: 'a@example.test',
			subject: 'S',
			text: 'T',
			kind: 'k'
		});
		const now = Date.now();
		const [claimed] = await claimDueMail(ctx.db, {
			now: iso(now),
			lockedUntil: iso(now + 60_000),
			limit: 1
		});
		const transport = createSmtpTransport(smtp.url, FROM);
		const delivery = await deliverClaimedMail(ctx.db, transport, claimed!);
		transport.close();
		expect(delivery).toMatchObject({ status: 'retry', error: expect.stringMatching(/451/) });
		const after = await row(id);
		expect(after).toMatchObject({ status: 'pending', attempts: 1 });
		const wait = Date.parse(after.next_attempt_at) - now;
		// The first retry waits a minute (give or take the time the send took).
		expect(wait).toBeGreaterThanOrEqual(60_000);
		expect(wait).toBeLessThan(65_000);
		const early = await claimDueMail(ctx.db, {
			now: iso(now + 59_000),
			lockedUntil: iso(now + 120_000),
			limit: 1
		});
		expect(early).toEqual([]);
	});

	it('gives up after the maximum number of tries and keeps the reason', async () => {
		smtp.refuseNext(3, 451);
		const id = await enqueueMail(ctx.db, {
			to: 'lost@example.test',
			subject: 'Never',
			text: 'Hi',
			kind: 'spec.worker'
		});
		const worker = start({ maxAttempts: 3 });
		await waitUntil(async () => (await row(id)).status === 'failed', 5000, 'the mail to fail');
		expect(await row(id)).toMatchObject({
			attempts: 3,
			locked_until: null,
			last_error: expect.stringMatching(/451 Try again later/)
		});
		expect(smtp.refused).toBe(3);
		expect(smtp.messages).toEqual([]);
		expect(worker.counts).toEqual({ sent: 0, retried: 2, failed: 1 });
	});

	it('gives up at once when the server refuses the recipient for good (550)', async () => {
		smtp.refuseRecipient('nobody@example.test');
		const id = await enqueueMail(ctx.db, {
			to: 'nobody@example.test',
			subject: 'Bounce',
			text: 'Hi',
			kind: 'spec.worker'
		});
		start();
		await waitUntil(async () => (await row(id)).status === 'failed', 5000, 'the mail to fail');
		expect(await row(id)).toMatchObject({ attempts: 1, last_error: expect.stringMatching(/550/) });
	});

	it('keeps running when the SMTP server cannot be reached at all', async () => {
		const id = await enqueueMail(ctx.db, {
			to: 'a@example.test',
			subject: 'S',
			text: 'T',
			kind: 'k'
		});
		const worker = start({ transport: createSmtpTransport('smtp://127.0.0.1:1', FROM) });
		// The count, not the row's attempts: a row counts its attempt when claimed, before the try.
		await waitUntil(() => worker.counts.retried >= 2, 5000, 'two tries');
		expect(await row(id)).toMatchObject({
			status: expect.stringMatching(/^(pending|sending)$/),
			last_error: expect.stringMatching(/ECONNREFUSED/)
		});
		expect((await row(id)).attempts).toBeGreaterThanOrEqual(2);
	});

	it('retries a mail whose sender crashed once the claim expires', async () => {
		const id = await enqueueMail(ctx.db, {
			to: 'c@example.test',
			subject: 'S',
			text: 'T',
			kind: 'k'
		});
		const now = Date.now();
		// Another instance claimed it for 300 ms and died before sending.
		await claimDueMail(ctx.db, { now: iso(now), lockedUntil: iso(now + 300), limit: 1 });
		start();
		await waitUntil(async () => (await row(id)).status === 'sent', 5000, 'the mail to be sent');
		expect(Date.now() - now).toBeGreaterThanOrEqual(300);
		expect(await row(id)).toMatchObject({ attempts: 2 });
		expect(smtp.messages.map((m) => m.outboxId)).toEqual([id]);
	});

	it('wakes at once when told a mail was enqueued, without waiting for the next poll', async () => {
		start({ pollMs: 60_000 });
		await new Promise((resolve) => setTimeout(resolve, 100));
		const id = await enqueueMail(ctx.db, {
			to: 'w@example.test',
			subject: 'S',
			text: 'T',
			kind: 'k'
		});
		const enqueued = Date.now();
		wakeMailWorker();
		await waitUntil(async () => (await row(id)).status === 'sent', 3000, 'the mail to be sent');
		expect(Date.now() - enqueued).toBeLessThan(3000);
	});

	it('stops cleanly and sends nothing after stopping', async () => {
		const worker = start();
		await worker.stop();
		const id = await enqueueMail(ctx.db, {
			to: 's@example.test',
			subject: 'S',
			text: 'T',
			kind: 'k'
		});
		wakeMailWorker();
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect((await row(id)).status).toBe('pending');
		expect(smtp.messages).toEqual([]);
	});

	it('without SMTP, writes each mail as an .eml file and logs its subject and links', async () => {
		const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'colab-outbox-'));
		const lines: string[] = [];
		const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
		try {
			const id = await enqueueMail(ctx.db, {
				to: 'laptop@example.test',
				subject: 'Sign in to CoLab',
				text: 'Use this link:\nhttps://colab.example.test/sign-in/abc123\n',
				html: '<p><a href="https://colab.example.test/sign-in/abc123">Sign in</a></p>',
				kind: 'spec.worker'
			});
			start({ transport: createFileTransport(directory, FROM, log) });
			await waitUntil(
				async () => (await row(id)).status === 'sent',
				5000,
				'the mail to be written'
			);
			const files = fs.readdirSync(directory);
			expect(files).toHaveLength(1);
			expect(files[0]).toMatch(new RegExp(`${id}\\.eml$`));
			const parsed = await simpleParser(fs.readFileSync(path.join(directory, files[0]!)));
			expect(parsed.subject).toBe('Sign in to CoLab');
			expect(parsed.text).toContain('https://colab.example.test/sign-in/abc123');
			expect(parsed.html).toContain('href="https://colab.example.test/sign-in/abc123"');
			const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
			expect(logged).toContainEqual(
				expect.objectContaining({
					subject: 'Sign in to CoLab',
					links: ['https://colab.example.test/sign-in/abc123'],
					msg: expect.stringContaining('https://colab.example.test/sign-in/abc123')
				})
			);
		} finally {
			fs.rmSync(directory, { recursive: true, force: true });
		}
	});

	it('sends each mail exactly once when two app instances drain one outbox', async () => {
		const COUNT = 200;
		// Two instances = two connections to one database. SQLite needs a file for that.
		const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'colab-once-'));
		const open = (): Database =>
			ctx.dialect === 'postgres'
				? openDatabase({ databaseUrl: ctx.database.connectionString, poolSize: 4 })
				: openDatabase({ sqlitePath: path.join(directory, 'colab.sqlite') });
		const first = open();
		const second = open();
		try {
			await migrateToLatest(first.db);
			const ids = new Set<string>();
			await first.db.transaction().execute(async (trx) => {
				for (let i = 0; i < COUNT; i++)
					ids.add(
						await enqueueMail(trx, {
							to: `member${i}@example.test`,
							subject: `Mail ${i}`,
							text: `Number ${i}`,
							kind: 'spec.exactly-once'
						})
					);
			});
			const started = Date.now();
			const instances = [first, second].map((database) =>
				startMailWorker(database.db, {
					transport: createSmtpTransport(smtp.url, FROM),
					pollMs: 25,
					batchSize: 5
				})
			);
			workers.push(...instances);
			await waitUntil(() => smtp.messages.length >= COUNT, 60_000, `${COUNT} mails`);
			const elapsed = Date.now() - started;
			// Give a duplicate, if there were one, time to arrive.
			await new Promise((resolve) => setTimeout(resolve, 300));
			await Promise.all(instances.map((w) => w.stop()));

			const received = smtp.messages.map((m) => m.outboxId);
			const duplicates = received.length - new Set(received).size;
			expect({ received: received.length, duplicates }).toEqual({ received: COUNT, duplicates: 0 });
			expect(new Set(received)).toEqual(ids);
			// Both instances took part.
			expect(instances.map((w) => w.counts.sent > 0)).toEqual([true, true]);
			expect(instances[0]!.counts.sent + instances[1]!.counts.sent).toBe(COUNT);
			const rows = await first.db
				.selectFrom('mail_outbox')
				.select(['status', 'attempts', (eb) => eb.fn.countAll<number>().as('n')])
				.where('kind', '=', 'spec.exactly-once')
				.groupBy(['status', 'attempts'])
				.execute();
			expect(rows).toEqual([{ status: 'sent', attempts: 1, n: COUNT }]);
			if (process.env.MAIL_SPEC_REPORT)
				console.info(
					`[${ctx.dialect}] ${COUNT} mails, 2 workers, duplicates ${duplicates}, ` +
						`split ${instances.map((w) => w.counts.sent).join('/')}, ${elapsed} ms`
				);
		} finally {
			await Promise.all(workers.splice(0).map((w) => w.stop()));
			await first.db.deleteFrom('mail_outbox').execute();
			await Promise.all([first.close(), second.close()]);
			fs.rmSync(directory, { recursive: true, force: true });
		}
	}, 90_000);
});
