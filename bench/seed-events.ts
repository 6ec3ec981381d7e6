// Replaces every event in the benchmark's database with `count` new ones (bench/events-data.ts),
// in one transaction that also bumps the content version. Run by bench/run.js through tsx,
// with the same settings as the server, between the two sizes of the events scale test:
//   tsx bench/seed-events.ts <count>
// Prints one JSON line describing what it made.
import { sql } from 'kysely';
import { readConfig } from '../src/lib/server/config';
import { openConfiguredDatabase } from '../src/lib/server/app';
import { markContentChanged } from '../src/lib/server/cache/content-version';
import { isPostgres } from '../src/lib/server/db/database';
import { migrateToLatest } from '../src/lib/server/db/migrate';
import { nowIso } from '../src/lib/server/ids';
import { insertBenchEvents } from './events-data';

const count = Number(process.argv[2]);
if (!Number.isInteger(count) || count < 0) {
	console.error('usage: tsx bench/seed-events.ts <count>');
	process.exit(2);
}

const config = readConfig();
const database = openConfiguredDatabase(config);
try {
	await migrateToLatest(database.db);
	const db = database.db;
	const hostIds = (
		await db.selectFrom('app_user').select('id').orderBy('email').limit(2_000).execute()
	).map((r) => r.id);
	const organisationIds = (
		await db.selectFrom('organisation').select('id').orderBy('slug').execute()
	).map((r) => r.id);
	const columns = new Set(
		(await db.introspection.getTables())
			.find((t) => t.name === 'event')
			?.columns.map((c) => c.name) ?? []
	);
	const started = Date.now();
	const seeded = await db.transaction().execute(async (trx) => {
		// Nothing else refers to the bench's events (no registrations, topics or talks).
		await trx.deleteFrom('event').execute();
		const made = await insertBenchEvents(trx, {
			count,
			hostIds,
			organisationIds,
			timeZone: config.timeZone,
			now: nowIso(),
			columns
		});
		await markContentChanged(trx);
		return made;
	});
	// PostgreSQL's autovacuum would vacuum and analyse the new rows within a minute or so (it
	// vacuums after many inserts since PostgreSQL 13), in the middle of a measurement; do it now,
	// so the planner sees the table as it will in steady state, and index-only scans find the
	// pages marked all-visible. SQLite is left alone: CoLab never runs ANALYZE there, so its
	// planner has no statistics.
	if (isPostgres(db)) await sql`vacuum (analyze) event`.execute(db);
	console.log(JSON.stringify({ ...seeded, seconds: (Date.now() - started) / 1000 }));
} finally {
	await database.close();
}
