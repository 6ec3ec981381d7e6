// The benchmark's co-production check: one assessment on the current framework version, owned
// by one member, with one closed round and `responses` submitted responses from every
// perspective (about 40 % from the lived side: people who use services and carers). Each
// response rates all the framework's statements, with about 6 % "don't know" (a null rating)
// and about 3 % left unanswered (no row), answers the continuum question (one in ten skip it),
// and about 3 % leave a comment or two. A further 5 % were started and never submitted, as on
// a real round, so the results' "submitted only" conditions have something to leave out.
//
// The same `responses` always gives the same mix (a seeded pseudo-random sequence); only ids
// and dates (counted from `now`) differ. Rows go in with multi-row inserts inside the caller's
// transaction.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../src/lib/server/db/schema';
import type { Perspective } from '../src/lib/server/assessments/scoring';
import { newId } from '../src/lib/server/ids';

/** Rows per multi-row insert: 4 columns × 1,000 answers stays far below both engines' limits. */
const BATCH = 1_000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Share of responses per perspective (sums to 1); lived side 40 %. */
const MIX: Array<[Perspective, number]> = [
	['uses-services', 0.26],
	['carer', 0.14],
	['frontline', 0.22],
	['manager', 0.12],
	['commissioner', 0.06],
	['partner', 0.12],
	['other', 0.08]
];

/** How each perspective tends to rate (0–4): the lived side lower, so a gap shows. */
const LEANING: Record<Perspective, number> = {
	'uses-services': 1.5,
	carer: 1.6,
	frontline: 2.5,
	manager: 3.0,
	commissioner: 2.8,
	partner: 2.3,
	other: 2.0
};

const STAGES = ['informing', 'consulting', 'engaging', 'co-designing', 'co-producing'];

const COMMENTS = [
	'We are asked for our views, but we rarely hear what happened to them.',
	'The forum works well, but the same few people come each time.',
	'Meetings are in the daytime, which is hard for carers who work.',
	'Staff listen, but decisions seem to be made somewhere else.',
	'Papers arrive too late to read before the meeting.'
];

/** A small fast pseudo-random generator (mulberry32), so every run seeds the same mix. */
function random(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

async function inBatches<T>(rows: T[], insert: (batch: T[]) => Promise<unknown>): Promise<void> {
	for (let i = 0; i < rows.length; i += BATCH) await insert(rows.slice(i, i + BATCH));
}

export interface BenchAssessment {
	assessmentId: string;
	roundId: string;
	/** Submitted responses. */
	responses: number;
	/** Responses started and never submitted (not counted in the results). */
	unsubmitted: number;
	answers: number;
	comments: number;
	statements: number;
}

/**
 * Inserts the bench's assessment. `respondentIds` are members who answer as themselves (at most
 * one response each); the other responses are from visitors.
 */
export async function insertBenchAssessment(
	trx: Kysely<DB> | Transaction<DB>,
	options: { ownerId: string; responses: number; respondentIds: string[]; now: string }
): Promise<BenchAssessment> {
	const next = random(4_2026);
	const nowMs = Date.parse(options.now);
	const at = (days: number) => new Date(nowMs + days * DAY_MS).toISOString();
	const version = await trx
		.selectFrom('framework_version')
		.select('id')
		.orderBy('number', 'desc')
		.limit(1)
		.executeTakeFirstOrThrow();
	const statements = await trx
		.selectFrom('framework_statement as s')
		.innerJoin('framework_dimension as d', 'd.id', 's.dimension_id')
		.select(['s.id', 's.dimension_id', 'd.position'])
		.where('d.version_id', '=', version.id)
		.orderBy('d.position')
		.orderBy('s.position')
		.execute();
	const dimensionIds = [...new Set(statements.map((s) => s.dimension_id))];

	const assessmentId = newId();
	const roundId = newId();
	await trx
		.insertInto('assessment')
		.values({
			id: assessmentId,
			title: 'Bench assessment: the borough’s adult social care',
			description: 'How co-produced is adult social care? Everyone involved answers.',
			framework_version_id: version.id,
			organisation_id: null,
			created_by: options.ownerId,
			open_to_visitors: 1,
			share_code: newId(),
			results_visibility: 'owners',
			threshold: 3,
			created_at: at(-40),
			updated_at: at(-40)
		})
		.execute();
	await trx
		.insertInto('assessment_owner')
		.values({ assessment_id: assessmentId, user_id: options.ownerId, added_at: at(-40) })
		.execute();
	await trx
		.insertInto('assessment_round')
		.values({
			id: roundId,
			assessment_id: assessmentId,
			number: 1,
			// Closed two days ago: an open round's results are held back, so only a closed
			// round's page does the work the bench measures.
			closes_at: at(-2),
			closed_at: null,
			created_at: at(-30)
		})
		.execute();

	const unsubmitted = Math.round(options.responses * 0.05);
	const total = options.responses + unsubmitted;
	const responses = [];
	const answers = [];
	const comments = [];
	for (let i = 0; i < total; i++) {
		const submitted = i < options.responses;
		let roll = next();
		const perspective = (MIX.find(([, share]) => (roll -= share) < 0) ?? MIX[0]!)[0];
		const lean = LEANING[perspective];
		const id = newId();
		const started = -30 + next() * 27;
		responses.push({
			id,
			round_id: roundId,
			perspective,
			// Every other response is from a member answering as themselves, while there are any.
			user_id: i % 2 === 0 ? (options.respondentIds[i / 2] ?? null) : null,
			invitation_id: null,
			resume_hash: null,
			continuum:
				next() < 0.1
					? null
					: (STAGES[Math.min(4, Math.max(0, Math.round(lean - 1 + next() * 2)))] ?? null),
			submitted_at: submitted ? at(started + 0.01) : null,
			created_at: at(started),
			updated_at: at(started + 0.01)
		});
		// An unfinished response has answered the first part of the form.
		const answered = submitted ? statements : statements.slice(0, 10);
		for (const s of answered) {
			const r = next();
			if (r < 0.03) continue;
			const rating =
				r < 0.09 ? null : Math.min(4, Math.max(0, Math.round(lean - 1.2 + next() * 2.4)));
			answers.push({ response_id: id, statement_id: s.id, dimension_id: s.dimension_id, rating });
		}
		if (submitted && next() < 0.03) {
			const first = Math.floor(next() * dimensionIds.length);
			const count = next() < 0.3 ? 2 : 1;
			for (let k = 0; k < count; k++) {
				const dimensionId = dimensionIds[(first + k) % dimensionIds.length];
				if (dimensionId)
					comments.push({
						response_id: id,
						dimension_id: dimensionId,
						comment: COMMENTS[Math.floor(next() * COMMENTS.length)] ?? COMMENTS[0]!
					});
			}
		}
	}
	await inBatches(responses, (batch) =>
		trx.insertInto('assessment_response').values(batch).execute()
	);
	await inBatches(answers, (batch) => trx.insertInto('assessment_answer').values(batch).execute());
	await inBatches(comments, (batch) =>
		trx.insertInto('assessment_comment').values(batch).execute()
	);
	return {
		assessmentId,
		roundId,
		responses: options.responses,
		unsubmitted,
		answers: answers.length,
		comments: comments.length,
		statements: statements.length
	};
}
