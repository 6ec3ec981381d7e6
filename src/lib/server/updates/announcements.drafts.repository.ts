import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import type { UpdateAnnouncement, UpdateAnnouncementTable } from './updates.tables';

type Db = Kysely<DB> | Transaction<DB>;

/** Saves a draft: a new row, or the same draft again. Returns false when it is no longer one. */
export async function upsertDraft(
	db: Db,
	row: Omit<UpdateAnnouncementTable, 'recipients' | 'status' | 'claimed_at' | 'sent_at'>
): Promise<boolean> {
	const inserted = await db
		.insertInto('update_announcement')
		.values({ ...row, status: 'draft', claimed_at: null, sent_at: null })
		.onConflict((oc) => oc.column('id').doNothing())
		.executeTakeFirst();
	if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1) return true;
	const updated = await db
		.updateTable('update_announcement')
		.set({ title: row.title, body: row.body, topics: row.topics, send_at: row.send_at })
		.where('id', '=', row.id)
		.where('status', '=', 'draft')
		.executeTakeFirst();
	return Number(updated.numUpdatedRows) === 1;
}

/**
 * Turns a draft into an announcement to send (at `send_at`). A conditional update, so a
 * second press, or a second instance, finds it no longer a draft.
 */
export async function scheduleDraft(
	db: Db,
	id: string,
	fields: { title: string; body: string; topics: string; send_at: string }
): Promise<boolean> {
	const result = await db
		.updateTable('update_announcement')
		.set({ ...fields, status: 'scheduled' })
		.where('id', '=', id)
		.where('status', '=', 'draft')
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

/** Cancels a scheduled announcement that no sender has claimed yet. */
export async function cancelScheduled(db: Db, id: string): Promise<boolean> {
	const result = await db
		.updateTable('update_announcement')
		.set({ status: 'cancelled' })
		.where('id', '=', id)
		.where('status', '=', 'scheduled')
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

/** One page of drafts and scheduled announcements: scheduled first by send time, then drafts. */
export async function listUnsent(
	db: Db,
	page: { offset: number; limit: number }
): Promise<UpdateAnnouncement[]> {
	return db
		.selectFrom('update_announcement')
		.selectAll()
		.where('status', 'in', ['scheduled', 'draft'])
		.orderBy('status', 'desc')
		.orderBy('send_at')
		.orderBy('id')
		.offset(page.offset)
		.limit(page.limit)
		.execute();
}

export async function countUnsent(db: Db): Promise<number> {
	const row = await db
		.selectFrom('update_announcement')
		.select((eb) => eb.fn.countAll<string | number>().as('n'))
		.where('status', 'in', ['scheduled', 'draft'])
		.executeTakeFirstOrThrow();
	return Number(row.n);
}
