import type { Kysely } from 'kysely';
import { z } from 'zod';
import { assertCan, type Actor } from '../auth/auth.permissions';
import { changeContent } from '../cache/content-version';
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
	listStatements,
	listVersions,
	type VersionSummary
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

/** `what` names the field in its messages: "the title of area 2", "statement 3 of area 2". */
const required = (what: string, max: number, empty = `Enter ${what}`) =>
	z
		.string({ error: empty })
		.trim()
		.min(1, empty)
		.max(
			max,
			`${what[0]!.toUpperCase()}${what.slice(1)} must be ${max.toLocaleString('en-GB')} characters or fewer`
		);

const noteSchema = required(
	'the note saying what changed',
	FRAMEWORK_NOTE_MAX,
	'Say what changed, so others can follow the history'
);

/** How many earlier versions the history shows. */
export const HISTORY_LIMIT = 20;

/** The dimension fields a curator edits, with the words their messages use. */
const DIMENSION_FIELDS = [
	{ field: 'title', label: 'the title of', max: DIMENSION_TITLE_MAX },
	{ field: 'description', label: 'the description of', max: DIMENSION_TEXT_MAX },
	{ field: 'guidance', label: 'the suggestions for', max: DIMENSION_TEXT_MAX }
] as const;

export type EditFrameworkResult =
	| { ok: true; framework: Framework }
	| { ok: false; reason: 'invalid'; errors: FieldErrors }
	| ({ ok: false; reason: 'stale' } & RebasedEdit);

/**
 * An edit made on a version that is no longer current, moved onto the current one: `values`
 * use the current version's field names and `basedOn`; a field the person left as it was
 * takes the newer wording, a field they changed keeps theirs. `theirs` gives, by field name,
 * the newer wording of each field both they and someone else changed.
 */
export interface RebasedEdit {
	current: FrameworkVersion;
	values: FormValues;
	theirs: Record<string, string>;
}

function textOf(values: FormValues, name: string): string | undefined {
	const v = values[name];
	return Array.isArray(v) ? v[0] : v;
}

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
	const text = (name: string) => textOf(values, name);
	const current = await currentFramework(db);
	const basedOn = text('basedOn');
	if (basedOn && basedOn !== current.version.id)
		return { ok: false, reason: 'stale', ...(await rebaseEdit(db, values, basedOn, current)) };

	const errors: FieldErrors = {};
	const pick = (name: string, what: string, max: number, old: string): string => {
		const given = text(name);
		if (given === undefined) return old;
		const parsed = required(what, max).safeParse(given);
		if (parsed.success) return parsed.data;
		errors[name] ??= parsed.error.issues[0]!.message;
		return old;
	};
	const note = noteSchema.safeParse(text('note') ?? '');
	if (!note.success) errors.note = note.error.issues[0]!.message;

	const versionId = newId();
	const dimensions = current.dimensions.map((d) => {
		const [title, description, guidance] = DIMENSION_FIELDS.map(({ field, label, max }) =>
			pick(`${field}-${d.key}`, `${label} area ${d.position}`, max, d[field])
		) as [string, string, string];
		return {
			old: d,
			row: {
				id: newId(),
				version_id: versionId,
				key: d.key,
				kind: d.kind,
				position: d.position,
				title,
				description,
				guidance
			}
		};
	});
	const statements = dimensions.flatMap(({ old, row }) =>
		old.statements.map((s) => ({
			id: newId(),
			dimension_id: row.id,
			position: s.position,
			text: pick(
				`statement-${s.id}`,
				`statement ${s.position} of area ${old.position}`,
				STATEMENT_MAX,
				s.text
			)
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
		// The self-check page shows the current version to visitors, so their cached copy goes.
		await changeContent(db, async (trx) => {
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
		if (caught instanceof StaleEdit || isUniqueViolation(caught)) {
			const newer = await currentFramework(db);
			return {
				ok: false,
				reason: 'stale',
				...(await rebaseEdit(db, values, current.version.id, newer))
			};
		}
		throw caught;
	}
	return { ok: true, framework: await frameworkOf(db, version) };
}

class StaleEdit extends Error {}

/**
 * Moves an edit made on version `basedOnId` onto `current`, so nobody's work is lost: what the
 * person changed stays, what they left alone takes the newer wording. Statements are matched by
 * their dimension's key and their position, since ids change with each version.
 */
async function rebaseEdit(
	db: Kysely<DB>,
	values: FormValues,
	basedOnId: string,
	current: Framework
): Promise<RebasedEdit> {
	const base = await frameworkVersion(db, basedOnId);
	const out: FormValues = { basedOn: current.version.id };
	const note = textOf(values, 'note');
	if (note !== undefined) out.note = note;
	const theirs: Record<string, string> = {};
	const merge = (from: string, to: string, was: string | undefined, now: string) => {
		const typed = textOf(values, from);
		if (typed === undefined) return;
		// Unknown base: nothing to compare with, so keep what was typed and show theirs if it differs.
		const changedHere = was === undefined || typed.trim() !== was;
		if (!changedHere) out[to] = now;
		else {
			out[to] = typed;
			if (was !== now && typed.trim() !== now) theirs[to] = now;
		}
	};
	for (const d of current.dimensions) {
		const was = base?.dimensions.find((b) => b.key === d.key);
		for (const { field } of DIMENSION_FIELDS) {
			const name = `${field}-${d.key}`;
			merge(name, name, was?.[field], d[field]);
		}
		for (const s of d.statements) {
			const old = was?.statements.find((b) => b.position === s.position);
			if (old) merge(`statement-${old.id}`, `statement-${s.id}`, old.text, s.text);
		}
	}
	return { current: current.version, values: out, theirs };
}

/** The latest versions, newest first, with the name of who saved each (for curators only). */
export async function listFrameworkVersions(
	db: Kysely<DB>,
	actor: Actor | null,
	limit = HISTORY_LIMIT
): Promise<VersionSummary[]> {
	assertCan(canEditFramework(actor), 'Only curators can see who changed the framework.');
	return listVersions(db, limit);
}
