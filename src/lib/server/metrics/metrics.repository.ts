import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';

export interface OutboxStatusCount {
	status: string;
	mails: number;
	/** The earliest next_attempt_at among these rows (ISO-8601 UTC). */
	soonest: string | null;
}

/**
 * How many outbox rows are in each status, and the earliest next try in each: one grouped
 * query, which the (status, next_attempt_at) index answers without reading the rows.
 */
export async function countOutboxByStatus(db: Kysely<DB>): Promise<OutboxStatusCount[]> {
	return db
		.selectFrom('mail_outbox')
		.select((eb) => [
			'status',
			eb.fn.countAll<number>().as('mails'),
			eb.fn.min('next_attempt_at').as('soonest')
		])
		.groupBy('status')
		.execute();
}
