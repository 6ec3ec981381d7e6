import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import type { UpdateDigest } from './digest.tables';

type Db = Kysely<DB> | Transaction<DB>;

export async function findDigest(db: Db, week: string): Promise<UpdateDigest | undefined> {
	return db.selectFrom('update_digest').selectAll().where('week', '=', week).executeTakeFirst();
}

/** The latest run before `week` (weeks are dates, so they sort as text). */
export async function findDigestBefore(db: Db, week: string): Promise<UpdateDigest | undefined> {
	return db
		.selectFrom('update_digest')
		.selectAll()
		.where('week', '<', week)
		.orderBy('week', 'desc')
		.limit(1)
		.executeTakeFirst();
}

/** Creates the week's run unless another instance already did. */
export async function insertDigestIfAbsent(
	db: Db,
	row: { week: string; since_at: string; due_at: string; created_at: string }
): Promise<void> {
	await db
		.insertInto('update_digest')
		.values({ ...row, status: 'pending', claimed_at: null, cursor: null, sent_at: null })
		.onConflict((oc) => oc.column('week').doNothing())
		.execute();
}

/**
 * Claims the week's run: pending, or left `sending` by an instance that stopped before
 * `staleBefore`. A conditional update, so only one sender wins.
 */
export async function claimDigest(
	db: Db,
	week: string,
	now: string,
	staleBefore: string
): Promise<boolean> {
	const result = await db
		.updateTable('update_digest')
		.set({ status: 'sending', claimed_at: now })
		.where('week', '=', week)
		.where((eb) =>
			eb.or([
				eb('status', '=', 'pending'),
				eb.and([eb('status', '=', 'sending'), eb('claimed_at', '<', staleBefore)])
			])
		)
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

/** Saves how far the run got and keeps its claim fresh (in the batch's transaction). */
export async function advanceDigest(
	db: Db,
	week: string,
	cursor: string,
	now: string
): Promise<void> {
	await db
		.updateTable('update_digest')
		.set({ cursor, claimed_at: now })
		.where('week', '=', week)
		.where('status', '=', 'sending')
		.execute();
}

export async function markDigestSent(db: Db, week: string, now: string): Promise<void> {
	const count = await db
		.selectFrom('update_digest_delivery')
		.select((eb) => eb.fn.countAll<string | number>().as('n'))
		.where('week', '=', week)
		.executeTakeFirstOrThrow();
	await db
		.updateTable('update_digest')
		.set({ status: 'sent', sent_at: now, recipients: Number(count.n) })
		.where('week', '=', week)
		.where('status', '=', 'sending')
		.execute();
}

/**
 * Records that these subscribers get the week's digest; returns only the ones not recorded
 * before (ON CONFLICT DO NOTHING), who are the ones to mail.
 */
export async function recordDigestDeliveries(
	db: Db,
	week: string,
	subscriberIds: readonly string[],
	now: string
): Promise<Set<string>> {
	if (!subscriberIds.length) return new Set();
	const rows = await db
		.insertInto('update_digest_delivery')
		.values(subscriberIds.map((subscriber_id) => ({ week, subscriber_id, created_at: now })))
		.onConflict((oc) => oc.columns(['week', 'subscriber_id']).doNothing())
		.returning('subscriber_id')
		.execute();
	return new Set(rows.map((r) => r.subscriber_id));
}

/** The topics of a page of subscribers, in one query. */
export async function selectTopicsOf(
	db: Db,
	subscriberIds: readonly string[]
): Promise<Map<string, string[]>> {
	const byId = new Map<string, string[]>();
	if (!subscriberIds.length) return byId;
	const rows = await db
		.selectFrom('update_subscriber_topic')
		.select(['subscriber_id', 'topic'])
		.where('subscriber_id', 'in', [...subscriberIds])
		.execute();
	for (const row of rows) {
		const list = byId.get(row.subscriber_id);
		if (list) list.push(row.topic);
		else byId.set(row.subscriber_id, [row.topic]);
	}
	return byId;
}

/** The latest few runs, newest first, for the administrators' page. */
export async function listRecentDigests(db: Db, limit: number): Promise<UpdateDigest[]> {
	return db.selectFrom('update_digest').selectAll().orderBy('week', 'desc').limit(limit).execute();
}
