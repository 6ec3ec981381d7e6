// Adds the benchmark's assessment (bench/assessment-data.ts), owned by the member with the given
// email, in one transaction. Run by bench/run.js through tsx, with the same settings as the
// server, once the signed-in member exists (they are made with the CLI after bench/seed.ts):
//   tsx bench/seed-assessment.ts <owner email>
// BENCH_RESPONSES sets the number of submitted responses (default 5,000). Prints one JSON line
// describing what it made, with the assessment's id for the results page's address.
import { sql } from 'kysely';
import { readConfig } from '../src/lib/server/config';
import { openConfiguredDatabase } from '../src/lib/server/app';
import { isPostgres } from '../src/lib/server/db/database';
import { migrateToLatest } from '../src/lib/server/db/migrate';
import { nowIso } from '../src/lib/server/ids';
import { insertBenchAssessment } from './assessment-data';

const RESPONSES = Number(process.env.BENCH_RESPONSES || 5_000);
const ownerEmail = process.argv[2];
if (!ownerEmail) {
	console.error('usage: tsx bench/seed-assessment.ts <owner email>');
	process.exit(2);
}

const config = readConfig();
const database = openConfiguredDatabase(config);
try {
	await migrateToLatest(database.db);
	const db = database.db;
	const tables = new Set((await db.introspection.getTables()).map((t) => t.name));
	if (!tables.has('assessment_response')) {
		console.log(
			JSON.stringify({
				todo: ['assessment: the assessment tables do not exist yet, so none was seeded']
			})
		);
	} else {
		const owner = await db
			.selectFrom('app_user')
			.select('id')
			.where('email', '=', ownerEmail)
			.executeTakeFirstOrThrow();
		// Half the responses come from seeded members answering as themselves.
		const respondentIds = (
			await db
				.selectFrom('app_user')
				.select('id')
				.where('id', '!=', owner.id)
				.orderBy('email')
				.limit(Math.ceil(RESPONSES / 2))
				.execute()
		).map((r) => r.id);
		const started = Date.now();
		const seeded = await db.transaction().execute((trx) =>
			insertBenchAssessment(trx, {
				ownerId: owner.id,
				responses: RESPONSES,
				respondentIds,
				now: nowIso()
			})
		);
		// As autovacuum would shortly after (see bench/seed-events.ts), a vacuum as well as the
		// statistics: after many inserts it vacuums too (autovacuum_vacuum_insert_threshold), which
		// marks pages all-visible. Without that the results' index-only scan of the answers reads
		// the table for every row (about 66 ms instead of 45 at 5,000 responses). SQLite is left
		// alone.
		if (isPostgres(db))
			await sql`vacuum (analyze) assessment_response, assessment_answer, assessment_comment`.execute(
				db
			);
		console.log(JSON.stringify({ ...seeded, seconds: (Date.now() - started) / 1000, todo: [] }));
	}
} finally {
	await database.close();
}
