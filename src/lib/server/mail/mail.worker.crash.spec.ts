import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { openDatabase, type Database } from '../db/database';
import { migrateToLatest } from '../db/migrate';
import { describeEachDatabase } from '../testing/databases';
import { enqueueMail } from './outbox';
import type { OutboxStatus } from './mail.tables';
import { MAIL_CLAIM_MS, startMailWorker, type MailWorker } from './mail.worker';
import { createSmtpTransport } from './transport';
import { TestSmtpServer, waitUntil } from './smtp-test-server';

const FROM = 'CoLab Spec <colab@example.test>';
/** The claim time for the spec: short, so a dead sender's rows come back in seconds. */
const CLAIM_MS = 1500;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts the real mail worker in a child process (mail.worker.child.ts) and waits for it. */
async function startChildWorker(env: Record<string, string>): Promise<ChildProcess> {
	const child = spawn(
		process.execPath,
		// tsx as a loader, not its CLI (which runs the script in a grandchild): the pid killed
		// is the worker's own.
		['--import', 'tsx', 'src/lib/server/mail/mail.worker.child.ts'],
		{ env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] }
	);
	let stderr = '';
	child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	await new Promise<void>((resolve, reject) => {
		child.stdout!.once('data', () => resolve());
		child.once('exit', (code) => reject(new Error(`child worker exited (${code}): ${stderr}`)));
	});
	return child;
}

describeEachDatabase('mail worker killed mid-batch', (ctx) => {
	const smtp = new TestSmtpServer();
	const workers: MailWorker[] = [];
	let child: ChildProcess | undefined;
	let directory = '';
	let shared: Database | undefined;

	beforeAll(async () => {
		await smtp.start();
		directory = fs.mkdtempSync(path.join(os.tmpdir(), 'colab-mail-crash-'));
	});
	afterAll(async () => {
		smtp.resume();
		await smtp.stop();
		fs.rmSync(directory, { recursive: true, force: true });
	});
	afterEach(async () => {
		child?.kill('SIGKILL');
		child = undefined;
		smtp.reset();
		await Promise.all(workers.splice(0).map((w) => w.stop()));
		await shared?.db.deleteFrom('mail_outbox').execute();
		await shared?.close();
		shared = undefined;
	});

	/** One database two processes can open: the spec's PostgreSQL one, or a SQLite file. */
	async function openShared(): Promise<{ database: Database; target: string }> {
		if (ctx.dialect === 'postgres') {
			const target = ctx.database.connectionString!;
			return { database: openDatabase({ databaseUrl: target, poolSize: 4 }), target };
		}
		const target = path.join(directory, `colab-${Date.now()}.sqlite`);
		const database = openDatabase({ sqlitePath: target });
		await migrateToLatest(database.db);
		return { database, target };
	}

	it('sends the dead sender’s mail within the claim time, each mail exactly once', async () => {
		const COUNT = 8;
		const ACCEPTED = 3;
		const { database, target } = await openShared();
		shared = database;
		const db = database.db;
		const ids = await db.transaction().execute(async (trx) => {
			const made: string[] = [];
			for (let i = 0; i < COUNT; i++)
				made.push(
					await enqueueMail(trx, {
						to: `member${i}@example.test`,
						subject: `Crash ${i}`,
						text: `Number ${i}`,
						kind: 'spec.crash'
					})
				);
			return made;
		});
		const rowsBy = async (status: OutboxStatus) =>
			db
				.selectFrom('mail_outbox')
				.select(['id', 'status', 'attempts', 'locked_until'])
				.where('status', '=', status)
				.execute();

		// The server takes three mails, then hangs on the fourth: the sender is mid-batch.
		smtp.stallAfter(ACCEPTED);
		child = await startChildWorker({
			MAIL_CHILD_DATABASE: target,
			MAIL_CHILD_SMTP_URL: smtp.url,
			MAIL_CHILD_CLAIM_MS: String(CLAIM_MS),
			MAIL_CHILD_BATCH: String(COUNT)
		});
		await waitUntil(() => smtp.held === 1, 15_000, 'the child to be stuck on a send');
		expect(smtp.messages).toHaveLength(ACCEPTED);

		// Another instance runs all along. While the child is alive, however slow its server,
		// it keeps its claims: nobody else sends its rows.
		const rival = startMailWorker(db, {
			transport: createSmtpTransport(smtp.url, FROM),
			pollMs: 25,
			lockMs: CLAIM_MS
		});
		workers.push(rival);
		await sleep(CLAIM_MS * 2.5);
		expect(rival.counts).toEqual({ sent: 0, retried: 0, failed: 0 });
		expect(smtp.held).toBe(1);
		expect((await rowsBy('sending')).length).toBe(COUNT - ACCEPTED);

		// kill -9 in the middle of the fourth send.
		const exited = new Promise((resolve) => child!.once('exit', resolve));
		child.kill('SIGKILL');
		await exited;
		const killedAt = Date.now();
		const lastClaim = Math.max(
			...(await rowsBy('sending')).map((r) => Date.parse(r.locked_until!))
		);
		smtp.resume();

		await waitUntil(
			async () => (await rowsBy('sent')).length === COUNT,
			CLAIM_MS * 6,
			'every mail to be sent'
		);
		const recoveredMs = Date.now() - killedAt;
		// Give a duplicate, if there were one, time to arrive.
		await sleep(300);

		const received = smtp.messages.map((m) => m.outboxId);
		expect(received.length - new Set(received).size).toBe(0);
		expect(received.sort()).toEqual([...ids].sort());
		expect(smtp.messages.map((m) => m.subject).sort()).toEqual(
			Array.from({ length: COUNT }, (_, i) => `Crash ${i}`).sort()
		);
		expect(rival.counts.sent).toBe(COUNT - ACCEPTED);
		// The dead claim was honoured until it ran out, and not much longer.
		expect(Date.now()).toBeGreaterThan(lastClaim);
		expect(recoveredMs).toBeLessThan(CLAIM_MS + 2000);
		// The rows the child had claimed but not sent were tried a second time; the rest once.
		const attempts = await db.selectFrom('mail_outbox').select('attempts').execute();
		expect(attempts.map((r) => r.attempts).sort()).toEqual([
			...Array<number>(ACCEPTED).fill(1),
			...Array<number>(COUNT - ACCEPTED).fill(2)
		]);
		if (process.env.MAIL_SPEC_REPORT)
			console.info(
				`[${ctx.dialect}] killed mid-batch; the rest sent ${recoveredMs} ms later ` +
					`(claim ${CLAIM_MS} ms)`
			);
	}, 60_000);

	it('claims for about a minute by default, renewed while the sender works', async () => {
		const { database } = await openShared();
		shared = database;
		const db = database.db;
		await enqueueMail(db, { to: 'slow@example.test', subject: 'S', text: 'T', kind: 'k' });
		// A server that hangs: the worker holds the row while it waits.
		smtp.stallAfter(0);
		const before = Date.now();
		workers.push(
			startMailWorker(db, {
				transport: createSmtpTransport(smtp.url, FROM),
				pollMs: 25,
				renewMs: 100
			})
		);
		await waitUntil(() => smtp.held === 1, 10_000, 'the send to start');
		const first = await db
			.selectFrom('mail_outbox')
			.select('locked_until')
			.executeTakeFirstOrThrow();
		const claimMs = Date.parse(first.locked_until!) - before;
		expect(claimMs).toBeGreaterThan(55_000);
		expect(claimMs).toBeLessThan(65_000);
		// Renewed while the send hangs: the claim keeps moving forward.
		await sleep(400);
		const later = await db
			.selectFrom('mail_outbox')
			.select('locked_until')
			.executeTakeFirstOrThrow();
		expect(Date.parse(later.locked_until!)).toBeGreaterThan(Date.parse(first.locked_until!));
		expect(MAIL_CLAIM_MS).toBe(60_000);
	});
});
