import { sql, type Kysely } from 'kysely';
import { types } from './helpers';

// The public lists of events (issue 10): filtered lists slowed down as events accumulated,
// because each filter (time of day, how to take part, the venue's access features, format)
// was checked on the event's row, read from the table for every listed event passed over.
//
// event_list_idx replaces event_listed_idx: the same order (start time, then id, the order of
// the lists and of their keyset paging) and the same partial condition, now also holding
// every column the filters and the upcoming/past conditions read. Walking it in order, the
// database checks a filter in the index and reads an event's row only for the events shown;
// counting what matches reads the index alone (on PostgreSQL, an index-only scan).
//
// SQLite keeps no statistics in CoLab (it never runs ANALYZE), and needs none here: the lists
// ask for rows in this index's order with a range on its first column, which SQLite's planner
// prefers without statistics. The partial condition keeps it from being chosen elsewhere.
//
// PostgreSQL plans with statistics, and has none for lower(title) and lower(description),
// which the search box matches: it guessed that almost no event matches any word, and so read
// and sorted every listed event instead of walking the index until a page was full (0.7 s at
// 100,000 events for a word one event in eight has). Statistics on the two expressions
// (PostgreSQL 14 and later) let it see how common a word is, and choose.
const LIST_COLUMNS = [
	'starts_at',
	'id',
	'ends_at',
	'status',
	'format_id',
	'time_band',
	'mode',
	'access_step_free',
	'access_hearing_loop',
	'access_accessible_toilet',
	'access_quiet_room',
	'access_parking',
	'access_public_transport'
];

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createIndex('event_list_idx')
		.on('event')
		.columns(LIST_COLUMNS)
		.where(sql.ref('visibility'), '=', 'public')
		.where(sql.ref('approval'), '=', 'approved')
		.execute();
	await db.schema.dropIndex('event_listed_idx').execute();
	if (types(db).postgres && (await postgresVersion(db)) >= 140000) {
		await sql`create statistics event_title_lower_stats on (lower(title)) from event`.execute(db);
		await sql`create statistics event_description_lower_stats on (lower(description)) from event`.execute(
			db
		);
		// Fills them now rather than at autovacuum's next analysis of the table.
		await sql`analyze event`.execute(db);
	}
}

async function postgresVersion(db: Kysely<any>): Promise<number> {
	const result = await sql<{
		v: string;
	}>`select current_setting('server_version_num') as v`.execute(db);
	return Number(result.rows[0]?.v ?? 0);
}

export async function down(db: Kysely<any>): Promise<void> {
	if (types(db).postgres) {
		await sql`drop statistics if exists event_title_lower_stats`.execute(db);
		await sql`drop statistics if exists event_description_lower_stats`.execute(db);
	}
	await db.schema
		.createIndex('event_listed_idx')
		.on('event')
		.columns(['starts_at', 'id', 'ends_at', 'status'])
		.where(sql.ref('visibility'), '=', 'public')
		.where(sql.ref('approval'), '=', 'approved')
		.execute();
	await db.schema.dropIndex('event_list_idx').execute();
}
