import type { Kysely } from 'kysely';
import type { SessionUser } from '../auth/auth.types';
import { canSeeSelfCheck } from './assessments.permissions';
import type { DB } from '../db/schema';
import type { FieldErrors, FormValues } from '../forms';
import { newId, nowIso } from '../ids';
import {
	BAND_LABELS,
	DONT_KNOW,
	STAGES,
	bandOf,
	displayScore,
	type Band,
	type Stage
} from './scoring';

/**
 * "On your own": anyone takes the check alone as a learning tool and sees their own profile.
 * Nothing is stored unless a signed-in member chooses to save it.
 */
export interface CheckFramework {
	versionId: string;
	number: number;
	dimensions: Array<{
		id: string;
		key: string;
		title: string;
		description: string;
		guidance: string;
		statements: Array<{ id: string; text: string }>;
	}>;
}

/** The current framework version, with its dimensions and statements in order. */
export async function currentCheckFramework(db: Kysely<DB>): Promise<CheckFramework> {
	const version = await db
		.selectFrom('framework_version')
		.select(['id', 'number'])
		.orderBy('number', 'desc')
		.limit(1)
		.executeTakeFirstOrThrow();
	return checkFrameworkOf(db, version);
}

/** One version of the framework (a saved check is scored with the version it was taken on). */
async function checkFrameworkOf(
	db: Kysely<DB>,
	version: { id: string; number: number }
): Promise<CheckFramework> {
	const rows = await db
		.selectFrom('framework_dimension as d')
		.innerJoin('framework_statement as s', 's.dimension_id', 'd.id')
		.select([
			'd.id as dimension_id',
			'd.key',
			'd.title',
			'd.description',
			'd.guidance',
			's.id as statement_id',
			's.text'
		])
		.where('d.version_id', '=', version.id)
		.orderBy('d.position')
		.orderBy('s.position')
		.execute();
	const dimensions: CheckFramework['dimensions'] = [];
	for (const row of rows) {
		let dimension = dimensions.at(-1);
		if (dimension?.id !== row.dimension_id) {
			dimension = {
				id: row.dimension_id,
				key: row.key,
				title: row.title,
				description: row.description,
				guidance: row.guidance,
				statements: []
			};
			dimensions.push(dimension);
		}
		dimension.statements.push({ id: row.statement_id, text: row.text });
	}
	return { versionId: version.id, number: version.number, dimensions };
}

/** Someone's answers: per statement 0–4, or null for "don't know"; unanswered ones are absent. */
export interface CheckAnswers {
	ratings: Record<string, number | null>;
	continuum: Stage | null;
}

/** Reads the form (`s-<statementId>` = 0…4 or dont-know; `continuum`); anything else is ignored. */
export function readCheckAnswers(framework: CheckFramework, values: FormValues): CheckAnswers {
	const ratings: Record<string, number | null> = {};
	for (const dimension of framework.dimensions) {
		for (const statement of dimension.statements) {
			const value = values[`s-${statement.id}`];
			if (value === DONT_KNOW) ratings[statement.id] = null;
			else if (typeof value === 'string' && /^[0-4]$/.test(value))
				ratings[statement.id] = Number(value);
		}
	}
	const stage = values.continuum;
	return {
		ratings,
		continuum:
			typeof stage === 'string' && (STAGES as readonly string[]).includes(stage)
				? (stage as Stage)
				: null
	};
}

export interface CheckProfile {
	answered: number;
	statements: number;
	dimensions: Array<{
		id: string;
		title: string;
		/** 0–100, or null when every answer was "don't know" or left out. */
		score: number | null;
		display: number | null;
		band: Band | null;
		bandLabel: string | null;
	}>;
	overall: number | null;
	overallBand: Band | null;
	overallLabel: string | null;
	strongest: Array<{ id: string; title: string; display: number }>;
	weakest: Array<{ id: string; title: string; display: number; guidance: string }>;
}

/**
 * One person's profile, scored as docs/assessment.md says for a single respondent: a dimension's
 * score is the mean of its counted ratings × 25; the overall score the mean of the dimensions
 * that have one.
 */
export function profileOf(framework: CheckFramework, answers: CheckAnswers): CheckProfile {
	let answered = 0;
	let statements = 0;
	const dimensions = framework.dimensions.map((dimension) => {
		const counted: number[] = [];
		for (const statement of dimension.statements) {
			statements++;
			if (statement.id in answers.ratings) answered++;
			const rating = answers.ratings[statement.id];
			if (typeof rating === 'number') counted.push(rating);
		}
		const score = counted.length
			? (counted.reduce((a, b) => a + b, 0) / counted.length) * 25
			: null;
		const band = score === null ? null : bandOf(score);
		return {
			id: dimension.id,
			title: dimension.title,
			guidance: dimension.guidance,
			position: framework.dimensions.indexOf(dimension),
			score,
			display: score === null ? null : displayScore(score),
			band,
			bandLabel: band ? BAND_LABELS[band] : null
		};
	});
	const scored = dimensions.filter((d) => d.score !== null) as Array<
		(typeof dimensions)[number] & { score: number; display: number }
	>;
	const overall = scored.length ? scored.reduce((n, d) => n + d.score, 0) / scored.length : null;
	const overallBand = overall === null ? null : bandOf(overall);
	const byScore = [...scored].sort((a, b) => b.score - a.score || a.position - b.position);
	const lowFirst = [...scored].sort((a, b) => a.score - b.score || a.position - b.position);
	const twoOrFewer = Math.min(2, Math.floor(scored.length / 2));
	return {
		answered,
		statements,
		dimensions: dimensions.map(({ guidance, position, ...d }) => (void guidance, void position, d)),
		overall,
		overallBand,
		overallLabel: overallBand ? BAND_LABELS[overallBand] : null,
		strongest: byScore
			.slice(0, twoOrFewer)
			.map((d) => ({ id: d.id, title: d.title, display: d.display })),
		weakest: lowFirst
			.slice(0, twoOrFewer)
			.map((d) => ({ id: d.id, title: d.title, display: d.display, guidance: d.guidance }))
	};
}

export const LABEL_MAX = 150;

/** A signed-in member keeps their check (they can download or delete it with their data). */
export async function saveSelfCheck(
	db: Kysely<DB>,
	member: SessionUser,
	framework: CheckFramework,
	answers: CheckAnswers,
	label: string,
	now = nowIso()
): Promise<{ ok: true; id: string } | { ok: false; errors: FieldErrors }> {
	const trimmed = label.trim();
	if (trimmed.length > LABEL_MAX) {
		return { ok: false, errors: { label: `Keep the name to ${LABEL_MAX} characters or fewer` } };
	}
	if (Object.keys(answers.ratings).length === 0) {
		return { ok: false, errors: { form: 'Answer at least one statement before saving.' } };
	}
	const id = newId();
	await db
		.insertInto('self_check')
		.values({
			id,
			user_id: member.id,
			framework_version_id: framework.versionId,
			label: trimmed || null,
			answers: JSON.stringify(answers),
			created_at: now
		})
		.execute();
	return { ok: true, id };
}

/** The member's saved checks, newest first. */
export async function listSelfChecks(db: Kysely<DB>, member: SessionUser) {
	return db
		.selectFrom('self_check')
		.select(['id', 'label', 'created_at'])
		.where('user_id', '=', member.id)
		.orderBy('created_at', 'desc')
		.limit(50)
		.execute();
}

export interface SavedCheckView {
	id: string;
	label: string | null;
	createdAt: string;
	frameworkNumber: number;
	/** The framework's current version is newer than the one this check was taken on. */
	olderFramework: boolean;
	profile: CheckProfile;
}

/**
 * A check the member saved, scored again from its answers with the framework version it was
 * taken on. Undefined when there is no such check or it is someone else's: a saved check is
 * private, so another person cannot even learn that it exists.
 */
export async function viewSavedCheck(
	db: Kysely<DB>,
	member: SessionUser,
	id: string
): Promise<SavedCheckView | undefined> {
	const row = await db
		.selectFrom('self_check as c')
		.innerJoin('framework_version as v', 'v.id', 'c.framework_version_id')
		.select([
			'c.id',
			'c.user_id',
			'c.label',
			'c.answers',
			'c.created_at',
			'v.id as version_id',
			'v.number as version_number',
			(eb) =>
				eb
					.selectFrom('framework_version')
					.select((x) => x.fn.max('number').as('n'))
					.as('latest')
		])
		.where('c.id', '=', id)
		.executeTakeFirst();
	if (!row || !canSeeSelfCheck(member, row)) return undefined;
	const framework = await checkFrameworkOf(db, { id: row.version_id, number: row.version_number });
	const answers = JSON.parse(row.answers) as CheckAnswers;
	return {
		id: row.id,
		label: row.label,
		createdAt: row.created_at,
		frameworkNumber: row.version_number,
		olderFramework: Number(row.latest) > row.version_number,
		profile: profileOf(framework, answers)
	};
}
