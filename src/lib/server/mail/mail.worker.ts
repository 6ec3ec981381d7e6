import os from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { logger as rootLogger, type Logger } from '../logger';
import type { OutboxMail } from './mail.tables';
import {
	claimDueMail,
	deleteOldMail,
	markMailFailed,
	markMailSent,
	releaseMailClaims,
	renewMailClaims,
	scheduleMailRetry
} from './mail.repository';
import type { MailTransport, SendResult } from './transport';
import { measureWorkerRun, recordMailDelivery } from '../metrics/record';

/** How many times a mail is tried before it is marked failed for an admin to look at. */
export const MAX_MAIL_ATTEMPTS = 8;

/** The wait after the 1st, 2nd, … failed try; the last one repeats. About 45 hours in all. */
export const MAIL_BACKOFF_MS = [
	60_000, // 1 min
	5 * 60_000, // 5 min
	30 * 60_000, // 30 min
	2 * 3_600_000, // 2 h
	6 * 3_600_000, // 6 h
	12 * 3_600_000, // 12 h
	24 * 3_600_000 // 24 h
];

/** The wait before the next try of a mail that has failed `attempts` times. */
export function mailBackoffMs(attempts: number): number {
	const index = Math.min(Math.max(attempts, 1), MAIL_BACKOFF_MS.length) - 1;
	return MAIL_BACKOFF_MS[index] ?? MAIL_BACKOFF_MS[0]!;
}

export interface DeliveryPolicy {
	maxAttempts?: number;
	backoffMs?: (attempts: number) => number;
	log?: Logger;
}

export type Delivery =
	| ({ status: 'sent' } & SendResult)
	| { status: 'retry'; error: string; nextAttemptAt: string }
	| { status: 'failed'; error: string };

interface SendError {
	message?: string;
	code?: string;
	command?: string;
	responseCode?: number;
}

/** A short, readable reason for admins (no secrets: nodemailer errors hold none). */
export function describeSendError(error: unknown): string {
	const e = (typeof error === 'object' && error !== null ? error : {}) as SendError;
	const message = e.message ?? String(error);
	const prefix = e.code && !message.includes(e.code) ? `${e.code}: ` : '';
	return `${prefix}${message}`.slice(0, 1000);
}

/** The receiving server said the address does not exist (5xx to RCPT TO): trying again is pointless. */
function recipientRefused(error: unknown): boolean {
	const e = (typeof error === 'object' && error !== null ? error : {}) as SendError;
	return (
		e.code === 'EENVELOPE' &&
		e.command === 'RCPT TO' &&
		typeof e.responseCode === 'number' &&
		e.responseCode >= 500
	);
}

/**
 * Sends one claimed row and records the outcome: sent; pending again after a backoff; or
 * failed after the last try (or at once when the recipient is refused for good). Never throws
 * for a sending error; a database error while recording is left to the caller (the claim then
 * expires and the row is tried again).
 */
export async function deliverClaimedMail(
	db: Kysely<DB>,
	transport: MailTransport,
	mail: OutboxMail,
	policy: DeliveryPolicy = {}
): Promise<Delivery> {
	const log = policy.log ?? rootLogger;
	const maxAttempts = policy.maxAttempts ?? MAX_MAIL_ATTEMPTS;
	let result: SendResult;
	try {
		result = await transport.send(mail);
	} catch (sendError) {
		const error = describeSendError(sendError);
		const context = { mailId: mail.id, kind: mail.kind, attempts: mail.attempts, error };
		if (mail.attempts >= maxAttempts || recipientRefused(sendError)) {
			await markMailFailed(db, mail.id, error, mail.claimed_by);
			log.error(context, 'mail failed; giving up');
			return { status: 'failed', error };
		}
		const delay = (policy.backoffMs ?? mailBackoffMs)(mail.attempts);
		const nextAttemptAt = new Date(Date.now() + delay).toISOString();
		await scheduleMailRetry(db, mail.id, { error, nextAttemptAt }, mail.claimed_by);
		log.warn({ ...context, nextAttemptAt }, 'mail not sent; will retry');
		return { status: 'retry', error, nextAttemptAt };
	}
	// At once, mail by mail: between the server's "accepted" and this line, a crash means the
	// mail is sent again later (at least once); keep that window as short as it can be.
	await markMailSent(db, mail.id, {
		sentAt: new Date().toISOString(),
		messageId: result.messageId || null
	});
	log.debug({ mailId: mail.id, kind: mail.kind, ...result }, 'mail sent');
	return { status: 'sent', ...result };
}

export interface MailWorkerOptions extends DeliveryPolicy {
	transport: MailTransport;
	/** How often to look for due mail when nobody wakes the worker (ms). */
	pollMs?: number;
	/** Rows claimed at a time. */
	batchSize?: number;
	/**
	 * How long a claim holds without renewal (ms, default MAIL_CLAIM_MS). The worker renews its
	 * claims while it works, so this is how soon another sender takes over the rows of one
	 * that crashed, not how long a batch may take.
	 */
	lockMs?: number;
	/** How often the worker renews its claims while it works (ms, default a third of lockMs). */
	renewMs?: number;
	/** This worker's name on the rows it claims (default: host, process id and a random part). */
	workerId?: string;
	/** Close the transport when the worker stops (default true). */
	closeTransport?: boolean;
	/** Days to keep sent mail, and failed mail, before deleting it (default 30 and 90). */
	keepDays?: { sent: number; failed: number };
}

/**
 * How long a mail worker's claim on outbox rows holds unless renewed. A worker renews it every
 * third of this while it is sending, however slow the mail server, so only a sender that died
 * or froze loses its rows; then another instance, or this one restarted, sends them within
 * about a minute.
 */
export const MAIL_CLAIM_MS = 60_000;

/** A name for one run of one worker: a restarted process is a new sender with a new name. */
function newWorkerId(): string {
	return `${os.hostname().slice(0, 60)}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

/** How often a worker deletes old mail. */
const PRUNE_EVERY_MS = 60 * 60_000;
const DAY_MS = 24 * 60 * 60_000;

export interface MailWorker {
	/** Look for due mail now instead of at the next poll. */
	wake(): void;
	/** Finishes the mail being sent, hands back the rest of the batch, then resolves. */
	stop(): Promise<void>;
	/** What this worker has done since it started. */
	readonly counts: { sent: number; retried: number; failed: number };
	/** The name this worker writes into `claimed_by` on the rows it claims. */
	readonly id: string;
}

const REGISTRY = Symbol.for('colab.mailWorkers');
function runningWorkers(): Set<MailWorker> {
	const holder = globalThis as { [REGISTRY]?: Set<MailWorker> };
	return (holder[REGISTRY] ??= new Set());
}

/**
 * Wakes this process's mail workers. Call it after committing a transaction that enqueued mail,
 * so the mail goes out at once rather than at the next poll.
 */
export function wakeMailWorker(): void {
	for (const worker of runningWorkers()) worker.wake();
}

/**
 * Starts a loop that claims due outbox rows and sends them. Safe to run in every app instance:
 * the claim gives each row to one sender. Sending errors are recorded on the row and never
 * reach the process; database errors are logged and the loop carries on.
 *
 * Crashes: a claim lasts `lockMs` (a minute) and the worker renews it every `renewMs` while it
 * works through a batch, however slow the mail server, and again just before each send. A
 * worker that dies stops renewing, so its rows are due again within a minute for any instance,
 * this one restarted included (it has a new id, so it waits for the claim to run out like the
 * others). A mail the server accepted just before the crash, but not yet marked sent, goes out
 * twice: at-least-once in that one window, which is why each mail is marked sent at once.
 */
export function startMailWorker(db: Kysely<DB>, options: MailWorkerOptions): MailWorker {
	const log = (options.log ?? rootLogger).child({ component: 'mail-worker' });
	const pollMs = options.pollMs ?? 1000;
	const batchSize = options.batchSize ?? 10;
	const lockMs = options.lockMs ?? MAIL_CLAIM_MS;
	const renewMs = options.renewMs ?? Math.max(Math.floor(lockMs / 3), 1);
	const workerId = options.workerId ?? newWorkerId();
	const policy: DeliveryPolicy = { ...options, log };
	const counts = { sent: 0, retried: 0, failed: 0 };

	const keepDays = options.keepDays ?? { sent: 30, failed: 90 };
	let prunedAt = 0;

	/** At most once an hour: old mail holds personal data and live-looking links. */
	async function pruneIfDue(now: number): Promise<void> {
		if (now - prunedAt < PRUNE_EVERY_MS) return;
		prunedAt = now;
		const deleted = await deleteOldMail(db, {
			sentBefore: new Date(now - keepDays.sent * DAY_MS).toISOString(),
			failedBefore: new Date(now - keepDays.failed * DAY_MS).toISOString()
		});
		if (deleted) log.info({ deleted }, 'deleted old mail');
	}

	let stopped = false;
	let wakeRequested = false;
	let interruptSleep: (() => void) | undefined;

	const claimEnd = () => new Date(Date.now() + lockMs).toISOString();

	/** Keeps this worker's claims alive while it sends, on a timer beside the sends. */
	function keepClaimsAlive(): () => void {
		let renewing = false;
		const timer = setInterval(() => {
			if (renewing) return;
			renewing = true;
			renewMailClaims(db, workerId, claimEnd())
				.catch((error: unknown) => log.warn({ err: error }, 'could not renew mail claims'))
				.finally(() => (renewing = false));
		}, renewMs);
		timer.unref();
		return () => clearInterval(timer);
	}

	async function pass(): Promise<number> {
		const now = Date.now();
		await pruneIfDue(now);
		const rows = await claimDueMail(db, {
			now: new Date(now).toISOString(),
			lockedUntil: new Date(now + lockMs).toISOString(),
			limit: batchSize,
			claimedBy: workerId
		});
		if (rows.length === 0) return 0;
		const stopRenewing = keepClaimsAlive();
		try {
			for (const [index, mail] of rows.entries()) {
				if (stopped) {
					await releaseMailClaims(
						db,
						rows.slice(index).map((r) => r.id),
						workerId
					);
					break;
				}
				// A worker that was paused longer than its claim (a frozen process, a database it
				// could not reach) may have lost the row to another sender: never send it then.
				if ((await renewMailClaims(db, workerId, claimEnd(), [mail.id])) === 0) {
					log.warn({ mailId: mail.id }, 'mail claim lost to another sender; skipping it');
					continue;
				}
				const delivery = await deliverClaimedMail(db, options.transport, mail, policy);
				recordMailDelivery(delivery.status);
				if (delivery.status === 'sent') counts.sent++;
				else if (delivery.status === 'retry') counts.retried++;
				else counts.failed++;
			}
		} finally {
			stopRenewing();
		}
		return rows.length;
	}

	async function loop(): Promise<void> {
		while (!stopped) {
			wakeRequested = false;
			let claimed = 0;
			try {
				claimed = await measureWorkerRun('mail worker', pass);
			} catch (error) {
				log.error({ err: error }, 'mail worker pass failed; trying again shortly');
			}
			if (stopped) break;
			// A full batch means more may be waiting; a wake during the pass may mean new mail.
			if (claimed >= batchSize || wakeRequested) continue;
			await new Promise<void>((resolve) => {
				const timer = setTimeout(resolve, pollMs);
				timer.unref();
				interruptSleep = () => {
					clearTimeout(timer);
					resolve();
				};
			});
			interruptSleep = undefined;
		}
	}

	const worker: MailWorker = {
		wake() {
			wakeRequested = true;
			interruptSleep?.();
		},
		async stop() {
			if (stopped) return running;
			stopped = true;
			interruptSleep?.();
			runningWorkers().delete(worker);
			await running;
			if (options.closeTransport ?? true) options.transport.close();
		},
		counts,
		id: workerId
	};
	runningWorkers().add(worker);
	log.info(
		{ transport: options.transport.describe, workerId, claimMs: lockMs },
		'mail worker started'
	);
	const running = loop();
	return worker;
}
