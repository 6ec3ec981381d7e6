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
			await markMailFailed(db, mail.id, error);
			log.error(context, 'mail failed; giving up');
			return { status: 'failed', error };
		}
		const delay = (policy.backoffMs ?? mailBackoffMs)(mail.attempts);
		const nextAttemptAt = new Date(Date.now() + delay).toISOString();
		await scheduleMailRetry(db, mail.id, { error, nextAttemptAt });
		log.warn({ ...context, nextAttemptAt }, 'mail not sent; will retry');
		return { status: 'retry', error, nextAttemptAt };
	}
	await markMailSent(db, mail.id, new Date().toISOString());
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
	 * How long a claim holds (ms). Longer than a batch can take to send (see the transport's
	 * timeouts); after it, another sender may take the row, as when this one crashed.
	 */
	lockMs?: number;
	/** Close the transport when the worker stops (default true). */
	closeTransport?: boolean;
	/** Days to keep sent mail, and failed mail, before deleting it (default 30 and 90). */
	keepDays?: { sent: number; failed: number };
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
 */
export function startMailWorker(db: Kysely<DB>, options: MailWorkerOptions): MailWorker {
	const log = (options.log ?? rootLogger).child({ component: 'mail-worker' });
	const pollMs = options.pollMs ?? 1000;
	const batchSize = options.batchSize ?? 10;
	const lockMs = options.lockMs ?? 15 * 60_000;
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

	async function pass(): Promise<number> {
		const now = Date.now();
		await pruneIfDue(now);
		const rows = await claimDueMail(db, {
			now: new Date(now).toISOString(),
			lockedUntil: new Date(now + lockMs).toISOString(),
			limit: batchSize
		});
		for (const [index, mail] of rows.entries()) {
			if (stopped) {
				await releaseMailClaims(
					db,
					rows.slice(index).map((r) => r.id)
				);
				break;
			}
			const delivery = await deliverClaimedMail(db, options.transport, mail, policy);
			recordMailDelivery(delivery.status);
			if (delivery.status === 'sent') counts.sent++;
			else if (delivery.status === 'retry') counts.retried++;
			else counts.failed++;
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
		counts
	};
	runningWorkers().add(worker);
	log.info({ transport: options.transport.describe }, 'mail worker started');
	const running = loop();
	return worker;
}
