import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import type { UpdateAnnouncement, UpdateAnnouncementTable } from './updates.tables';

type Db = Kysely<DB> | Transaction<DB>;

export async function insertAnnouncement(
	db: Db,
	row: Omit<UpdateAnnouncementTable, 'recipients'>
): Promise<void> {
	await db.insertInto('update_announcement').values(row).execute();
}

export async function findAnnouncement(
	db: Db,
	id: string
): Promise<UpdateAnnouncement | undefined> {
	return db.selectFrom('update_announcement').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Claims an announcement for sending: due and scheduled, or left `sending` by an instance that
 * stopped before `staleBefore`. A conditional update, so only one sender wins.
 */
export async function claimAnnouncement(
	db: Db,
	id: string,
	now: string,
	staleBefore: string
): Promise<boolean> {
	const result = await db
		.updateTable('update_announcement')
		.set({ status: 'sending', claimed_at: now })
		.where('id', '=', id)
		.where('send_at', '<=', now)
		.where((eb) =>
			eb.or([
				eb('status', '=', 'scheduled'),
				eb.and([eb('status', '=', 'sending'), eb('claimed_at', '<', staleBefore)])
			])
		)
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

/** Keeps a claim fresh while a long list is sent. */
export async function touchClaim(db: Db, id: string, now: string): Promise<void> {
	await db
		.updateTable('update_announcement')
		.set({ claimed_at: now })
		.where('id', '=', id)
		.where('status', '=', 'sending')
		.execute();
}

export async function markSent(db: Db, id: string, now: string): Promise<void> {
	const count = await db
		.selectFrom('update_announcement_delivery')
		.select((eb) => eb.fn.countAll<string | number>().as('n'))
		.where('announcement_id', '=', id)
		.executeTakeFirstOrThrow();
	await db
		.updateTable('update_announcement')
		.set({ status: 'sent', sent_at: now, recipients: Number(count.n) })
		.where('id', '=', id)
		.where('status', '=', 'sending')
		.execute();
}

/** Ids of announcements that are due (or whose sender stopped), oldest first. */
export async function listDueAnnouncements(
	db: Db,
	now: string,
	staleBefore: string
): Promise<string[]> {
	const rows = await db
		.selectFrom('update_announcement')
		.select('id')
		.where('send_at', '<=', now)
		.where((eb) =>
			eb.or([
				eb('status', '=', 'scheduled'),
				eb.and([eb('status', '=', 'sending'), eb('claimed_at', '<', staleBefore)])
			])
		)
		.orderBy('send_at')
		.limit(50)
		.execute();
	return rows.map((r) => r.id);
}

/**
 * Records that these subscribers get the announcement; returns only the ones not recorded
 * before (ON CONFLICT DO NOTHING), who are the ones to mail.
 */
export async function recordDeliveries(
	db: Db,
	announcementId: string,
	subscriberIds: readonly string[],
	now: string
): Promise<Set<string>> {
	if (!subscriberIds.length) return new Set();
	const rows = await db
		.insertInto('update_announcement_delivery')
		.values(
			subscriberIds.map((subscriber_id) => ({
				announcement_id: announcementId,
				subscriber_id,
				created_at: now
			}))
		)
		.onConflict((oc) => oc.columns(['announcement_id', 'subscriber_id']).doNothing())
		.returning('subscriber_id')
		.execute();
	return new Set(rows.map((r) => r.subscriber_id));
}

/** One page of sent announcements, newest first. */
export async function listSentAnnouncements(
	db: Db,
	page: { offset: number; limit: number }
): Promise<UpdateAnnouncement[]> {
	return db
		.selectFrom('update_announcement')
		.selectAll()
		.where('status', '=', 'sent')
		.orderBy('sent_at', 'desc')
		.orderBy('id', 'desc')
		.offset(page.offset)
		.limit(page.limit)
		.execute();
}

export async function countSentAnnouncements(db: Db): Promise<number> {
	const row = await db
		.selectFrom('update_announcement')
		.select((eb) => eb.fn.countAll<string | number>().as('n'))
		.where('status', '=', 'sent')
		.executeTakeFirstOrThrow();
	return Number(row.n);
}
