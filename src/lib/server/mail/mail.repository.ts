import type { ExpressionBuilder, Kysely, Transaction } from 'kysely';
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
	/** The sender taking the rows (a mail worker's id); recorded in `claimed_by`. */
	claimedBy?: string | null;
}

/**
 * Only rows a given sender still holds: `sending` and claimed by it. Once another sender has
 * taken a row over (this one's claim expired), `claimed_by` names the other one, so a slow
 * sender can no longer renew, finish or hand back that row.
 */
function heldBy(holder: string | null) {
	return (eb: ExpressionBuilder<DB, 'mail_outbox'>) =>
		eb.and([
			eb('status', '=', 'sending'),
			holder === null ? eb('claimed_by', 'is', null) : eb('claimed_by', '=', holder)
		]);
}

/**
 * Claims due outbox rows for one sender: pending rows whose time has come, and rows left in
 * `sending` by a sender whose claim expired (it crashed or was killed). Each claimed row is
 * `sending` with `locked_until` and `claimed_by` set and its attempt counted, so no other
 * sender takes it while the claim holds.
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
				claimed_by: options.claimedBy ?? null,
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

/**
 * Extends a sender's claims to `lockedUntil`: every row it still holds, or only `ids`. A live
 * sender calls this while it works through a batch (a slow mail server can take longer than
 * one claim), and just before each send, so it never starts sending a row it has lost.
 * Returns how many rows it still holds.
 */
export async function renewMailClaims(
	db: Db,
	holder: string,
	lockedUntil: string,
	ids?: string[]
): Promise<number> {
	if (ids?.length === 0) return 0;
	let query = db
		.updateTable('mail_outbox')
		.set({ locked_until: lockedUntil })
		.where(heldBy(holder));
	if (ids) query = query.where('id', 'in', ids);
	const result = await query.executeTakeFirst();
	return Number(result.numUpdatedRows);
}

/**
 * Records that a claimed mail went out, whoever holds the row now: it was sent, and saying so
 * stops any other sender from sending it again. What was sent is not kept: the text, HTML and
 * attachments go (they hold other people's names and words, and links that work), and the
 * subject becomes the kept subject when the mail has one.
 */
export async function markMailSent(
	db: Db,
	id: string,
	sent: { sentAt: string; messageId: string | null }
): Promise<void> {
	await db
		.updateTable('mail_outbox')
		.set((eb) => ({
			status: 'sent',
			sent_at: sent.sentAt,
			message_id: sent.messageId,
			subject: eb.fn.coalesce('kept_subject', 'subject'),
			kept_subject: null,
			text_body: '',
			html_body: null,
			attachments: null,
			// Headers can hold working links too (List-Unsubscribe).
			headers: null,
			locked_until: null,
			claimed_by: null,
			last_error: null
		}))
		.where('id', '=', id)
		.execute();
}

/**
 * Puts a claimed mail back to wait for another try. Only while `holder` (the `claimed_by` it
 * was claimed with) still holds it, so a slow sender never undoes a later sender's success
 * nor takes the row from a sender that has it now.
 */
export async function scheduleMailRetry(
	db: Db,
	id: string,
	retry: { error: string; nextAttemptAt: string },
	holder: string | null = null
): Promise<void> {
	await db
		.updateTable('mail_outbox')
		.set({
			status: 'pending',
			next_attempt_at: retry.nextAttemptAt,
			locked_until: null,
			claimed_by: null,
			last_error: retry.error
		})
		.where('id', '=', id)
		.where(heldBy(holder))
		.execute();
}

/**
 * Gives up on a claimed mail: it stays `failed` until an admin retries it. Only while `holder`
 * still holds it.
 */
export async function markMailFailed(
	db: Db,
	id: string,
	error: string,
	holder: string | null = null
): Promise<void> {
	await db
		.updateTable('mail_outbox')
		.set({ status: 'failed', locked_until: null, claimed_by: null, last_error: error })
		.where('id', '=', id)
		.where(heldBy(holder))
		.execute();
}

/**
 * Hands claimed rows back untried (the worker is stopping): pending again, the attempt not
 * counted, due at once for whichever sender comes next. Only rows `holder` still holds.
 */
export async function releaseMailClaims(
	db: Db,
	ids: string[],
	holder: string | null = null
): Promise<void> {
	if (ids.length === 0) return;
	await db
		.updateTable('mail_outbox')
		.set((eb) => ({
			status: 'pending',
			locked_until: null,
			claimed_by: null,
			attempts: eb('attempts', '-', 1)
		}))
		.where('id', 'in', ids)
		.where(heldBy(holder))
		.execute();
}

export type OutboxCounts = Record<OutboxStatus, number> & {
	/** `sending` rows whose claim ran out: their sender stopped; the next poll takes them. */
	abandoned: number;
};

/**
 * How many outbox rows are in each state, and how many claims a stopped sender left behind
 * (`now` decides which claims have run out). For the admin page and for monitoring.
 */
export async function countOutboxByStatus(db: Db, now: string): Promise<OutboxCounts> {
	const rows = await db
		.selectFrom('mail_outbox')
		.select((eb) => [
			'status',
			eb.fn.countAll<number>().as('n'),
			eb.fn
				.sum<number | string | null>(
					eb.case().when('locked_until', '<=', now).then(1).else(0).end()
				)
				.as('expired')
		])
		.groupBy('status')
		.execute();
	const counts: OutboxCounts = { pending: 0, sending: 0, sent: 0, failed: 0, abandoned: 0 };
	for (const row of rows) {
		if (!(row.status in counts)) continue;
		counts[row.status] = Number(row.n);
		if (row.status === 'sending') counts.abandoned = Number(row.expired ?? 0);
	}
	return counts;
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
		.set({
			status: 'pending',
			attempts: 0,
			next_attempt_at: now,
			locked_until: null,
			claimed_by: null
		})
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
