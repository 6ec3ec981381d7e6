import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { nowIso } from '../ids';
import {
	countOutboxByStatus,
	findMailProblems,
	findMailStatus,
	requeueMail,
	type MailProblem,
	type OutboxCounts
} from './mail.repository';
import { wakeMailWorker } from './mail.worker';

export type { MailProblem, OutboxCounts };

/**
 * How many mails wait, are being sent, went out or failed, and how many a stopped instance
 * was sending (they go out again within about a minute). The caller checks permission.
 */
export async function countOutbox(db: Kysely<DB>): Promise<OutboxCounts> {
	return countOutboxByStatus(db, nowIso());
}

export interface MailProblemPage {
	items: MailProblem[];
	total: number;
	/** 1-based, clamped to the pages that exist. */
	page: number;
	perPage: number;
	pageCount: number;
}

/**
 * Mail that failed for good and mail waiting to be retried, newest first, for the admin pages.
 * The caller (the admin route) checks that the person may see them.
 */
export async function listMailProblems(
	db: Kysely<DB>,
	options: { page?: number; perPage?: number } = {}
): Promise<MailProblemPage> {
	const perPage = Math.min(Math.max(Math.trunc(options.perPage ?? 25) || 25, 1), 100);
	let page = Math.max(Math.trunc(options.page ?? 1) || 1, 1);
	let result = await findMailProblems(db, { limit: perPage, offset: (page - 1) * perPage });
	const pageCount = Math.max(Math.ceil(result.total / perPage), 1);
	if (page > pageCount) {
		// A page past the end (rows were retried meanwhile): show the last one instead.
		page = pageCount;
		result = await findMailProblems(db, { limit: perPage, offset: (page - 1) * perPage });
	}
	return { items: result.rows, total: result.total, page, perPage, pageCount };
}

export type RetryMailResult =
	{ ok: true } | { ok: false; reason: 'not-found' | 'already-sent' | 'being-sent' };

/**
 * Tries a failed (or waiting) mail again now, with a fresh set of tries. The caller (the admin
 * route) checks that the person may do this.
 */
export async function retryMail(db: Kysely<DB>, id: string): Promise<RetryMailResult> {
	if (await requeueMail(db, id, nowIso())) {
		wakeMailWorker();
		return { ok: true };
	}
	const row = await findMailStatus(db, id);
	if (!row) return { ok: false, reason: 'not-found' };
	return { ok: false, reason: row.status === 'sent' ? 'already-sent' : 'being-sent' };
}
