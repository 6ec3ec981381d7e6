import type { Kysely, Transaction } from 'kysely';
import { recordAudit } from '../audit/audit.service';
import { assertCan, isPerson, type Actor } from '../auth/auth.permissions';
import { changeContent } from '../cache/content-version';
import type { DB } from '../db/schema';
import { isUniqueViolation } from '../db/errors';
import type { FieldErrors } from '../forms';
import { newId, nowIso } from '../ids';
import { renderMarkdown } from '../markdown';
import {
	hiddenByModeration,
	isCommentHidden,
	postingSuspendedUntil
} from '../moderation/moderation.service';
import { refreshSearchDocument } from '../search/search.repository';
import { notify } from '../notifications/notifications.service';
import { listOrganisationsOfPerson } from '../organisations/organisations.service';
import {
	consumeRateLimit,
	describeWait,
	type RateLimitRule
} from '../rate-limit/rate-limit.service';
import {
	canChangeComment,
	canEndorseForOrganisation,
	canFacilitateStatement,
	canStartStatement,
	canTakePart,
	canWithdrawAmendment
} from './statements.permissions';
import {
	clausesOf,
	commentsOf,
	endorsementRows,
	findAmendment,
	findClause,
	findComment,
	findSection,
	findStatement,
	findVersion,
	insertSnapshot,
	listAmendmentRows,
	listVersionRows,
	sectionsOf,
	supportersOf,
	type AmendmentRow
} from './statements.repository';
import type { AmendmentInput, CommentInput, EndorseInput, StartInput } from './statements.schema';
import { STATEMENT_SEARCH } from './statements.search';
import type { AmendmentKind, AmendmentStatus, StatementClause } from './statements.tables';
import {
	parseDraft,
	tidyClause,
	wordDiff,
	type ParsedDraft,
	type WordPart
} from './statements.text';

type Db = Kysely<DB>;

/** The network's one shared statement lives at /statement with this slug. */
export const STATEMENT_SLUG = 'statement';
/** Amendments one person may propose: 10 an hour. */
export const AMENDMENT_RATE: RateLimitRule = { limit: 10, windowSeconds: 3600 };
/** Comments one person may post on amendments: 30 an hour. */
export const COMMENT_RATE: RateLimitRule = { limit: 30, windowSeconds: 3600 };
/** Endorsements one person may sign: 20 an hour. */
export const ENDORSE_RATE: RateLimitRule = { limit: 20, windowSeconds: 3600 };

export const STATUS_LABELS: Record<AmendmentStatus, string> = {
	open: 'Open for comments and support',
	agreed: 'Agreed',
	'not-agreed': 'Not agreed',
	withdrawn: 'Withdrawn by its author',
	outdated: 'Outdated: the clause changed in a newer version'
};

export const KIND_LABELS: Record<AmendmentKind, string> = {
	change: 'Change the words of a clause',
	delete: 'Remove a clause',
	add: 'Add a new clause'
};

export type Invalid = { ok: false; reason: 'invalid'; errors: FieldErrors };
export type NotFound = { ok: false; reason: 'not-found' };
export type RateLimited = { ok: false; reason: 'rate-limited'; retryAfterSeconds: number };

const invalid = (errors: FieldErrors): Invalid => ({ ok: false, reason: 'invalid', errors });

export function describeRateLimit(what: string, retryAfterSeconds: number): string {
	return `You have ${what} a lot in a short time. Please wait ${describeWait(retryAfterSeconds)} and try again. What you wrote is still here.`;
}

/** "3 December 2026". */
export function longDate(iso: string): string {
	return new Date(iso).toLocaleDateString('en-GB', {
		day: 'numeric',
		month: 'long',
		year: 'numeric',
		timeZone: 'UTC'
	});
}

/** A member a curator has paused may read, support and endorse, but not post words for a while. */
async function paused(db: Db, userId: string, now: string): Promise<Invalid | null> {
	const until = await postingSuspendedUntil(db, userId, now);
	if (!until) return null;
	return invalid({
		form: `A curator has paused your posting until ${longDate(until)}. What you wrote is still here: you can send it after that.`
	});
}

async function limit(db: Db, key: string, rule: RateLimitRule): Promise<RateLimited | null> {
	const result = await consumeRateLimit(db, key, rule);
	return result.ok
		? null
		: { ok: false, reason: 'rate-limited', retryAfterSeconds: result.retryAfterSeconds };
}

// ---------------------------------------------------------------------------------------------
// Starting

/** What the start form shows before saving: the draft read as sections and clauses. */
export function checkDraft(draft: string): ParsedDraft {
	return parseDraft(draft);
}

/**
 * A curator starts the statement from a first draft in Markdown: version 1, with a section for
 * each `## ` heading and a clause for each paragraph or list item. Refused when it already exists.
 */
export async function startStatement(
	db: Db,
	actor: Actor | null | undefined,
	input: StartInput,
	options: { slug?: string; now?: string } = {}
): Promise<{ ok: true; slug: string; draft: ParsedDraft } | Invalid> {
	assertCan(canStartStatement(actor), 'Only curators can start the shared statement.');
	const slug = options.slug ?? STATEMENT_SLUG;
	const now = options.now ?? nowIso();
	const draft = parseDraft(input.draft);
	if (draft.clauseCount === 0)
		return invalid({
			draft:
				'We found no clauses in the draft. Start each section with a heading like "## Our vision", then write each clause as a paragraph or a list item.'
		});
	if (await findStatement(db, { slug }))
		return invalid({
			title:
				'The statement has already been started. Propose amendments to it instead, on the statement’s page.'
		});
	const statementId = newId();
	const versionId = newId();
	const sections = draft.sections.map((s, i) => ({ ...s, id: newId(), position: i + 1 }));
	try {
		await changeContent(db, async (trx) => {
			await trx
				.insertInto('statement')
				.values({
					id: statementId,
					slug,
					title: input.title,
					current_version: 1,
					created_by: isPerson(actor) ? actor.id : null,
					created_at: now,
					updated_at: now
				})
				.execute();
			await trx
				.insertInto('statement_version')
				.values({
					id: versionId,
					statement_id: statementId,
					number: 1,
					note: input.note || 'The first draft.',
					made_by: isPerson(actor) ? actor.id : null,
					decision_id: null,
					created_at: now
				})
				.execute();
			await insertSnapshot(
				trx,
				sections.map((s) => ({
					version_id: versionId,
					section_id: s.id,
					position: s.position,
					heading: s.heading
				})),
				sections.flatMap((s) =>
					s.clauses.map((body, i) => ({
						version_id: versionId,
						clause_id: newId(),
						section_id: s.id,
						position: i + 1,
						body
					}))
				)
			);
			await refreshSearchDocument(trx, STATEMENT_SEARCH, statementId);
			await recordAudit(trx, {
				actor: actor ?? null,
				action: 'statement.started',
				target: { type: 'statement', id: statementId },
				detail: { sections: sections.length, clauses: draft.clauseCount }
			});
		});
	} catch (caught) {
		if (isUniqueViolation(caught))
			return invalid({ title: 'The statement has already been started.' });
		throw caught;
	}
	return { ok: true, slug, draft };
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface ClauseView {
	id: string;
	body: string;
	/** Its number in the document, e.g. "2.3". */
	label: string;
}

export interface SectionView {
	id: string;
	heading: string;
	number: number;
	clauses: ClauseView[];
}

function arrange(
	sections: { section_id: string; heading: string; position: number }[],
	clauses: StatementClause[]
): SectionView[] {
	const bySection = new Map<string, StatementClause[]>();
	for (const c of clauses) {
		const list = bySection.get(c.section_id) ?? [];
		list.push(c);
		bySection.set(c.section_id, list);
	}
	return sections.map((s, i) => ({
		id: s.section_id,
		heading: s.heading,
		number: i + 1,
		clauses: (bySection.get(s.section_id) ?? [])
			.sort((a, b) => a.position - b.position)
			.map((c, j) => ({ id: c.clause_id, body: c.body, label: `${i + 1}.${j + 1}` }))
	}));
}

/** One version of a statement, arranged by section. */
async function readVersion(db: Db, statementId: string, number: number) {
	const version = await findVersion(db, statementId, number);
	if (!version) return undefined;
	const [sections, clauses] = await Promise.all([
		sectionsOf(db, version.id),
		clausesOf(db, version.id)
	]);
	return { version, sections: arrange(sections, clauses) };
}

export interface EndorserView {
	key: string;
	kind: 'organisation' | 'person';
	name: string;
	organisationSlug: string | null;
	note: string;
	/** The newest version they endorsed. */
	versionNumber: number;
	signedBy: string | null;
	at: string;
}

/** Each endorser once, with the newest version they endorsed. */
async function endorsers(db: Db, statementId: string): Promise<EndorserView[]> {
	const rows = await endorsementRows(db, statementId);
	const seen = new Map<string, EndorserView>();
	for (const r of rows) {
		if (seen.has(r.endorser_key)) continue;
		const isOrg = r.organisation_id !== null;
		seen.set(r.endorser_key, {
			key: r.endorser_key,
			kind: isOrg ? 'organisation' : 'person',
			name: (isOrg ? r.organisation_name : r.signer_name) ?? 'A former member',
			organisationSlug: r.organisation_slug,
			note: r.note,
			versionNumber: Number(r.version_number),
			signedBy: isOrg ? r.signer_name : null,
			at: r.created_at
		});
	}
	return [...seen.values()];
}

/** The organisations a person is an admin of (from the organisations service). */
async function organisationsAdministered(db: Db, userId: string) {
	return (await listOrganisationsOfPerson(db, userId)).filter((o) => o.role === 'admin');
}

/**
 * The statement page: the current version by section, the open amendments on each clause, who
 * endorsed which version, and what the viewer is invited to endorse.
 */
export async function viewStatement(
	db: Db,
	viewer: Actor | null | undefined,
	slug = STATEMENT_SLUG
) {
	const statement = await findStatement(db, { slug });
	if (!statement) return undefined;
	const current = await readVersion(db, statement.id, statement.current_version);
	if (!current) return undefined;
	const [open, all] = await Promise.all([
		listAmendmentRows(db, statement.id, ['open']),
		endorsers(db, statement.id)
	]);
	const openByClause: Record<string, typeof open> = {};
	for (const a of open) {
		const key = a.kind === 'add' ? `after:${a.clause_id ?? `end:${a.section_id}`}` : a.clause_id!;
		(openByClause[key] ??= []).push(a);
	}
	const latest = statement.current_version;
	let invitations: { key: string; name: string; endorsedVersion: number | null }[] = [];
	if (isPerson(viewer)) {
		const mine = new Map(all.map((e) => [e.key, e]));
		const orgs = await organisationsAdministered(db, viewer.id);
		invitations = [
			{
				key: 'me',
				name: 'yourself',
				endorsedVersion: mine.get(`person:${viewer.id}`)?.versionNumber ?? null
			},
			...orgs.map((o) => ({
				key: o.id,
				name: o.name,
				endorsedVersion: mine.get(`org:${o.id}`)?.versionNumber ?? null
			}))
		].filter((i) => i.endorsedVersion !== latest);
	}
	return {
		statement,
		version: current.version,
		sections: current.sections,
		openByClause,
		openCount: open.length,
		organisations: all.filter((e) => e.kind === 'organisation'),
		people: all.filter((e) => e.kind === 'person'),
		/** Endorsers whose newest endorsement is of an earlier version. */
		earlier: all.filter((e) => e.versionNumber < latest),
		invitations,
		canFacilitate: canFacilitateStatement(viewer),
		canStart: canStartStatement(viewer)
	};
}

/** The printable page: the current version and who endorsed it. */
export async function viewPrintable(db: Db, slug = STATEMENT_SLUG) {
	const statement = await findStatement(db, { slug });
	if (!statement) return undefined;
	const current = await readVersion(db, statement.id, statement.current_version);
	if (!current) return undefined;
	const all = await endorsers(db, statement.id);
	return {
		statement,
		version: current.version,
		sections: current.sections,
		endorsers: all.filter((e) => e.versionNumber === statement.current_version)
	};
}

/** Every version, newest first. */
export async function listVersions(db: Db, slug = STATEMENT_SLUG) {
	const statement = await findStatement(db, { slug });
	if (!statement) return undefined;
	const [versions, all] = await Promise.all([
		listVersionRows(db, statement.id),
		endorsementRows(db, statement.id)
	]);
	return {
		statement,
		versions: versions.map((v) => ({
			...v,
			endorsements: all.filter((e) => Number(e.version_number) === v.number).length
		}))
	};
}

export interface CompareRow {
	clauseId: string;
	kind: 'same' | 'changed' | 'added' | 'removed';
	fromLabel: string | null;
	toLabel: string | null;
	fromText: string | null;
	toText: string | null;
	/** Word by word, for changed clauses (and the whole clause for added or removed ones). */
	parts: WordPart[];
}

export interface CompareSection {
	id: string;
	heading: string;
	fromHeading: string | null;
	kind: 'same' | 'changed' | 'added' | 'removed';
	rows: CompareRow[];
}

/** Parses `from` and `to` from the address: whole numbers, or undefined. */
export function parseCompareQuery(params: URLSearchParams) {
	const read = (name: string) => {
		const raw = params.get(name) ?? '';
		return /^\d{1,6}$/.test(raw) ? Number(raw) : undefined;
	};
	return { from: read('from'), to: read('to') };
}

/**
 * Two versions side by side, clause by clause: clauses are paired by their stable id, so a
 * changed clause shows its changed words; the order of each section is the newer one's, with
 * removed clauses where they were. One read of each version and one word diff per changed clause.
 */
export async function compareVersions(
	db: Db,
	slug: string,
	from: number | undefined,
	to: number | undefined
) {
	const statement = await findStatement(db, { slug });
	if (!statement) return undefined;
	const latest = statement.current_version;
	const toN = to && to >= 1 && to <= latest ? to : latest;
	const fromN = from && from >= 1 && from <= latest ? from : Math.max(1, toN - 1);
	const key = `${statement.id}:${fromN}:${toN}`;
	let compared = comparisons.get(key);
	if (!compared) {
		compared = await compareTwo(db, statement.id, fromN, toN);
		if (!compared) return undefined;
		comparisons.set(key, compared);
		if (comparisons.size > COMPARISONS_KEPT) comparisons.delete(comparisons.keys().next().value!);
	}
	return {
		statement,
		...compared,
		versions: Array.from({ length: latest }, (_, i) => latest - i)
	};
}

/**
 * Comparisons already made, by statement and the two version numbers. A version never changes
 * once made (a new one is made instead), so a comparison stays true for as long as it is kept.
 */
const comparisons = new Map<string, NonNullable<Awaited<ReturnType<typeof compareTwo>>>>();
const COMPARISONS_KEPT = 32;

/** Two versions, section by section and clause by clause, paired by identity. */
async function compareTwo(db: Db, statementId: string, fromN: number, toN: number) {
	const [a, b] = await Promise.all([
		readVersion(db, statementId, fromN),
		readVersion(db, statementId, toN)
	]);
	if (!a || !b) return undefined;
	const fromSections = new Map(a.sections.map((s) => [s.id, s]));
	const toIds = new Set(b.sections.map((s) => s.id));
	const order = [...b.sections.map((s) => s.id)];
	// Removed sections after the section they followed.
	a.sections.forEach((s, i) => {
		if (toIds.has(s.id)) return;
		const before = i > 0 ? order.indexOf(a.sections[i - 1]!.id) : -1;
		order.splice(before + 1, 0, s.id);
	});
	const toSections = new Map(b.sections.map((s) => [s.id, s]));
	let changes = 0;
	const sections: CompareSection[] = order.map((id) => {
		const sa = fromSections.get(id);
		const sb = toSections.get(id);
		const fromClauses = new Map((sa?.clauses ?? []).map((c) => [c.id, c]));
		const toClauses = new Map((sb?.clauses ?? []).map((c) => [c.id, c]));
		const ids: string[] = (sb?.clauses ?? []).map((c) => c.id);
		(sa?.clauses ?? []).forEach((c, i) => {
			if (toClauses.has(c.id)) return;
			const prev = i > 0 ? ids.indexOf(sa!.clauses[i - 1]!.id) : -1;
			ids.splice(prev + 1, 0, c.id);
		});
		const rows: CompareRow[] = ids.map((clauseId) => {
			const ca = fromClauses.get(clauseId);
			const cb = toClauses.get(clauseId);
			const kind = !ca ? 'added' : !cb ? 'removed' : ca.body === cb.body ? 'same' : 'changed';
			if (kind !== 'same') changes++;
			return {
				clauseId,
				kind,
				fromLabel: ca?.label ?? null,
				toLabel: cb?.label ?? null,
				fromText: ca?.body ?? null,
				toText: cb?.body ?? null,
				parts: kind === 'same' ? [] : wordDiff(ca?.body ?? '', cb?.body ?? '')
			};
		});
		const kind = !sa ? 'added' : !sb ? 'removed' : sa.heading !== sb.heading ? 'changed' : 'same';
		return {
			id,
			heading: sb?.heading ?? sa!.heading,
			fromHeading: sa?.heading ?? null,
			kind,
			rows
		};
	});
	return { from: a.version, to: b.version, sections, changes };
}

// ---------------------------------------------------------------------------------------------
// Amendments

/** What the amendment form needs: the clause (or section) as it is in the current version. */
export async function amendmentForm(
	db: Db,
	actor: Actor | null | undefined,
	query: { clause?: string | null; section?: string | null },
	slug = STATEMENT_SLUG
) {
	assertCan(canTakePart(actor), 'Sign in to propose an amendment.');
	const statement = await findStatement(db, { slug });
	if (!statement) return undefined;
	const version = await findVersion(db, statement.id, statement.current_version);
	if (!version) return undefined;
	const [sections, clauses] = await Promise.all([
		sectionsOf(db, version.id),
		clausesOf(db, version.id)
	]);
	const arranged = arrange(sections, clauses);
	const clause = query.clause
		? arranged
				.flatMap((s) => s.clauses.map((c) => ({ ...c, sectionId: s.id })))
				.find((c) => c.id === query.clause)
		: undefined;
	const section = arranged.find((s) => s.id === (clause?.sectionId ?? query.section));
	return {
		statement,
		version,
		clause: clause ?? null,
		section: section ?? null,
		sections: arranged
	};
}

/** Where an amendment's clause stands in the current version, or why it cannot be amended. */
async function checkTarget(
	db: Db | Transaction<DB>,
	statement: { current_version: number; id: string },
	input: { kind: AmendmentKind; clause: string; section: string; version: number }
): Promise<
	| { ok: true; versionId: string; clauseId: string | null; sectionId: string; original: string }
	| Invalid
> {
	if (input.version !== statement.current_version)
		return invalid({
			text: `You were amending version ${input.version}, but version ${statement.current_version} is newer. Open the statement again, read the clause as it is now, and amend that.`
		});
	const version = await findVersion(db, statement.id, statement.current_version);
	if (!version) return invalid({ text: 'Open the statement again and try once more.' });
	if (input.kind === 'add') {
		if (input.clause) {
			const after = await findClause(db, version.id, input.clause);
			if (!after)
				return invalid({
					text: 'The clause you chose to add after is not in the current version. Open the statement again and choose another place.'
				});
			return {
				ok: true,
				versionId: version.id,
				clauseId: after.clause_id,
				sectionId: after.section_id,
				original: ''
			};
		}
		const section = input.section ? await findSection(db, version.id, input.section) : undefined;
		if (!section)
			return invalid({
				text: 'That section is not in the current version. Open the statement again and choose a section.'
			});
		return {
			ok: true,
			versionId: version.id,
			clauseId: null,
			sectionId: section.section_id,
			original: ''
		};
	}
	const clause = input.clause ? await findClause(db, version.id, input.clause) : undefined;
	if (!clause)
		return invalid({
			text: 'That clause is not in the current version of the statement: it may have been removed. Open the statement again.'
		});
	return {
		ok: true,
		versionId: version.id,
		clauseId: clause.clause_id,
		sectionId: clause.section_id,
		original: clause.body
	};
}

/**
 * Anyone signed in proposes an amendment to a clause of the current version, with a reason.
 * A form opened on an older version is refused, saying which version is newer.
 */
export async function proposeAmendment(
	db: Db,
	actor: Actor | null | undefined,
	input: AmendmentInput,
	slug = STATEMENT_SLUG,
	now = nowIso()
): Promise<{ ok: true; id: string } | Invalid | NotFound | RateLimited> {
	assertCan(canTakePart(actor), 'Sign in to propose an amendment.');
	const statement = await findStatement(db, { slug });
	if (!statement) return { ok: false, reason: 'not-found' };
	const stopped = await paused(db, actor.id, now);
	if (stopped) return stopped;
	const target = await checkTarget(db, statement, input);
	if (!target.ok) return target;
	const text = input.kind === 'delete' ? '' : tidyClause(input.text);
	if (input.kind === 'change' && text === target.original)
		return invalid({
			text: 'The new words are the same as the clause’s. Change something, or go back.'
		});
	const limited = await limit(db, `statements.amend:user:${actor.id}`, AMENDMENT_RATE);
	if (limited) return limited;
	const id = newId();
	await changeContent(db, async (trx) => {
		await trx
			.insertInto('statement_amendment')
			.values({
				id,
				statement_id: statement.id,
				version_id: target.versionId,
				kind: input.kind,
				clause_id: target.clauseId,
				section_id: target.sectionId,
				original_text: target.original,
				new_text: text,
				reason: input.reason,
				author_id: actor.id,
				status: 'open',
				decided_by: null,
				decided_at: null,
				decision_note: null,
				decision_id: null,
				applied_version_id: null,
				created_at: now,
				updated_at: now
			})
			.execute();
	});
	return { ok: true, id };
}

/** An amendment's page: its words beside the clause's, the reason, comments and supporters. */
export async function viewAmendment(db: Db, viewer: Actor | null | undefined, id: string) {
	const amendment = await findAmendment(db, id);
	if (!amendment) return undefined;
	const [comments, supporters] = await Promise.all([commentsOf(db, id), supportersOf(db, id)]);
	const hidden = await hiddenByModeration(
		db,
		'amendment-comment',
		comments.map((c) => c.id)
	);
	const viewerId = isPerson(viewer) ? viewer.id : null;
	return {
		amendment: { ...amendment, version_number: Number(amendment.version_number) },
		diff: wordDiff(amendment.original_text, amendment.new_text),
		reasonHtml: renderMarkdown(amendment.reason, { restricted: true }),
		comments: comments.map((c) => {
			const shown = !hidden.has(c.id);
			const mine = viewerId !== null && c.author_id === viewerId;
			return {
				...c,
				// A hidden comment's words stay out of the page, for its author too.
				body: shown && mine ? c.body : '',
				html: shown ? renderMarkdown(c.body, { restricted: true }) : null,
				mine,
				canEdit: shown && mine,
				canReport: shown && !mine && isPerson(viewer)
			};
		}),
		supporters,
		supported: viewerId !== null && supporters.some((s) => s.user_id === viewerId),
		canWithdraw: amendment.status === 'open' && canWithdrawAmendment(viewer, amendment),
		canTakePart: canTakePart(viewer) && amendment.status === 'open',
		canFacilitate: canFacilitateStatement(viewer),
		newerVersion:
			amendment.status === 'open' && Number(amendment.version_number) < amendment.current_version
				? amendment.current_version
				: null
	};
}

async function openAmendment(db: Db, id: string) {
	const amendment = await findAmendment(db, id);
	return amendment;
}

/** Its author withdraws an open amendment. */
export async function withdrawAmendment(
	db: Db,
	actor: Actor | null | undefined,
	id: string,
	now = nowIso()
): Promise<{ ok: true } | Invalid | NotFound> {
	const amendment = await openAmendment(db, id);
	if (!amendment) return { ok: false, reason: 'not-found' };
	assertCan(canWithdrawAmendment(actor, amendment), 'Only the amendment’s author can withdraw it.');
	if (amendment.status !== 'open')
		return invalid({
			form: `This amendment is already ${STATUS_LABELS[amendment.status].toLowerCase()}.`
		});
	await changeContent(db, async (trx) => {
		await trx
			.updateTable('statement_amendment')
			.set({ status: 'withdrawn', updated_at: now })
			.where('id', '=', id)
			.where('status', '=', 'open')
			.execute();
	});
	return { ok: true };
}

/** Support an open amendment (once per person; a second press changes nothing). */
export async function supportAmendment(
	db: Db,
	actor: Actor | null | undefined,
	id: string,
	support: boolean,
	now = nowIso()
): Promise<{ ok: true } | Invalid | NotFound> {
	assertCan(canTakePart(actor), 'Sign in to support an amendment.');
	const amendment = await openAmendment(db, id);
	if (!amendment) return { ok: false, reason: 'not-found' };
	if (amendment.status !== 'open')
		return invalid({
			form: 'This amendment has been decided, so support can no longer change.'
		});
	await changeContent(db, async (trx) => {
		if (support)
			await trx
				.insertInto('statement_amendment_support')
				.values({ amendment_id: id, user_id: actor.id, created_at: now })
				.onConflict((oc) => oc.columns(['amendment_id', 'user_id']).doNothing())
				.execute();
		else
			await trx
				.deleteFrom('statement_amendment_support')
				.where('amendment_id', '=', id)
				.where('user_id', '=', actor.id)
				.execute();
	});
	return { ok: true };
}

/** Comment on an amendment (the comment subset of Markdown). */
export async function addComment(
	db: Db,
	actor: Actor | null | undefined,
	amendmentId: string,
	input: CommentInput,
	now = nowIso()
): Promise<{ ok: true; id: string } | Invalid | NotFound | RateLimited> {
	assertCan(canTakePart(actor), 'Sign in to comment.');
	const amendment = await openAmendment(db, amendmentId);
	if (!amendment) return { ok: false, reason: 'not-found' };
	if (amendment.status !== 'open')
		return invalid({
			body: 'This amendment has been decided or withdrawn, so it takes no more comments.'
		});
	const stopped = await paused(db, actor.id, now);
	if (stopped) return stopped;
	const limited = await limit(db, `statements.comment:user:${actor.id}`, COMMENT_RATE);
	if (limited) return limited;
	const id = newId();
	await changeContent(db, async (trx) => {
		await trx
			.insertInto('statement_amendment_comment')
			.values({
				id,
				amendment_id: amendmentId,
				author_id: actor.id,
				body: input.body,
				created_at: now,
				edited_at: null
			})
			.execute();
	});
	return { ok: true, id };
}

/** Its author changes a comment. */
export async function editComment(
	db: Db,
	actor: Actor | null | undefined,
	commentId: string,
	input: CommentInput,
	now = nowIso()
): Promise<{ ok: true; amendmentId: string } | NotFound | Invalid> {
	const comment = await findComment(db, commentId);
	if (!comment) return { ok: false, reason: 'not-found' };
	assertCan(canChangeComment(actor, comment), 'Only the comment’s author can change it.');
	if (await isCommentHidden(db, 'amendment-comment', comment.id))
		return {
			ok: false,
			reason: 'invalid',
			errors: {
				editBody:
					'This comment is hidden while a curator looks at it, so it cannot be edited now. You can still remove it.'
			}
		};
	await changeContent(db, async (trx) => {
		await trx
			.updateTable('statement_amendment_comment')
			.set({ body: input.body, edited_at: now })
			.where('id', '=', commentId)
			.execute();
	});
	return { ok: true, amendmentId: comment.amendment_id };
}

/** Its author removes a comment. */
export async function deleteComment(
	db: Db,
	actor: Actor | null | undefined,
	commentId: string
): Promise<{ ok: true; amendmentId: string } | NotFound> {
	const comment = await findComment(db, commentId);
	if (!comment) return { ok: false, reason: 'not-found' };
	assertCan(canChangeComment(actor, comment), 'Only the comment’s author can remove it.');
	await changeContent(db, async (trx) => {
		await trx.deleteFrom('statement_amendment_comment').where('id', '=', commentId).execute();
	});
	return { ok: true, amendmentId: comment.amendment_id };
}

// ---------------------------------------------------------------------------------------------
// Endorsing

/** Who the viewer may endorse for: themselves, and each organisation they administer. */
export async function endorseForm(db: Db, actor: Actor | null | undefined, slug = STATEMENT_SLUG) {
	assertCan(canTakePart(actor), 'Sign in to endorse the statement.');
	const statement = await findStatement(db, { slug });
	if (!statement) return undefined;
	const [orgs, all] = await Promise.all([
		organisationsAdministered(db, actor.id),
		endorsers(db, statement.id)
	]);
	const done = new Map(all.map((e) => [e.key, e.versionNumber]));
	const choices = [
		{
			value: 'me',
			label: `Yourself: ${actor.name}`,
			endorsed: done.get(`person:${actor.id}`) ?? null
		},
		...orgs.map((o) => ({ value: o.id, label: o.name, endorsed: done.get(`org:${o.id}`) ?? null }))
	];
	return { statement, choices };
}

/**
 * Endorse the current version, as oneself or for an organisation one administers (refused
 * otherwise). Endorsing the same version twice for the same endorser is refused kindly.
 */
export async function endorseStatement(
	db: Db,
	actor: Actor | null | undefined,
	input: EndorseInput,
	slug = STATEMENT_SLUG,
	now = nowIso()
): Promise<{ ok: true; versionNumber: number } | Invalid | NotFound | RateLimited> {
	assertCan(canTakePart(actor), 'Sign in to endorse the statement.');
	const statement = await findStatement(db, { slug });
	if (!statement) return { ok: false, reason: 'not-found' };
	let organisationId: string | null = null;
	if (input.onBehalf !== 'me') {
		const orgs = await listOrganisationsOfPerson(db, actor.id);
		const role = orgs.find((o) => o.id === input.onBehalf)?.role ?? null;
		assertCan(
			canEndorseForOrganisation(actor, role),
			'Only an admin of an organisation can endorse the statement on its behalf.'
		);
		organisationId = input.onBehalf;
	}
	const version = await findVersion(db, statement.id, statement.current_version);
	if (!version) return { ok: false, reason: 'not-found' };
	const key = organisationId ? `org:${organisationId}` : `person:${actor.id}`;
	const already = await db
		.selectFrom('statement_endorsement')
		.select('id')
		.where('version_id', '=', version.id)
		.where('endorser_key', '=', key)
		.executeTakeFirst();
	if (already)
		return invalid({
			onBehalf: `${organisationId ? 'That organisation has' : 'You have'} already endorsed version ${version.number}.`
		});
	const limited = await limit(db, `statements.endorse:user:${actor.id}`, ENDORSE_RATE);
	if (limited) return limited;
	try {
		await changeContent(db, async (trx) => {
			await trx
				.insertInto('statement_endorsement')
				.values({
					id: newId(),
					statement_id: statement.id,
					version_id: version.id,
					organisation_id: organisationId,
					endorser_key: key,
					signed_by: actor.id,
					note: input.note,
					created_at: now
				})
				.execute();
			if (organisationId) await refreshSearchDocument(trx, STATEMENT_SEARCH, statement.id);
			if (organisationId)
				await recordAudit(trx, {
					actor,
					action: 'statement.endorsed',
					target: { type: 'organisation', id: organisationId },
					detail: { version: version.number }
				});
		});
	} catch (caught) {
		if (isUniqueViolation(caught))
			return invalid({ onBehalf: `Already endorsed version ${version.number}.` });
		throw caught;
	}
	return { ok: true, versionNumber: version.number };
}

// ---------------------------------------------------------------------------------------------
// Facilitating

/** The facilitator's page: open amendments with their support, and recent decisions. */
export async function facilitationView(
	db: Db,
	actor: Actor | null | undefined,
	slug = STATEMENT_SLUG
) {
	assertCan(canFacilitateStatement(actor), 'Only curators can record decisions on amendments.');
	const statement = await findStatement(db, { slug });
	if (!statement) return undefined;
	const version = await findVersion(db, statement.id, statement.current_version);
	const [open, sections, clauses] = await Promise.all([
		listAmendmentRows(db, statement.id, ['open']),
		version ? sectionsOf(db, version.id) : [],
		version ? clausesOf(db, version.id) : []
	]);
	const arranged = arrange(sections, clauses);
	const labels = new Map(arranged.flatMap((s) => s.clauses.map((c) => [c.id, c.label] as const)));
	const headings = new Map(arranged.map((s) => [s.id, s.heading]));
	return {
		statement,
		open: open.map((a) => ({
			...a,
			supporters: Number(a.supporters),
			comments: Number(a.comments),
			where:
				a.kind === 'add'
					? a.clause_id
						? `After clause ${labels.get(a.clause_id) ?? ''}`
						: `At the end of “${headings.get(a.section_id) ?? ''}”`
					: `Clause ${labels.get(a.clause_id!) ?? ''}`
		}))
	};
}

type Decided = { ok: true; versionNumber: number | null };

async function loadForDecision(
	trx: Transaction<DB>,
	statementId: string,
	amendmentIds: string[]
): Promise<{ rows: AmendmentRow[] } | Invalid> {
	const ids = [...new Set(amendmentIds)];
	const rows: AmendmentRow[] = [];
	for (const id of ids) {
		const a = await findAmendment(trx, id);
		if (!a || a.statement_id !== statementId)
			return invalid({ amendmentIds: 'One of the amendments chosen is not on this statement.' });
		if (a.status !== 'open')
			return invalid({
				amendmentIds: `An amendment chosen has already been decided (${STATUS_LABELS[a.status].toLowerCase()}). Nothing was changed.`
			});
		rows.push(a);
	}
	return { rows };
}

/**
 * Makes ONE new version of the statement with every amendment in the package applied, in one
 * transaction: the amendments become agreed (with the decision, when one was held, and the
 * note), other open amendments are carried to the new version or, where their clause changed,
 * outdated, the authors are told, and so are those who endorsed an earlier version. Refused,
 * with nothing changed, when an amendment was already decided, was written against an older
 * version (its clause may have changed since), or two of them change the same clause.
 *
 * The decisions feature calls this when a decision on amendments passes.
 */
export async function applyAmendments(
	db: Db,
	actor: Actor | null | undefined,
	input: { statementId: string; amendmentIds: string[]; decisionId: string | null; note: string },
	now = nowIso()
): Promise<Decided | Invalid | NotFound> {
	assertCan(canFacilitateStatement(actor), 'Only curators can apply agreed amendments.');
	const statement = await findStatement(db, { id: input.statementId });
	if (!statement) return { ok: false, reason: 'not-found' };
	if (!input.amendmentIds.length)
		return invalid({ amendmentIds: 'Choose at least one amendment.' });
	try {
		return await changeContent(db, async (trx) => {
			const fresh = (await findStatement(trx, { id: statement.id }))!;
			const loaded = await loadForDecision(trx, fresh.id, input.amendmentIds);
			if ('reason' in loaded) throw new Refused(loaded);
			const current = (await findVersion(trx, fresh.id, fresh.current_version))!;
			for (const a of loaded.rows)
				if (a.version_id !== current.id)
					throw new Refused(
						invalid({
							amendmentIds: `An amendment chosen was written against version ${a.version_number}, and its clause has changed in version ${current.number}. It cannot be applied; its author may propose it again.`
						})
					);
			const touched = new Set<string>();
			for (const a of loaded.rows) {
				if (a.kind === 'add') continue;
				if (touched.has(a.clause_id!))
					throw new Refused(
						invalid({
							amendmentIds:
								'Two of the amendments chosen change the same clause. Agree one of them at a time.'
						})
					);
				touched.add(a.clause_id!);
			}
			for (const a of loaded.rows)
				if (
					a.kind === 'add' &&
					a.clause_id &&
					touched.has(a.clause_id) &&
					loaded.rows.some((b) => b.kind === 'delete' && b.clause_id === a.clause_id)
				)
					throw new Refused(
						invalid({
							amendmentIds:
								'A new clause chosen follows a clause another amendment removes. Agree one of them first.'
						})
					);
			const [sections, clauses] = await Promise.all([
				sectionsOf(trx, current.id),
				clausesOf(trx, current.id)
			]);
			const bySection = new Map<string, { clause_id: string; body: string }[]>();
			for (const s of sections) bySection.set(s.section_id, []);
			for (const c of [...clauses].sort((x, y) => x.position - y.position))
				bySection.get(c.section_id)?.push({ clause_id: c.clause_id, body: c.body });
			for (const a of loaded.rows) {
				const list = bySection.get(a.section_id);
				if (!list) continue;
				if (a.kind === 'change') {
					const c = list.find((x) => x.clause_id === a.clause_id);
					if (c) c.body = a.new_text;
				} else if (a.kind === 'delete') {
					const i = list.findIndex((x) => x.clause_id === a.clause_id);
					if (i >= 0) list.splice(i, 1);
				}
			}
			// New clauses, in the order given: after their clause (following earlier additions
			// there), or at the end of their section.
			const lastAfter = new Map<string, string>();
			for (const a of loaded.rows) {
				if (a.kind !== 'add') continue;
				const list = bySection.get(a.section_id);
				if (!list) continue;
				const clause = { clause_id: newId(), body: a.new_text };
				if (a.clause_id) {
					const anchor = lastAfter.get(a.clause_id) ?? a.clause_id;
					const i = list.findIndex((x) => x.clause_id === anchor);
					list.splice(i + 1, 0, clause);
					lastAfter.set(a.clause_id, clause.clause_id);
				} else list.push(clause);
			}
			const versionId = newId();
			const number = fresh.current_version + 1;
			await trx
				.insertInto('statement_version')
				.values({
					id: versionId,
					statement_id: fresh.id,
					number,
					note: input.note,
					made_by: isPerson(actor) ? actor.id : null,
					decision_id: input.decisionId,
					created_at: now
				})
				.execute();
			await insertSnapshot(
				trx,
				sections.map((s) => ({ ...s, version_id: versionId })),
				sections.flatMap((s) =>
					(bySection.get(s.section_id) ?? []).map((c, i) => ({
						version_id: versionId,
						clause_id: c.clause_id,
						section_id: s.section_id,
						position: i + 1,
						body: c.body
					}))
				)
			);
			const moved = await trx
				.updateTable('statement')
				.set({ current_version: number, updated_at: now })
				.where('id', '=', fresh.id)
				.where('current_version', '=', fresh.current_version)
				.executeTakeFirst();
			if (Number(moved.numUpdatedRows) !== 1)
				throw new Refused(
					invalid({
						amendmentIds: 'Someone else made a new version at the same moment. Open the page again.'
					})
				);
			await trx
				.updateTable('statement_amendment')
				.set({
					status: 'agreed',
					decided_by: isPerson(actor) ? actor.id : null,
					decided_at: now,
					decision_note: input.note || null,
					decision_id: input.decisionId,
					applied_version_id: versionId,
					updated_at: now
				})
				.where(
					'id',
					'in',
					loaded.rows.map((a) => a.id)
				)
				.execute();
			for (const a of loaded.rows)
				if (a.author_id)
					await notify(
						trx,
						{
							recipientId: a.author_id,
							kind: 'statement-amendment',
							subjectKey: `statement-amendment:${a.id}`,
							title: `Your amendment to “${fresh.title}” was agreed: it is in version ${number}`,
							url: `/statement/amendments/${a.id}`,
							actorId: isPerson(actor) ? actor.id : null
						},
						now
					);
			await carryOpenAmendments(trx, actor, fresh, current.id, versionId, bySection, now);
			await tellEarlierEndorsers(trx, actor, fresh, number, now);
			await refreshSearchDocument(trx, STATEMENT_SEARCH, fresh.id);
			await recordAudit(trx, {
				actor: actor ?? null,
				action: 'statement.amendments_applied',
				target: { type: 'statement', id: fresh.id },
				detail: {
					version: number,
					amendments: loaded.rows.length,
					decisionId: input.decisionId ?? ''
				}
			});
			return { ok: true as const, versionNumber: number };
		});
	} catch (caught) {
		if (caught instanceof Refused) return caught.result;
		if (isUniqueViolation(caught))
			return invalid({
				amendmentIds: 'Someone else made a new version at the same moment. Open the page again.'
			});
		throw caught;
	}
}

class Refused extends Error {
	constructor(readonly result: Invalid) {
		super('refused');
	}
}

/**
 * After a new version: open amendments whose clause (or place) is unchanged move to it; the
 * others are outdated, and their authors told.
 */
async function carryOpenAmendments(
	trx: Transaction<DB>,
	actor: Actor | null | undefined,
	statement: { id: string; title: string },
	oldVersionId: string,
	newVersionId: string,
	bySection: Map<string, { clause_id: string; body: string }[]>,
	now: string
) {
	const open = await trx
		.selectFrom('statement_amendment')
		.select(['id', 'kind', 'clause_id', 'section_id', 'original_text', 'author_id'])
		.where('statement_id', '=', statement.id)
		.where('version_id', '=', oldVersionId)
		.where('status', '=', 'open')
		.execute();
	const carried: string[] = [];
	const outdated: typeof open = [];
	for (const a of open) {
		const list = bySection.get(a.section_id);
		const clause = a.clause_id ? list?.find((c) => c.clause_id === a.clause_id) : undefined;
		const fine =
			a.kind === 'add'
				? !!list && (!a.clause_id || !!clause)
				: !!clause && clause.body === a.original_text;
		if (fine) carried.push(a.id);
		else outdated.push(a);
	}
	if (carried.length)
		await trx
			.updateTable('statement_amendment')
			.set({ version_id: newVersionId })
			.where('id', 'in', carried)
			.execute();
	if (outdated.length)
		await trx
			.updateTable('statement_amendment')
			.set({ status: 'outdated', updated_at: now })
			.where(
				'id',
				'in',
				outdated.map((a) => a.id)
			)
			.execute();
	for (const a of outdated)
		if (a.author_id)
			await notify(
				trx,
				{
					recipientId: a.author_id,
					kind: 'statement-amendment',
					subjectKey: `statement-amendment:${a.id}`,
					title: `The clause your amendment to “${statement.title}” was about has changed, so it is outdated. You may propose it again`,
					url: `/statement/amendments/${a.id}`,
					actorId: isPerson(actor) ? actor.id : null
				},
				now
			);
}

/** Everyone who signed an endorsement of an earlier version hears of the new one. */
async function tellEarlierEndorsers(
	trx: Transaction<DB>,
	actor: Actor | null | undefined,
	statement: { id: string; title: string },
	number: number,
	now: string
) {
	const signers = await trx
		.selectFrom('statement_endorsement')
		.select('signed_by')
		.distinct()
		.where('statement_id', '=', statement.id)
		.where('signed_by', 'is not', null)
		.execute();
	for (const s of signers)
		await notify(
			trx,
			{
				recipientId: s.signed_by!,
				kind: 'statement-version',
				subjectKey: `statement:${statement.id}`,
				title: `“${statement.title}” has a new version (${number}). You endorsed an earlier one: you are invited to read and endorse the new one`,
				url: '/statement',
				actorId: isPerson(actor) ? actor.id : null
			},
			now
		);
}

/**
 * Records that amendments were not agreed (one or a package), with a note; their authors are
 * told. The decisions feature may call this when a decision on amendments does not pass.
 */
export async function declineAmendments(
	db: Db,
	actor: Actor | null | undefined,
	input: { statementId: string; amendmentIds: string[]; decisionId: string | null; note: string },
	now = nowIso()
): Promise<Decided | Invalid | NotFound> {
	assertCan(canFacilitateStatement(actor), 'Only curators can record decisions on amendments.');
	const statement = await findStatement(db, { id: input.statementId });
	if (!statement) return { ok: false, reason: 'not-found' };
	if (!input.amendmentIds.length)
		return invalid({ amendmentIds: 'Choose at least one amendment.' });
	try {
		return await changeContent(db, async (trx) => {
			const loaded = await loadForDecision(trx, statement.id, input.amendmentIds);
			if ('reason' in loaded) throw new Refused(loaded);
			for (const a of loaded.rows) {
				const done = await trx
					.updateTable('statement_amendment')
					.set({
						status: 'not-agreed',
						decided_by: isPerson(actor) ? actor.id : null,
						decided_at: now,
						decision_note: input.note || null,
						decision_id: input.decisionId,
						updated_at: now
					})
					.where('id', '=', a.id)
					.where('status', '=', 'open')
					.executeTakeFirst();
				if (Number(done.numUpdatedRows) !== 1)
					throw new Refused(
						invalid({
							amendmentIds:
								'An amendment chosen was decided at the same moment. Open the page again.'
						})
					);
				if (a.author_id)
					await notify(
						trx,
						{
							recipientId: a.author_id,
							kind: 'statement-amendment',
							subjectKey: `statement-amendment:${a.id}`,
							title: `Your amendment to “${statement.title}” was not agreed${input.note ? `: ${input.note.slice(0, 200)}` : ''}`,
							url: `/statement/amendments/${a.id}`,
							actorId: isPerson(actor) ? actor.id : null
						},
						now
					);
			}
			await recordAudit(trx, {
				actor: actor ?? null,
				action: 'statement.amendments_declined',
				target: { type: 'statement', id: statement.id },
				detail: { amendments: loaded.rows.length, decisionId: input.decisionId ?? '' }
			});
			return { ok: true as const, versionNumber: null };
		});
	} catch (caught) {
		if (caught instanceof Refused) return caught.result;
		throw caught;
	}
}

/** For the decisions feature: a statement's id by slug. */
export async function statementIdBySlug(
	db: Db,
	slug = STATEMENT_SLUG
): Promise<string | undefined> {
	return (await findStatement(db, { slug }))?.id;
}
