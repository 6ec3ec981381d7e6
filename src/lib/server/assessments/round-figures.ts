import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { countContinuum, listRoundComments } from './assessments.repository';
import type { AssessmentRound } from './assessments.tables';
import { countRespondentsByRound, meanScoresByRound } from './results.repository';

/**
 * The grouped figures of rounds, as SQL gives them, kept in memory once a round has closed.
 *
 * Working out the mean scores reads every answer of the round (about 50 ms at 5,000 responses),
 * and the results page is read far more often than a round changes. A closed round takes no
 * more answers, so its figures change only when someone deletes their answers with their
 * account. The number of responses per perspective, read fresh on every request (well under a
 * millisecond), is the cache's check: any deletion changes it, and every app instance sees
 * that on its own, with no message between them. Open rounds are never cached, and their means
 * are not read at all, because their results are held back.
 */

type Counts = Array<{ perspective: string; respondents: number }>;
type Means = Array<{ perspective: string; dimensionId: string; meanScore: number; scored: number }>;
type Continuum = Array<{ perspective: string; stage: string | null; count: number }>;
type Comments = Array<{ dimension_id: string; comment: string }>;

export interface RoundFigures {
	perspectives: Counts;
	/** Empty for a round that is still open. */
	means: Means;
	/** Empty for a round that is still open. */
	continuum: Continuum;
	/** What people wrote, without who or when; empty for a round that is still open. */
	comments: Comments;
}

/** How many closed rounds are kept; each is a few dozen rows. */
const CACHE_SIZE = 500;

interface Kept {
	stamp: string;
	means: Means;
	continuum: Continuum;
	comments: Comments;
}

const cache = new Map<string, Kept>();

function stampOf(counts: Counts): string {
	return counts
		.map((c) => `${c.perspective}=${c.respondents}`)
		.sort()
		.join(',');
}

const inFlight = new Map<string, Promise<Map<string, Kept>>>();

/** Reads closed rounds' means and continuum answers, and keeps them. */
async function readRounds(
	db: Kysely<DB>,
	roundIds: string[],
	countsOf: ReadonlyMap<string, Counts>
): Promise<Map<string, Kept>> {
	// A miss happens once per closed round, so one small query each is fine.
	const [means, continua, comments] = await Promise.all([
		meanScoresByRound(db, roundIds),
		Promise.all(roundIds.map((id) => countContinuum(db, id))),
		Promise.all(roundIds.map((id) => listRoundComments(db, id)))
	]);
	const read = new Map<string, Kept>();
	roundIds.forEach((id, i) => {
		const entry: Kept = {
			stamp: stampOf(countsOf.get(id)!),
			means: means
				.filter((m) => m.roundId === id)
				.map(({ perspective, dimensionId, meanScore, scored }) => ({
					perspective,
					dimensionId,
					meanScore,
					scored
				})),
			continuum: continua[i]!,
			comments: comments[i]!
		};
		cache.delete(id);
		cache.set(id, entry);
		if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
		read.set(id, entry);
	});
	return read;
}

/** For tests and benchmarks: forget every cached round. */
export function clearRoundFigures(): void {
	cache.clear();
}

/**
 * The figures of each round (keyed by id). `isOpen` says which rounds still take answers: for
 * those only the counts are read.
 */
export async function roundFigures(
	db: Kysely<DB>,
	rounds: readonly AssessmentRound[],
	isOpen: (round: AssessmentRound) => boolean
): Promise<Map<string, RoundFigures>> {
	const counts = await countRespondentsByRound(
		db,
		rounds.map((r) => r.id)
	);
	const countsOf = new Map<string, Counts>(rounds.map((r) => [r.id, []]));
	for (const c of counts)
		countsOf.get(c.roundId)?.push({ perspective: c.perspective, respondents: c.respondents });

	const figures = new Map<string, RoundFigures>();
	const missing: string[] = [];
	for (const round of rounds) {
		const perspectives = countsOf.get(round.id)!;
		if (isOpen(round)) {
			figures.set(round.id, { perspectives, means: [], continuum: [], comments: [] });
			continue;
		}
		const cached = cache.get(round.id);
		if (cached && cached.stamp === stampOf(perspectives))
			figures.set(round.id, { perspectives, ...cached });
		else missing.push(round.id);
	}
	if (missing.length === 0) return figures;

	// Many readers arriving together at a round not yet kept share one reading of it.
	const flightKey = missing
		.map((id) => `${id}:${stampOf(countsOf.get(id)!)}`)
		.sort()
		.join('|');
	let flight = inFlight.get(flightKey);
	if (!flight) {
		flight = readRounds(db, missing, countsOf).finally(() => inFlight.delete(flightKey));
		inFlight.set(flightKey, flight);
	}
	for (const [id, entry] of await flight)
		figures.set(id, { ...entry, perspectives: countsOf.get(id)! });
	return figures;
}
