import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import type {
	NewUpdateSubscriber,
	SuppressionReason,
	UpdateSubscriber,
	UpdateSubscriberTable
} from './updates.tables';

type Db = Kysely<DB> | Transaction<DB>;

export async function findSubscriberByEmail(
	db: Db,
	email: string
): Promise<UpdateSubscriber | undefined> {
	return db
		.selectFrom('update_subscriber')
		.selectAll()
		.where('email', '=', email)
		.executeTakeFirst();
}

export async function findSubscriberById(
	db: Db,
	id: string
): Promise<UpdateSubscriber | undefined> {
	return db.selectFrom('update_subscriber').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findSubscriberByConfirmHash(
	db: Db,
	hash: string
): Promise<UpdateSubscriber | undefined> {
	return db
		.selectFrom('update_subscriber')
		.selectAll()
		.where('confirm_token_hash', '=', hash)
		.executeTakeFirst();
}

/** The subscriber a mailed link belongs to, or undefined for a link that is not ours. */
export async function findSubscriberByLinkHash(
	db: Db,
	hash: string
): Promise<UpdateSubscriber | undefined> {
	return db
		.selectFrom('update_link as l')
		.innerJoin('update_subscriber as s', 's.id', 'l.subscriber_id')
		.selectAll('s')
		.where('l.token_hash', '=', hash)
		.executeTakeFirst();
}

export async function insertSubscriber(db: Db, row: NewUpdateSubscriber): Promise<void> {
	await db.insertInto('update_subscriber').values(row).execute();
}

export async function updateSubscriber(
	db: Db,
	id: string,
	changes: Partial<Omit<UpdateSubscriberTable, 'id'>>
): Promise<void> {
	await db.updateTable('update_subscriber').set(changes).where('id', '=', id).execute();
}

export async function deleteSubscriber(db: Db, id: string): Promise<number> {
	const result = await db.deleteFrom('update_subscriber').where('id', '=', id).executeTakeFirst();
	return Number(result.numDeletedRows);
}

export async function listSubscriberTopics(db: Db, subscriberId: string): Promise<string[]> {
	const rows = await db
		.selectFrom('update_subscriber_topic')
		.select('topic')
		.where('subscriber_id', '=', subscriberId)
		.orderBy('topic')
		.execute();
	return rows.map((r) => r.topic);
}

/** Replaces a subscriber's topics with `topics` (call inside a transaction). */
export async function replaceSubscriberTopics(
	db: Db,
	subscriberId: string,
	topics: readonly string[]
): Promise<void> {
	await db
		.deleteFrom('update_subscriber_topic')
		.where('subscriber_id', '=', subscriberId)
		.execute();
	if (topics.length) {
		await db
			.insertInto('update_subscriber_topic')
			.values([...new Set(topics)].map((topic) => ({ subscriber_id: subscriberId, topic })))
			.execute();
	}
}

export async function insertLink(
	db: Db,
	row: { token_hash: string; subscriber_id: string; created_at: string }
): Promise<void> {
	await db.insertInto('update_link').values(row).execute();
}

export async function findSuppression(
	db: Db,
	emailHash: string
): Promise<SuppressionReason | undefined> {
	const row = await db
		.selectFrom('update_suppression')
		.select('reason')
		.where('email_hash', '=', emailHash)
		.executeTakeFirst();
	return row?.reason;
}

/**
 * Adds an address to the suppression list. A block by an administrator is never turned back
 * into an "unsubscribed" (which a person could lift); an unsubscribe becomes a block when an
 * administrator blocks it.
 */
export async function suppress(
	db: Db,
	emailHash: string,
	reason: SuppressionReason,
	now: string
): Promise<void> {
	await db
		.insertInto('update_suppression')
		.values({ email_hash: emailHash, reason, created_at: now })
		.onConflict((oc) =>
			reason === 'blocked'
				? oc.column('email_hash').doUpdateSet({ reason: 'blocked', created_at: now })
				: oc.column('email_hash').doNothing()
		)
		.execute();
}

/** Lifts a suppression of the given reason only (a person's own choice never lifts a block). */
export async function liftSuppression(
	db: Db,
	emailHash: string,
	reason: SuppressionReason
): Promise<number> {
	const result = await db
		.deleteFrom('update_suppression')
		.where('email_hash', '=', emailHash)
		.where('reason', '=', reason)
		.executeTakeFirst();
	return Number(result.numDeletedRows);
}

/** Sign-ups never confirmed whose link ran out: the whole row goes. */
export async function deleteExpiredSignUps(db: Db, now: string): Promise<number> {
	const result = await db
		.deleteFrom('update_subscriber')
		.where('status', '=', 'pending')
		.where('confirm_expires_at', '<', now)
		.executeTakeFirst();
	return Number(result.numDeletedRows);
}

/** Changes of topics asked for but never confirmed: the subscription stays as it was. */
export async function clearExpiredChanges(db: Db, now: string): Promise<number> {
	const result = await db
		.updateTable('update_subscriber')
		.set({ pending_topics: null, confirm_token_hash: null, confirm_expires_at: null })
		.where('status', '!=', 'pending')
		.where('confirm_expires_at', '<', now)
		.executeTakeFirst();
	return Number(result.numUpdatedRows);
}

export async function deleteLinksBefore(db: Db, before: string): Promise<number> {
	const result = await db
		.deleteFrom('update_link')
		.where('created_at', '<', before)
		.executeTakeFirst();
	return Number(result.numDeletedRows);
}

/**
 * One page of the people to mail about any of `topics`: subscribed, not on the suppression
 * list, in id order after `after`. Senders (digest, announcements) walk the list page by page,
 * so a large list is never held in memory at once.
 */
export async function listRecipients(
	db: Db,
	topics: readonly string[],
	page: { after?: string; limit: number }
): Promise<Array<{ id: string; email: string }>> {
	if (!topics.length) return [];
	let query = db
		.selectFrom('update_subscriber as s')
		.select(['s.id', 's.email'])
		.where('s.status', '=', 'subscribed')
		.where(({ exists, selectFrom }) =>
			exists(
				selectFrom('update_subscriber_topic as t')
					.select('t.topic')
					.whereRef('t.subscriber_id', '=', 's.id')
					.where('t.topic', 'in', [...topics])
			)
		)
		.where(({ not, exists, selectFrom }) =>
			not(
				exists(
					selectFrom('update_suppression as x')
						.select('x.email_hash')
						.whereRef('x.email_hash', '=', 's.email_hash')
				)
			)
		);
	if (page.after) query = query.where('s.id', '>', page.after);
	return query.orderBy('s.id').limit(page.limit).execute();
}
