import type { Kysely } from 'kysely';
import { isPostgres } from '../db/database';
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
 * are not read at all, because their results are held back. Comments, which only owners read,
 * are kept apart (`roundComments`): fewer rounds, and none whose comments are very long.
 */

type Counts = Array<{ perspective: string; respondents: number }>;
type Means = Array<{ perspective: string; dimensionId: string; meanScore: number; scored: number }>;
type Continuum = Array<{ perspective: string; stage: string | null; count: number }>;

export interface RoundFigures {
	perspectives: Counts;
	/** Empty for a round that is still open. */
	means: Means;
	/** Empty for a round that is still open. */
	continuum: Continuum;
}

/** How many closed rounds are kept; each is a few dozen grouped rows. */
const CACHE_SIZE = 500;

interface Kept extends RoundFigures {
	stamp: string;
}

const cache = new Map<string, Kept>();
const inFlight = new Map<string, Promise<Map<string, Kept>>>();

function stampOf(counts: Counts): string {
	return counts
		.map((c) => `${c.perspective}=${c.respondents}`)
		.sort()
		.join(',');
}

function countsByRound(
	roundIds: readonly string[],
	rows: Awaited<ReturnType<typeof countRespondentsByRound>>
): Map<string, Counts> {
	const counts = new Map<string, Counts>(roundIds.map((id) => [id, []]));
	for (const c of rows)
		counts.get(c.roundId)?.push({ perspective: c.perspective, respondents: c.respondents });
	return counts;
}

/**
 * Reads closed rounds' counts, means and continuum answers from one snapshot (so a deletion
 * between two queries cannot pair a count with means from other people), and keeps them.
 */
async function readRounds(db: Kysely<DB>, roundIds: string[]): Promise<Map<string, Kept>> {
	let transaction = db.transaction();
	if (isPostgres(db)) transaction = transaction.setIsolationLevel('repeatable read');
	const [counts, means, continua] = await transaction.execute(async (trx) => {
		const counts = await countRespondentsByRound(trx, roundIds);
		const means = await meanScoresByRound(trx, roundIds);
		// A miss happens once per closed round, so one small query each is fine.
		const continua = [];
		for (const id of roundIds) continua.push(await countContinuum(trx, id));
		return [countsByRound(roundIds, counts), means, continua] as const;
	});
	const read = new Map<string, Kept>();
	roundIds.forEach((id, i) => {
		const perspectives = counts.get(id)!;
		const entry: Kept = {
			stamp: stampOf(perspectives),
			perspectives,
			means: means
				.filter((m) => m.roundId === id)
				.map(({ perspective, dimensionId, meanScore, scored }) => ({
					perspective,
					dimensionId,
					meanScore,
					scored
				})),
			continuum: continua[i]!
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
	keptComments.clear();
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
	const ids = rounds.map((r) => r.id);
	const counts = countsByRound(ids, await countRespondentsByRound(db, ids));

	const figures = new Map<string, RoundFigures>();
	const missing: string[] = [];
	for (const round of rounds) {
		const perspectives = counts.get(round.id)!;
		if (isOpen(round)) {
			figures.set(round.id, { perspectives, means: [], continuum: [] });
			continue;
		}
		const cached = cache.get(round.id);
		if (cached && cached.stamp === stampOf(perspectives)) figures.set(round.id, cached);
		else missing.push(round.id);
	}
	if (missing.length === 0) return figures;

	// Many readers arriving together at a round not yet kept share one reading of it.
	const flightKey = missing
		.map((id) => `${id}:${stampOf(counts.get(id)!)}`)
		.sort()
		.join('|');
	let flight = inFlight.get(flightKey);
	if (!flight) {
		flight = readRounds(db, missing).finally(() => inFlight.delete(flightKey));
		inFlight.set(flightKey, flight);
	}
	for (const [id, entry] of await flight) figures.set(id, entry);
	return figures;
}

type Comments = Array<{ dimension_id: string; comment: string }>;

/** How many closed rounds' comments are kept, and the most text kept for one round. */
const COMMENTS_KEPT = 50;
const COMMENTS_MAX_CHARS = 200_000;

const keptComments = new Map<string, { stamp: string; comments: Comments }>();

/**
 * A closed round's comments (text and area only), kept like its figures and checked against
 * the same per-perspective counts; a round with a great deal of text is read each time instead.
 */
export async function roundComments(
	db: Kysely<DB>,
	roundId: string,
	perspectives: Counts
): Promise<Comments> {
	const stamp = stampOf(perspectives);
	const kept = keptComments.get(roundId);
	if (kept && kept.stamp === stamp) return kept.comments;
	const comments = await listRoundComments(db, roundId);
	const size = comments.reduce((n, c) => n + c.comment.length, 0);
	if (size <= COMMENTS_MAX_CHARS) {
		keptComments.delete(roundId);
		keptComments.set(roundId, { stamp, comments });
		if (keptComments.size > COMMENTS_KEPT) keptComments.delete(keptComments.keys().next().value!);
	}
	return comments;
}
