import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';

type Db = Kysely<DB> | Transaction<DB>;

function publicScheduled(db: Db) {
	return db
		.selectFrom('event as e')
		.innerJoin('event_format as f', 'f.id', 'e.format_id')
		.select([
			'e.id',
			'e.title',
			'e.summary',
			'e.starts_at',
			'e.ends_at',
			'e.mode',
			'e.venue_name',
			'e.format_id',
			'f.name as format_name'
		])
		.where('e.visibility', '=', 'public')
		.where('e.approval', '=', 'approved')
		.where('e.status', '=', 'scheduled');
}

/** Public events added in [since, until) that have not ended by `until`, soonest first. */
export async function selectEventsAddedBetween(
	db: Db,
	since: string,
	until: string,
	limit: number
) {
	return publicScheduled(db)
		.where('e.created_at', '>=', since)
		.where('e.created_at', '<', until)
		.where('e.ends_at', '>', until)
		.orderBy('e.starts_at')
		.orderBy('e.id')
		.limit(limit)
		.execute();
}

/** Public events starting in [from, to), soonest first. */
export async function selectEventsStartingBetween(db: Db, from: string, to: string, limit: number) {
	return publicScheduled(db)
		.where('e.starts_at', '>=', from)
		.where('e.starts_at', '<', to)
		.orderBy('e.starts_at')
		.orderBy('e.id')
		.limit(limit)
		.execute();
}
