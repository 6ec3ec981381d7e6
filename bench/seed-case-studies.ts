// Adds published case studies to the benchmark's database, numbered from `from` (default 0) up
// to `to` (default 10,000), in one transaction that also bumps the content version: each with
// its published version and its filter rows (case_study_facet), written straight to the tables
// in batches of 500, as the service would leave them. Run by bench/run.js through tsx, with the
// same settings as the server:
//   tsx bench/seed-case-studies.ts [to] [from]
// Each case study has two of the twelve service areas, one of five stages, one of four statuses,
// three benefits, two barriers, two of the check's dimensions and, for one in three, an
// organisation: so /library?area=…&stage=… matches about one in thirty, at any size.
// Prints one JSON line describing what it made.
import { sql } from 'kysely';
import { readConfig } from '../src/lib/server/config';
import { openConfiguredDatabase } from '../src/lib/server/app';
import { markContentChanged } from '../src/lib/server/cache/content-version';
import { isPostgres } from '../src/lib/server/db/database';
import { migrateToLatest } from '../src/lib/server/db/migrate';
import { newId } from '../src/lib/server/ids';
import { facetsOf } from '../src/lib/server/library/case-studies.service';
import { CONTINUUM_STAGES, WORK_STATUSES } from '../src/lib/server/library/library.vocabulary';
import { libraryVocabulary } from '../src/lib/server/library/tags.service';

const to = Number(process.argv[2] ?? 10_000);
const from = Number(process.argv[3] ?? 0);
if (!Number.isInteger(to) || !Number.isInteger(from) || from < 0 || to < from) {
	console.error('usage: tsx bench/seed-case-studies.ts [to] [from]');
	process.exit(2);
}

const TEXT =
	'People who use the service, carers and staff met every fortnight for three months. They ' +
	'agreed what to change, tried it on one ward, and kept what worked.';

const config = readConfig();
const database = openConfiguredDatabase(config);
try {
	await migrateToLatest(database.db);
	const db = database.db;
	const words = await libraryVocabulary(db);
	const authorIds = (
		await db.selectFrom('app_user').select('id').orderBy('email').limit(500).execute()
	).map((r) => r.id);
	const organisationIds = (
		await db.selectFrom('organisation').select('id').orderBy('slug').limit(100).execute()
	).map((r) => r.id);
	const pick = <T>(list: readonly T[], i: number): T => list[i % list.length]!;
	const started = Date.now();
	// A new one every two hours, going back in time from a fixed point, so each run's numbering
	// continues the order of the last.
	const base = Date.parse('2026-12-01T00:00:00Z');
	await db.transaction().execute(async (trx) => {
		for (let start = from; start < to; start += 500) {
			const rows = [];
			const versions = [];
			const facets = [];
			for (let i = start; i < Math.min(to, start + 500); i++) {
				const id = newId();
				const at = new Date(base - (i + 1) * 2 * 3_600_000).toISOString();
				const content = {
					title: `Bench case study ${i}: ${pick(words.serviceAreas, i).label.toLowerCase()}`,
					summary: TEXT,
					continuum_stage: pick(CONTINUUM_STAGES, i * 7 + 3).key,
					work_status: pick(WORK_STATUSES, i * 3 + 1).key,
					what_was_done: `${TEXT}\n\n${TEXT}\n\n${TEXT}`,
					who_was_involved: TEXT,
					barriers_handled: TEXT,
					do_differently: TEXT,
					service_area_ids: JSON.stringify([
						pick(words.serviceAreas, i).id,
						pick(words.serviceAreas, i + 5).id
					]),
					benefit_ids: JSON.stringify([
						...new Set([i, i + 4, i + 9].map((n) => pick(words.benefits, n).id))
					]),
					barrier_ids: JSON.stringify([
						...new Set([i, i + 7].map((n) => pick(words.barriers, n).id))
					]),
					dimension_keys: JSON.stringify(
						words.dimensions.length
							? [...new Set([i, i + 2].map((n) => pick(words.dimensions, n).key))]
							: []
					),
					organisation_ids: JSON.stringify(
						organisationIds.length && i % 3 === 0 ? [pick(organisationIds, i)] : []
					),
					links: '[]',
					assessment_round_id: null
				};
				rows.push({
					id,
					slug: `bench-case-study-${i}`,
					author_id: authorIds.length ? pick(authorIds, i) : null,
					pilot_id: null,
					review_state: 'published' as const,
					review_message: null,
					reviewed_by: null,
					published_version: 1,
					published_at: at,
					submitted_at: null,
					created_at: at,
					updated_at: at,
					...content
				});
				versions.push({
					case_study_id: id,
					version: 1,
					edited_by: null,
					published_by: null,
					published_at: at,
					...content
				});
				for (const facet of facetsOf(content))
					facets.push({ case_study_id: id, facet, published_at: at });
			}
			await trx.insertInto('case_study').values(rows).execute();
			await trx.insertInto('case_study_version').values(versions).execute();
			for (let f = 0; f < facets.length; f += 2000)
				await trx
					.insertInto('case_study_facet')
					.values(facets.slice(f, f + 2000))
					.execute();
		}
		await markContentChanged(trx);
	});
	if (isPostgres(db))
		await sql`vacuum (analyze) case_study, case_study_version, case_study_facet`.execute(db);
	console.log(
		JSON.stringify({ caseStudies: to, added: to - from, seconds: (Date.now() - started) / 1000 })
	);
} finally {
	await database.close();
}
