// Adds the benchmark's decision: a consensus decision open to all members, with 5,000
// responses (BENCH_DECISION_RESPONSES), one in five with a reason, in one transaction. The
// first member given facilitates it; the second is a participant who has responded too. Run by
// bench/run.js through tsx once both members exist:
//   tsx bench/seed-decision.ts <facilitator email> <participant email>
// Prints one JSON line with the decision's slug and how many responses it has.
import { readConfig } from '../src/lib/server/config';
import { openConfiguredDatabase } from '../src/lib/server/app';
import { migrateToLatest } from '../src/lib/server/db/migrate';
import { newId, nowIso } from '../src/lib/server/ids';

const RESPONSES = Number(process.env.BENCH_DECISION_RESPONSES || 5_000);
const [facilitatorEmail, participantEmail] = process.argv.slice(2);
if (!facilitatorEmail || !participantEmail) {
	console.error('usage: tsx bench/seed-decision.ts <facilitator email> <participant email>');
	process.exit(2);
}
const POSITIONS = ['agree', 'agree', 'agree', 'abstain', 'disagree'];

const config = readConfig();
const database = openConfiguredDatabase(config);
try {
	await migrateToLatest(database.db);
	const db = database.db;
	const started = Date.now();
	const find = (email: string) =>
		db.selectFrom('app_user').select('id').where('email', '=', email).executeTakeFirstOrThrow();
	const facilitator = await find(facilitatorEmail);
	const participant = await find(participantEmail);
	const others = await db
		.selectFrom('app_user')
		.select('id')
		.where('id', 'not in', [facilitator.id, participant.id])
		.limit(RESPONSES - 1)
		.execute();
	const responders = [participant.id, ...others.map((o) => o.id)];
	const id = newId();
	const slug = `bench-decision-${id
		.slice(0, 6)
		.toLowerCase()
		.replace(/[^a-z0-9]/g, 'x')}`;
	const now = nowIso();
	await db.transaction().execute(async (trx) => {
		await trx
			.insertInto('decision')
			.values({
				id,
				slug,
				question: 'Should the network meet in the evening as well as the morning?',
				proposal: 'Hold each monthly meeting **twice**: at 10am and at 6pm, with the same agenda.',
				process: 'consensus',
				setting: 1,
				audience: 'members',
				audience_organisation_id: null,
				audience_event_id: null,
				closes_at: new Date(Date.now() + 7 * 86_400_000).toISOString(),
				quorum: 100,
				anonymous: 0,
				status: 'open',
				outcome: null,
				result: null,
				round: 1,
				previous_round_id: null,
				origin_kind: null,
				origin_id: null,
				origin_title: null,
				origin_path: null,
				created_by: facilitator.id,
				created_at: now,
				updated_at: now,
				opened_at: now,
				closed_at: null,
				outcome_at: null,
				reminder_claimed_at: null
			})
			.execute();
		await trx
			.insertInto('decision_facilitator')
			.values({ decision_id: id, user_id: facilitator.id, added_at: now })
			.execute();
		const rows = responders.map((personId, i) => ({
			id: newId(),
			decision_id: id,
			person_id: personId,
			position: POSITIONS[i % POSITIONS.length] ?? 'agree',
			choices: null,
			reason:
				i % 5 === 0 ? `Reason ${i}: evenings suit people who work, and mornings suit carers.` : '',
			updated_at: new Date(Date.now() - i * 1000).toISOString()
		}));
		for (let at = 0; at < rows.length; at += 500)
			await trx
				.insertInto('decision_response')
				.values(rows.slice(at, at + 500))
				.execute();
	});
	console.log(
		JSON.stringify({ slug, responses: responders.length, seconds: (Date.now() - started) / 1000 })
	);
} finally {
	await database.close();
}
