import type { Kysely } from 'kysely';
import { z } from 'zod';
import { assertCan, type Actor } from '../auth/auth.permissions';
import type { DB } from '../db/schema';
import { isUniqueViolation } from '../db/errors';
import type { FieldErrors, FormValues } from '../forms';
import { newId } from '../ids';
import { canEditFramework } from './assessments.permissions';
import type {
	FrameworkDimension,
	FrameworkStatement,
	FrameworkVersion
} from './assessments.tables';
import {
	findCurrentVersion,
	findVersionById,
	insertVersion,
	listDimensions,
	listStatements
} from './framework.repository';

export const FRAMEWORK_NOTE_MAX = 500;
export const DIMENSION_TITLE_MAX = 150;
export const DIMENSION_TEXT_MAX = 2_000;
export const STATEMENT_MAX = 500;

/** A version of the framework with its dimensions and their statements, in order. */
export interface Framework {
	version: FrameworkVersion;
	dimensions: Array<FrameworkDimension & { statements: FrameworkStatement[] }>;
}

async function frameworkOf(db: Kysely<DB>, version: FrameworkVersion): Promise<Framework> {
	const [dimensions, statements] = await Promise.all([
		listDimensions(db, version.id),
		listStatements(db, version.id)
	]);
	return {
		version,
		dimensions: dimensions.map((d) => ({
			...d,
			statements: statements.filter((s) => s.dimension_id === d.id)
		}))
	};
}

/** The framework new assessments use: the highest version. */
export async function currentFramework(db: Kysely<DB>): Promise<Framework> {
	const version = await findCurrentVersion(db);
	// The migration seeds version 1, so there is always one.
	if (!version) throw new Error('No framework version: has the database been migrated?');
	return frameworkOf(db, version);
}

/** One version of the framework (an assessment keeps the one it started with). */
export async function frameworkVersion(
	db: Kysely<DB>,
	versionId: string
): Promise<Framework | undefined> {
	const version = await findVersionById(db, versionId);
	return version && frameworkOf(db, version);
}

const required = (label: string, max: number) =>
	z
		.string({ error: `Enter the ${label}` })
		.trim()
		.min(1, `Enter the ${label}`)
		.max(max, `The ${label} must be ${max.toLocaleString('en-GB')} characters or fewer`);

const noteSchema = required('note saying what changed', FRAMEWORK_NOTE_MAX);

export type EditFrameworkResult =
	| { ok: true; framework: Framework }
	| { ok: false; reason: 'invalid'; errors: FieldErrors }
	| { ok: false; reason: 'stale' };

/**
 * A curator's edit: a new version, copied from the current one with the changes. Fields (all
 * optional but `note`): `basedOn` (the version the form showed; refused as 'stale' if another
 * edit came first), `title-<key>`, `description-<key>`, `guidance-<key>` for a dimension by its
 * key, `statement-<statementId>` for a statement of the current version. Keys stay, so rounds
 * on different versions can be compared; existing assessments keep their version.
 */
export async function editFramework(
	db: Kysely<DB>,
	actor: Actor | null,
	values: FormValues,
	now = new Date()
): Promise<EditFrameworkResult> {
	assertCan(canEditFramework(actor), 'Only curators can change the co-production framework.');
	const text = (name: string) => {
		const v = values[name];
		return Array.isArray(v) ? v[0] : v;
	};
	const current = await currentFramework(db);
	const basedOn = text('basedOn');
	if (basedOn && basedOn !== current.version.id) return { ok: false, reason: 'stale' };

	const errors: FieldErrors = {};
	const pick = (name: string, label: string, max: number, old: string): string => {
		const given = text(name);
		if (given === undefined) return old;
		const parsed = required(label, max).safeParse(given);
		if (parsed.success) return parsed.data;
		errors[name] ??= parsed.error.issues[0]!.message;
		return old;
	};
	const note = noteSchema.safeParse(text('note') ?? '');
	if (!note.success) errors.note = note.error.issues[0]!.message;

	const versionId = newId();
	const dimensions = current.dimensions.map((d) => ({
		old: d,
		row: {
			id: newId(),
			version_id: versionId,
			key: d.key,
			kind: d.kind,
			position: d.position,
			title: pick(`title-${d.key}`, 'title', DIMENSION_TITLE_MAX, d.title),
			description: pick(`description-${d.key}`, 'description', DIMENSION_TEXT_MAX, d.description),
			guidance: pick(`guidance-${d.key}`, 'guidance', DIMENSION_TEXT_MAX, d.guidance)
		}
	}));
	const statements = dimensions.flatMap(({ old, row }) =>
		old.statements.map((s) => ({
			id: newId(),
			dimension_id: row.id,
			position: s.position,
			text: pick(`statement-${s.id}`, 'statement', STATEMENT_MAX, s.text)
		}))
	);
	if (!note.success || Object.keys(errors).length) return { ok: false, reason: 'invalid', errors };

	const version: FrameworkVersion = {
		id: versionId,
		number: current.version.number + 1,
		name: current.version.name,
		note: note.data,
		created_by: actor && 'id' in actor ? actor.id : null,
		created_at: now.toISOString()
	};
	try {
		await db.transaction().execute(async (trx) => {
			// Another edit committed since we read the current version: theirs wins.
			const latest = await findCurrentVersion(trx);
			if (latest?.id !== current.version.id) throw new StaleEdit();
			await insertVersion(
				trx,
				version,
				dimensions.map((d) => d.row),
				statements
			);
		});
	} catch (caught) {
		if (caught instanceof StaleEdit || isUniqueViolation(caught))
			return { ok: false, reason: 'stale' };
		throw caught;
	}
	return { ok: true, framework: await frameworkOf(db, version) };
}

class StaleEdit extends Error {}
