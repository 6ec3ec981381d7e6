import type { Kysely } from 'kysely';
import { changeContent } from '../cache/content-version';
import type { DB } from '../db/schema';
import type { Perspective } from './scoring';

const DAY_MS = 24 * 60 * 60 * 1000;
const DEMO_ID = 'demo-assessment-day-centre';

/**
 * How each perspective tends to rate each dimension (0–4), in framework order. People who use
 * the service and carers see involvement and shared decisions far lower than staff do: the gap
 * the results should show. Round 2, months later, is a little better on both sides.
 */
const LEANINGS: Record<Perspective, number[]> = {
	'uses-services': [1.2, 1.5, 1.0, 2.0, 2.2, 2.0, 1.6, 2.2, 2.4],
	carer: [1.4, 1.2, 1.2, 1.8, 2.0, 2.2, 1.4, 2.0, 2.2],
	frontline: [2.6, 2.4, 2.4, 2.6, 2.6, 2.6, 2.2, 2.8, 2.6],
	manager: [3.2, 3.0, 3.2, 3.0, 2.8, 2.8, 2.6, 3.0, 3.0],
	commissioner: [3.0, 2.8, 3.0, 2.8, 2.6, 2.6, 2.4, 2.6, 2.8],
	partner: [2.4, 2.2, 2.0, 2.4, 2.4, 2.6, 2.2, 2.4, 2.6],
	other: [2, 2, 2, 2, 2, 2, 2, 2, 2]
};

/**
 * Who answered in each round: 18 in the first, 24 in the second. Both have closed, so their
 * results show (an open round's are held back). Every group on show has at least 3 people and
 * no total gives a smaller group away, so nothing is hidden by subtraction.
 */
const ROUNDS: Array<{
	daysAgo: number;
	closesInDays: number;
	people: Array<[Perspective, number]>;
}> = [
	{
		daysAgo: 150,
		closesInDays: -120,
		people: [
			['uses-services', 5],
			['carer', 3],
			['frontline', 4],
			['manager', 3],
			['commissioner', 3]
		]
	},
	{
		daysAgo: 40,
		closesInDays: -3,
		people: [
			['uses-services', 6],
			['carer', 4],
			['frontline', 5],
			['manager', 3],
			['commissioner', 3],
			['partner', 3]
		]
	}
];

const STAGES = ['informing', 'consulting', 'engaging', 'co-designing', 'co-producing'];

/** A repeatable sequence of numbers in [0, 1), so the demo is the same every time. */
function sequence(seed: number): () => number {
	let state = seed;
	return () => {
		state = (state * 1103515245 + 12345) % 2147483648;
		return state / 2147483648;
	};
}

/**
 * A demo assessment of a day centre, owned by a commissioner and a carer, with two rounds and
 * 42 responses across perspectives, showing a clear perception gap. Idempotent.
 */
export async function seedAssessments(
	db: Kysely<DB>,
	people: ReadonlyArray<{ id: string }>
): Promise<void> {
	const owners = [people[4], people[2]].filter((p): p is { id: string } => !!p);
	if (!owners.length) return;
	const exists = await db
		.selectFrom('assessment')
		.select('id')
		.where('id', '=', DEMO_ID)
		.executeTakeFirst();
	if (exists) return;
	const version = await db
		.selectFrom('framework_version')
		.select('id')
		.orderBy('number', 'desc')
		.limit(1)
		.executeTakeFirstOrThrow();
	const statements = await db
		.selectFrom('framework_statement as s')
		.innerJoin('framework_dimension as d', 'd.id', 's.dimension_id')
		.select(['s.id', 's.dimension_id', 'd.position'])
		.where('d.version_id', '=', version.id)
		.orderBy('d.position')
		.orderBy('s.position')
		.execute();
	const now = Date.now();
	const at = (days: number) => new Date(now + days * DAY_MS).toISOString();
	const random = sequence(2026);

	await changeContent(db, async (trx) => {
		await trx
			.insertInto('assessment')
			.values({
				id: DEMO_ID,
				title: 'Riverside day centre',
				description:
					'How co-produced is the day centre? Everyone involved answers: people who use it, carers, staff, managers and commissioners.',
				framework_version_id: version.id,
				organisation_id: null,
				created_by: owners[0]!.id,
				open_to_visitors: 1,
				share_code: 'demo-day-centre',
				results_visibility: 'respondents',
				threshold: 3,
				created_at: at(-160),
				updated_at: at(-160)
			})
			.execute();
		for (const owner of owners) {
			await trx
				.insertInto('assessment_owner')
				.values({ assessment_id: DEMO_ID, user_id: owner.id, added_at: at(-160) })
				.execute();
		}
		for (const [r, round] of ROUNDS.entries()) {
			const roundId = `${DEMO_ID}-round-${r + 1}`;
			await trx
				.insertInto('assessment_round')
				.values({
					id: roundId,
					assessment_id: DEMO_ID,
					number: r + 1,
					closes_at: at(round.closesInDays),
					closed_at: null,
					created_at: at(-round.daysAgo)
				})
				.execute();
			let n = 0;
			for (const [perspective, count] of round.people) {
				for (let i = 0; i < count; i++) {
					n++;
					const responseId = `${roundId}-r${n}`;
					const better = r * 0.3;
					const lean = LEANINGS[perspective];
					await trx
						.insertInto('assessment_response')
						.values({
							id: responseId,
							round_id: roundId,
							perspective,
							user_id: null,
							invitation_id: null,
							resume_hash: null,
							continuum:
								STAGES[Math.min(4, Math.max(0, Math.round((lean[0] ?? 2) - 0.5 + random())))] ??
								null,
							submitted_at: at(-round.daysAgo + 2),
							created_at: at(-round.daysAgo + 1),
							updated_at: at(-round.daysAgo + 2)
						})
						.execute();
					await trx
						.insertInto('assessment_answer')
						.values(
							statements.map((s) => {
								const roll = random();
								const base = (lean[s.position - 1] ?? 2) + better;
								// About one answer in twelve is "don't know".
								const rating =
									roll < 0.08
										? null
										: Math.min(4, Math.max(0, Math.round(base - 1 + random() * 2)));
								return {
									response_id: responseId,
									statement_id: s.id,
									dimension_id: s.dimension_id,
									rating
								};
							})
						)
						.execute();
				}
			}
		}
		const [first] = statements;
		if (first) {
			await trx
				.insertInto('assessment_comment')
				.values([
					{
						response_id: `${DEMO_ID}-round-2-r1`,
						dimension_id: first.dimension_id,
						comment: 'We are asked for our views, but we never hear what happened to them.'
					},
					{
						response_id: `${DEMO_ID}-round-2-r12`,
						dimension_id: first.dimension_id,
						comment: 'The user forum works well, but the same few people come each time.'
					}
				])
				.execute();
		}
	});
}
