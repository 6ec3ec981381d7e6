// Seeds the benchmark's database: 10,000 members with profiles, 500 organisations with
// 20 members each and 10,000 events (bench/events-data.ts). Run by bench/run.js through tsx,
// with the same settings as the server (DATA_DIR or DATABASE_URL). Prints one JSON line
// describing what it made.
import { sql } from 'kysely';
import { readConfig } from '../src/lib/server/config';
import { openConfiguredDatabase } from '../src/lib/server/app';
import { markContentChanged } from '../src/lib/server/cache/content-version';
import { isPostgres } from '../src/lib/server/db/database';
import { migrateToLatest } from '../src/lib/server/db/migrate';
import { newId, nowIso } from '../src/lib/server/ids';
import { insertBenchEvents } from './events-data';

const MEMBERS = Number(process.env.BENCH_MEMBERS || 10_000);
const ORGANISATIONS = Number(process.env.BENCH_ORGANISATIONS || 500);
const EVENTS = Number(process.env.BENCH_EVENTS || 10_000);
const PER_ORGANISATION = 20;
const BATCH = 500;

function pad(n: number, width: number): string {
	return String(n).padStart(width, '0');
}

async function inBatches<T>(rows: T[], insert: (batch: T[]) => Promise<unknown>): Promise<void> {
	for (let i = 0; i < rows.length; i += BATCH) await insert(rows.slice(i, i + BATCH));
}

const config = readConfig();
const database = openConfiguredDatabase(config);
try {
	await migrateToLatest(database.db);
	const tableList = await database.db.introspection.getTables();
	const tables = new Set(tableList.map((t) => t.name));
	const eventColumns = new Set(
		tableList.find((t) => t.name === 'event')?.columns.map((c) => c.name) ?? []
	);
	const todo: string[] = [];
	const now = nowIso();
	const verified = isPostgres(database.db) ? true : 1;

	const memberIds = Array.from({ length: MEMBERS }, () => newId());
	let profiles = 0;
	let organisations = 0;
	let memberships = 0;
	let organisationIds: string[] = [];
	let events = 0;
	let listedUpcoming = 0;
	await database.db.transaction().execute(async (trx) => {
		await inBatches(
			memberIds.map((id, i) => ({ id, i })),
			(batch) =>
				trx
					.insertInto('app_user')
					.values(
						batch.map(({ id, i }) => ({
							id,
							name: `Bench Member ${pad(i + 1, 5)}`,
							email: `member-${pad(i + 1, 5)}@bench.example`,
							email_verified: verified,
							image: null,
							role: 'member',
							created_at: now,
							updated_at: now
						}))
					)
					.execute()
		);

		if (tables.has('profile')) {
			await inBatches(memberIds, (batch) =>
				trx
					.insertInto('profile')
					.values(
						batch.map((id, i) => ({
							user_id: id,
							bio: `I volunteer at a community centre and care for a relative (${i}).`,
							pronouns: i % 3 === 0 ? 'she/her' : i % 3 === 1 ? 'he/him' : 'they/them',
							show_bio: 1,
							show_pronouns: 1,
							show_organisations: 1,
							show_email: 0,
							updated_at: now
						}))
					)
					.execute()
			);
			profiles = memberIds.length;
		} else {
			todo.push('profiles: the profile table does not exist yet, so members have no profiles');
		}

		if (tables.has('organisation') && tables.has('organisation_member')) {
			const orgs = Array.from({ length: ORGANISATIONS }, (_, i) => ({
				id: newId(),
				slug: `bench-organisation-${pad(i + 1, 3)}`,
				name: `Bench Organisation ${pad(i + 1, 3)}`,
				description: 'A local charity that runs drop-in sessions and a befriending service.',
				website: `https://org-${pad(i + 1, 3)}.example`,
				created_by: memberIds[i % memberIds.length] ?? null,
				created_at: now,
				updated_at: now
			}));
			await inBatches(orgs, (batch) => trx.insertInto('organisation').values(batch).execute());
			const rows = orgs.flatMap((org, o) =>
				Array.from({ length: PER_ORGANISATION }, (_, k) => ({
					organisation_id: org.id,
					user_id: memberIds[(o * PER_ORGANISATION + k) % memberIds.length] ?? '',
					role: k === 0 ? ('admin' as const) : ('member' as const),
					joined_at: now
				}))
			);
			await inBatches(rows, (batch) =>
				trx.insertInto('organisation_member').values(batch).execute()
			);
			organisations = orgs.length;
			organisationIds = orgs.map((org) => org.id);
			memberships = rows.length;
		} else {
			todo.push(
				'organisations: migration 2026-11-26-04-profiles-organisations is not there yet, so no organisations were seeded'
			);
		}
		if (tables.has('event') && tables.has('event_format')) {
			// Hosts: the first 2,000 members (an instance has far fewer hosts than members).
			const seeded = await insertBenchEvents(trx, {
				count: EVENTS,
				hostIds: memberIds.slice(0, 2_000),
				organisationIds,
				timeZone: config.timeZone,
				now,
				columns: eventColumns
			});
			events = seeded.events;
			listedUpcoming = seeded.listedUpcoming;
		} else {
			todo.push('events: the event table does not exist yet, so no events were seeded');
		}
		await markContentChanged(trx);
	});
	// See bench/seed-events.ts: the planner's statistics for events as autovacuum would leave
	// them. (Only events: the other tables stay as earlier runs of the bench measured them.)
	if (isPostgres(database.db) && events) await sql`analyze event`.execute(database.db);

	// The first member belongs to an organisation and shows everything: the profile to measure.
	console.log(
		JSON.stringify({
			members: memberIds.length,
			profiles,
			organisations,
			memberships,
			events,
			listedUpcoming,
			profileId: memberIds[0],
			todo
		})
	);
} finally {
	await database.close();
}
