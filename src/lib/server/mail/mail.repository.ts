import type { Kysely, Transaction } from 'kysely';
import { isPostgres } from '../db/database';
import type { DB } from '../db/schema';
import type { OutboxMail, OutboxStatus } from './mail.tables';

type Db = Kysely<DB> | Transaction<DB>;

export interface ClaimOptions {
	/** The current time (ISO-8601 UTC). */
	now: string;
	/** How long the claim holds; a sender that crashes loses it after this (ISO-8601 UTC). */
	lockedUntil: string;
	/** At most this many rows. */
	limit: number;
	/** Claim only this row (still only when it is due or its claim expired). */
	id?: string;
}

/**
 * Claims due outbox rows for one sender: pending rows whose time has come, and rows left in
 * `sending` by a sender whose claim expired (it crashed or was killed). Each claimed row is
 * `sending` with `locked_until` set and its attempt counted, so no other sender takes it.
 *
 * PostgreSQL: `SELECT … FOR UPDATE SKIP LOCKED` and the UPDATE in one transaction, so several
 * app instances draining one outbox never claim the same row. SQLite: one conditional UPDATE,
 * which SQLite runs as a single write (also safe for several processes on one file).
 */
export async function claimDueMail(db: Db, options: ClaimOptions): Promise<OutboxMail[]> {
	const due = (qb: Kysely<DB> | Transaction<DB>) => {
		let query = qb
			.selectFrom('mail_outbox')
			.select('id')
			.where((eb) =>
				eb.or([
					eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', options.now)]),
					eb.and([eb('status', '=', 'sending'), eb('locked_until', '<=', options.now)])
				])
			);
		if (options.id !== undefined) query = query.where('id', '=', options.id);
		return query.orderBy('next_attempt_at').orderBy('id').limit(options.limit);
	};
	const claim = (qb: Kysely<DB> | Transaction<DB>, ids: string[] | ReturnType<typeof due>) =>
		qb
			.updateTable('mail_outbox')
			.set((eb) => ({
				status: 'sending',
				locked_until: options.lockedUntil,
				attempts: eb('attempts', '+', 1)
			}))
			.where('id', 'in', ids)
			.returningAll()
			.execute()
			.then(sortByDue);

	if (!isPostgres(db)) {
		// Most polls find nothing: look first with a plain read, which takes no write lock.
		if ((await due(db).execute()).length === 0) return [];
		return claim(db, due(db));
	}

	const run = async (trx: Transaction<DB>) => {
		const rows = await due(trx).forUpdate().skipLocked().execute();
		if (rows.length === 0) return [];
		return claim(
			trx,
			rows.map((r) => r.id)
		);
	};
	return db.isTransaction ? run(db as Transaction<DB>) : db.transaction().execute(run);
}

function sortByDue(rows: OutboxMail[]): OutboxMail[] {
	return rows.sort(
		(a, b) =>
			a.next_attempt_at.localeCompare(b.next_attempt_at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
	);
}

/** Records that a claimed mail went out. */
export async function markMailSent(db: Db, id: string, sentAt: string): Promise<void> {
	await db
		.updateTable('mail_outbox')
		.set({ status: 'sent', sent_at: sentAt, locked_until: null, last_error: null })
		.where('id', '=', id)
		.execute();
}

/**
 * Puts a claimed mail back to wait for another try. Only while it is still `sending`, so a slow
 * sender never undoes a later sender's success.
 */
export async function scheduleMailRetry(
	db: Db,
	id: string,
	retry: { error: string; nextAttemptAt: string }
): Promise<void> {
	await db
		.updateTable('mail_outbox')
		.set({
			status: 'pending',
			next_attempt_at: retry.nextAttemptAt,
			locked_until: null,
			last_error: retry.error
		})
		.where('id', '=', id)
		.where('status', '=', 'sending')
		.execute();
}

/** Gives up on a claimed mail: it stays `failed` until an admin retries it. */
export async function markMailFailed(db: Db, id: string, error: string): Promise<void> {
	await db
		.updateTable('mail_outbox')
		.set({ status: 'failed', locked_until: null, last_error: error })
		.where('id', '=', id)
		.where('status', '=', 'sending')
		.execute();
}

/**
 * Hands claimed rows back untried (the worker is stopping): pending again, the attempt not
 * counted, due at once for whichever sender comes next.
 */
export async function releaseMailClaims(db: Db, ids: string[]): Promise<void> {
	if (ids.length === 0) return;
	await db
		.updateTable('mail_outbox')
		.set((eb) => ({ status: 'pending', locked_until: null, attempts: eb('attempts', '-', 1) }))
		.where('id', 'in', ids)
		.where('status', '=', 'sending')
		.execute();
}

export type MailProblem = Pick<
	OutboxMail,
	| 'id'
	| 'to_address'
	| 'subject'
	| 'kind'
	| 'user_id'
	| 'status'
	| 'attempts'
	| 'last_error'
	| 'next_attempt_at'
	| 'created_at'
>;

/** Failed mail and mail waiting to be retried (it failed at least once), newest first. */
export async function findMailProblems(
	db: Db,
	page: { limit: number; offset: number }
): Promise<{ rows: MailProblem[]; total: number }> {
	const problems = db
		.selectFrom('mail_outbox')
		.where((eb) =>
			eb.or([
				eb('status', '=', 'failed'),
				eb.and([eb('status', 'in', ['pending', 'sending']), eb('last_error', 'is not', null)])
			])
		);
	const [rows, count] = await Promise.all([
		problems
			.select([
				'id',
				'to_address',
				'subject',
				'kind',
				'user_id',
				'status',
				'attempts',
				'last_error',
				'next_attempt_at',
				'created_at'
			])
			.orderBy('created_at', 'desc')
			.orderBy('id', 'desc')
			.limit(page.limit)
			.offset(page.offset)
			.execute(),
		problems.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
	]);
	return { rows, total: Number(count.n) };
}

export async function findMailStatus(
	db: Db,
	id: string
): Promise<{ status: OutboxStatus; last_error: string | null } | undefined> {
	return db
		.selectFrom('mail_outbox')
		.select(['status', 'last_error'])
		.where('id', '=', id)
		.executeTakeFirst();
}

/**
 * Makes a failed (or waiting) mail due now with a fresh set of tries. Returns whether a row
 * changed: a mail already sent, or being sent right now, is left alone.
 */
export async function requeueMail(db: Db, id: string, now: string): Promise<boolean> {
	const result = await db
		.updateTable('mail_outbox')
		.set({ status: 'pending', attempts: 0, next_attempt_at: now, locked_until: null })
		.where('id', '=', id)
		.where('status', 'in', ['failed', 'pending'])
		.executeTakeFirst();
	return Number(result.numUpdatedRows) > 0;
}

/**
 * Forgets old mail: sent mail after `sentBefore`, failed mail after `failedBefore` (kept longer
 * so administrators can look into it). Mail bodies hold names and links, so they are not kept
 * for ever. Returns how many rows went.
 */
export async function deleteOldMail(
	db: Db,
	options: { sentBefore: string; failedBefore: string }
): Promise<number> {
	const result = await db
		.deleteFrom('mail_outbox')
		.where((eb) =>
			eb.or([
				eb.and([eb('status', '=', 'sent'), eb('sent_at', '<', options.sentBefore)]),
				eb.and([eb('status', '=', 'failed'), eb('created_at', '<', options.failedBefore)])
			])
		)
		.executeTakeFirst();
	return Number(result.numDeletedRows);
}
