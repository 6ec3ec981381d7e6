import {
	BAND_LABELS,
	displayScore,
	NOT_ANSWERED,
	NOT_ANSWERED_LABEL,
	SIDE_LABELS,
	STAGES,
	STAGE_LABELS,
	type Band,
	type ContinuumCounts
} from '$lib/server/assessments/scoring';
import type { AssessmentResultsView } from '$lib/server/assessments/results.service';

// What the results page shows, worked out on the server: whole numbers, bands and sentences in
// words. The page itself only lays them out (scoring.ts never reaches the browser).

/** A score as shown: the whole number, its band in words, and the unrounded score for charts. */
export interface ShownScore {
	raw: number;
	shown: number;
	/** The number beside a band: "60", or "just under 60" (see `scoreInWords`). */
	words: string;
	band: string;
}

function shownScore(score: number | null, band: Band | null): ShownScore | null {
	if (score === null || band === null) return null;
	const shown = displayScore(score);
	return { raw: score, shown, words: scoreInWords(score, shown), band: BAND_LABELS[band] };
}

/**
 * "60", or "just under 60" when a score shows as a band's lowest mark but is below it (59.67 is
 * in "Early steps" but shows as 60), so the number never seems to contradict the band.
 */
function scoreInWords(raw: number, shown: number): string {
	// The same tolerance as the bands, so floating-point noise under 60 is still 60.
	return [40, 60, 80].includes(shown) && raw < shown - 1e-9 ? `just under ${shown}` : String(shown);
}

/** "2 people", "1 person". */
export function people(count: number): string {
	return `${count.toLocaleString('en-GB')} ${count === 1 ? 'person' : 'people'}`;
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** The date a round stopped, or stops, taking answers, in the site's time zone. */
function dayOf(iso: string, timeZone: string): string {
	let format = formats.get(timeZone);
	if (!format) {
		// Making a format is slow (a quarter of a millisecond); using one is not.
		format = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone });
		formats.set(timeZone, format);
	}
	return format.format(new Date(iso));
}

function roundStatus(
	round: AssessmentResultsView['round'],
	now: Date,
	timeZone: string
): { open: boolean; text: string } {
	if (round.closedAt) return { open: false, text: `Closed on ${dayOf(round.closedAt, timeZone)}.` };
	// Rounds close at the start of the next day: the last day is the one just before.
	const lastDay = dayOf(new Date(new Date(round.closesAt).getTime() - 1).toISOString(), timeZone);
	return new Date(round.closesAt) > now
		? {
				open: true,
				text: `Still taking answers until the end of ${lastDay}. Its results appear when it closes.`
			}
		: { open: false, text: `Closed at the end of ${lastDay}.` };
}

const STAGE_KEYS = [...STAGES, NOT_ANSWERED] as const;

function stageList(counts: ContinuumCounts) {
	return STAGE_KEYS.map((key) => counts[key]);
}

/** The results page's figures, in words and whole numbers. */
export function presentResults(view: AssessmentResultsView, now: Date, timeZone: string) {
	const { results } = view;
	const everyone = results.everyone;
	const overall = shownScore(everyone.overall, everyone.band);
	const shownPerspectives = results.byPerspective.filter((p) => p.shown);

	const dimensions = everyone.dimensions.map((d, i) => ({
		id: d.id,
		title: d.title,
		everyone: shownScore(d.score, d.band),
		byPerspective: shownPerspectives.map((p) => {
			const own = p.dimensions[i]!;
			return shownScore(own.score, own.band);
		})
	}));

	const gaps = results.gaps.map((g) => {
		const size = g.gap === null ? null : displayScore(Math.abs(g.gap));
		return {
			id: g.dimensionId,
			title: g.title,
			lived: g.lived === null ? null : { raw: g.lived, shown: displayScore(g.lived) },
			professional:
				g.professional === null
					? null
					: { raw: g.professional, shown: displayScore(g.professional) },
			size,
			/** "38 points lower", from the side of people who use services and carers. */
			words:
				g.gap === null || size === null
					? null
					: size === 0
						? 'No gap'
						: `${size} ${size === 1 ? 'point' : 'points'} ${g.gap < 0 ? 'lower' : 'higher'}`,
			highlighted: g.highlighted,
			explanation: g.explanation,
			reason: g.reason
		};
	});

	const trend = view.trend && {
		rounds: view.trend.rounds.map((r) => ({
			number: r.number,
			respondents: r.respondents,
			reason: r.reason,
			overall: shownScore(r.overall, r.band)
		})),
		rows: [
			{
				id: 'overall',
				title: 'Overall',
				values: view.trend.rounds.map((r) => (r.overall === null ? null : r.overall))
			},
			...view.trend.dimensions.map((d, i) => ({
				id: d.id,
				title: d.title,
				values: view.trend!.rounds.map((r) => r.dimensions[i]?.score ?? null)
			}))
		].map((row) => {
			const given = row.values.filter((v): v is number => v !== null);
			const change =
				given.length >= 2 ? displayScore(given.at(-1)!) - displayScore(given[0]!) : null;
			return {
				...row,
				shown: row.values.map((v) => (v === null ? null : displayScore(v))),
				change
			};
		})
	};

	return {
		assessment: view.assessment,
		canManage: view.canManage,
		round: { number: view.round.number, ...roundStatus(view.round, now, timeZone) },
		rounds: view.rounds.map((r) => ({ number: r.number, current: r.id === view.round.id })),
		threshold: results.threshold,
		heldBack: results.heldBack !== null,
		everyone: {
			respondents: everyone.respondents,
			shown: everyone.shown,
			reason: everyone.reason,
			overall
		},
		perspectives: results.byPerspective.map((p) => ({
			key: p.perspective,
			label: p.label,
			respondents: p.respondents,
			reason: p.reason,
			overall: shownScore(p.overall, p.band)
		})),
		shownPerspectives: shownPerspectives.map((p) => ({ key: p.perspective, label: p.label })),
		dimensions,
		sides: {
			lived: { ...results.sides.lived, label: SIDE_LABELS.lived },
			professional: { ...results.sides.professional, label: SIDE_LABELS.professional }
		},
		gaps,
		strongest: results.strongest.map((d) => ({
			id: d.id,
			title: d.title,
			...shownScore(d.score, d.band)!
		})),
		weakest: view.weakest.map((d) => ({
			id: d.id,
			title: d.title,
			guidance: d.guidance,
			...shownScore(d.score, d.band)!
		})),
		continuum: {
			stages: STAGE_KEYS.map((key) =>
				key === NOT_ANSWERED ? NOT_ANSWERED_LABEL : STAGE_LABELS[key]
			),
			everyone: results.continuum.everyone && stageList(results.continuum.everyone),
			byPerspective: results.continuum.byPerspective.flatMap((p) =>
				p.counts ? [{ key: p.perspective, label: p.label, counts: stageList(p.counts) }] : []
			)
		},
		trend,
		comments: view.comments
	};
}

export type PresentedResults = ReturnType<typeof presentResults>;
