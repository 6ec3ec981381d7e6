import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import { assertCan, isPerson, type Actor } from '../auth/auth.permissions';
import type { SessionUser } from '../auth/auth.types';
import { recordAudit } from '../audit/audit.service';
import { changeContent } from '../cache/content-version';
import type { FieldErrors } from '../forms';
import { newId, nowIso } from '../ids';
import { enqueueMail } from '../mail/outbox';
import { notify } from '../notifications/notifications.service';
import { postingSuspendedUntil } from '../moderation/moderation.service';
import { consumeRateLimit, describeWait } from '../rate-limit/rate-limit.service';
import { lineDiff, type DiffLine } from '../posts/posts.service';
import {
	citedRound,
	roundPersonMayCite,
	roundsPersonMayCite,
	type CitableRound
} from '../assessments/citations.service';
import {
	canAnswerInvolvement,
	canEditCaseStudy,
	canReadWorkingCopy,
	canReviewCaseStudies,
	canWriteCaseStudies,
	isCaseStudyPublic,
	isLibraryCurator
} from './case-studies.permissions';
import {
	deleteInvolvement,
	findCaseStudyBySlug,
	findCaseStudySlugsLike,
	findCaseStudyVersion,
	findInvolvement,
	findMember,
	findOrganisationBySlug,
	findOrganisationsByIds,
	insertCaseStudy,
	insertCaseStudyVersion,
	insertInvolvement,
	listCaseStudiesOfAuthor,
	listCaseStudyVersions,
	listInvolvements,
	listInvolvementsOfUser,
	listOrganisationChoices,
	listOrganisationsInLibrary,
	listPublishedCaseStudies,
	listPublishedCaseStudyLinks,
	listPublishedInvolving,
	listPublishedWithFacets,
	listWaitingCaseStudies,
	replaceFacets,
	updateCaseStudyRow,
	updateInvolvement,
	type CaseStudyCard,
	type CaseStudyCursor
} from './case-studies.repository';
import {
	involvementSchema,
	linkKind,
	linksText,
	parseLinks,
	type CaseStudyInput,
	type CaseStudyLink
} from './case-studies.schema';
import {
	ORGANISATION_FACET,
	type CaseStudy,
	type CaseStudyContent,
	type CaseStudyReviewState,
	type CaseStudyVersion,
	type InvolvementState
} from './case-studies.tables';
import { refreshCaseStudySearch } from './case-studies.search';
import { isContinuumStage, isWorkStatus, stageLabel, statusLabel } from './library.vocabulary';
import { libraryVocabulary, unknownTags, type LibraryVocabulary } from './tags.service';
import { slugWords } from '../slugs';

type Db = Kysely<DB> | Transaction<DB>;

export const LIBRARY_PAGE_SIZE = 20;
/** Saves, submissions and people named that a member may send in an hour. */
export const CASE_STUDY_RATE = { limit: 60, windowSeconds: 3600 };

// Reading the stored lists ------------------------------------------------------------------

function ids(json: string): string[] {
	try {
		const value: unknown = JSON.parse(json);
		return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
	} catch {
		return [];
	}
}

function storedLinks(json: string): CaseStudyLink[] {
	try {
		const value: unknown = JSON.parse(json);
		if (!Array.isArray(value)) return [];
		return value.filter(
			(l): l is CaseStudyLink =>
				typeof l === 'object' && l !== null && typeof (l as CaseStudyLink).url === 'string'
		);
	} catch {
		return [];
	}
}

/** "Our café's harvest!" → "our-cafes-harvest"; never empty, never one of /library's own words. */
export function caseStudySlugBase(title: string): string {
	const slug = slugWords(title);
	if (!slug || ['new', 'mine', 'review', 'words', 'involved'].includes(slug))
		return `case-study-${slug || 'untitled'}`;
	return slug;
}

async function freeSlug(db: Db, title: string): Promise<string> {
	const base = caseStudySlugBase(title);
	const taken = new Set(await findCaseStudySlugsLike(db, base));
	if (!taken.has(base)) return base;
	for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

async function rateLimited(db: Kysely<DB>, actor: SessionUser): Promise<FieldErrors | null> {
	const limit = await consumeRateLimit(db, `library.write:user:${actor.id}`, CASE_STUDY_RATE);
	if (limit.ok) return null;
	return {
		form: `You have saved a lot in a short time. Wait ${describeWait(limit.retryAfterSeconds)} and try again; your text is still here.`
	};
}

// Writing -----------------------------------------------------------------------------------

/** What the form offers: the library's words, organisations, and check rounds the author may cite. */
export async function caseStudyEditorChoices(db: Kysely<DB>, actor: SessionUser) {
	const [words, organisations, rounds] = await Promise.all([
		libraryVocabulary(db),
		listOrganisationChoices(db),
		roundsPersonMayCite(db, actor.id)
	]);
	return { words, organisations, rounds };
}

/** The form's values from a stored case study (the working copy), for its editor. */
export function caseStudyFormValues(
	caseStudy: CaseStudyContent
): Record<string, string | string[]> {
	return {
		title: caseStudy.title,
		summary: caseStudy.summary,
		serviceAreas: ids(caseStudy.service_area_ids),
		stage: caseStudy.continuum_stage ?? '',
		workStatus: caseStudy.work_status ?? '',
		whatWasDone: caseStudy.what_was_done,
		whoWasInvolved: caseStudy.who_was_involved,
		organisations: ids(caseStudy.organisation_ids),
		benefits: ids(caseStudy.benefit_ids),
		barriers: ids(caseStudy.barrier_ids),
		barriersHandled: caseStudy.barriers_handled,
		doDifferently: caseStudy.do_differently,
		dimensions: ids(caseStudy.dimension_keys),
		links: linksText(storedLinks(caseStudy.links)),
		roundId: caseStudy.assessment_round_id ?? ''
	};
}

export type CaseStudyIntent = 'draft' | 'submit';

/**
 * Every check after the schema: words from the lists (a word already on it may stay after it
 * was retired), a real stage and status, organisations that exist, links that are links, a round
 * the author may cite; and, to submit, every part a reader needs.
 */
async function checkCaseStudy(
	db: Db,
	actor: SessionUser,
	input: CaseStudyInput,
	intent: CaseStudyIntent,
	existing: CaseStudy | undefined
): Promise<{ ok: true; content: CaseStudyContent } | { ok: false; errors: FieldErrors }> {
	const errors: FieldErrors = {};
	const kept = existing
		? [
				...ids(existing.service_area_ids),
				...ids(existing.benefit_ids),
				...ids(existing.barrier_ids)
			]
		: [];
	const unknownWord = 'One of these is not on the list (any more). Choose again from the list.';
	if ((await unknownTags(db, 'service-area', input.serviceAreas, kept)).length)
		errors.serviceAreas = unknownWord;
	if ((await unknownTags(db, 'benefit', input.benefits, kept)).length)
		errors.benefits = unknownWord;
	if ((await unknownTags(db, 'barrier', input.barriers, kept)).length)
		errors.barriers = unknownWord;
	if (input.stage && !isContinuumStage(input.stage))
		errors.stage = 'Choose a stage of the continuum from the list';
	if (input.workStatus && !isWorkStatus(input.workStatus))
		errors.workStatus = 'Choose idea, pilot, running or finished';
	const dimensions = [...new Set(input.dimensions)];
	if (dimensions.length) {
		const known = new Set((await libraryVocabulary(db as Kysely<DB>)).dimensions.map((d) => d.key));
		const keptDimensions = new Set(existing ? ids(existing.dimension_keys) : []);
		if (dimensions.some((k) => !known.has(k) && !keptDimensions.has(k)))
			errors.dimensions = unknownWord;
	}
	const organisations = [...new Set(input.organisations)];
	if (organisations.length) {
		const found = await findOrganisationsByIds(db, organisations);
		if (found.length !== organisations.length)
			errors.organisations =
				'One of these organisations is not in CoLab. Choose again from the list.';
	}
	const links = parseLinks(input.links);
	if (!links.ok) errors.links = links.message;
	if (input.roundId && input.roundId !== existing?.assessment_round_id) {
		const round = await roundPersonMayCite(db, actor.id, input.roundId);
		if (!round)
			errors.roundId =
				'You can cite a check’s round only if you own the check, or its owners made the results public.';
	}
	if (intent === 'submit') {
		if (!input.summary) errors.summary ??= 'Write a short summary';
		if (!input.serviceAreas.length) errors.serviceAreas ??= 'Choose at least one service area';
		if (!input.stage) errors.stage ??= 'Choose where the work sits on the continuum';
		if (!input.workStatus) errors.workStatus ??= 'Choose the status of the work';
		if (!input.whatWasDone) errors.whatWasDone ??= 'Say what was done';
	}
	if (Object.keys(errors).length) return { ok: false, errors };
	return {
		ok: true,
		content: {
			title: input.title,
			summary: input.summary,
			continuum_stage: input.stage || null,
			work_status: input.workStatus || null,
			what_was_done: input.whatWasDone,
			who_was_involved: input.whoWasInvolved,
			barriers_handled: input.barriersHandled,
			do_differently: input.doDifferently,
			service_area_ids: JSON.stringify([...new Set(input.serviceAreas)]),
			benefit_ids: JSON.stringify([...new Set(input.benefits)]),
			barrier_ids: JSON.stringify([...new Set(input.barriers)]),
			dimension_keys: JSON.stringify(dimensions),
			organisation_ids: JSON.stringify(organisations),
			links: JSON.stringify(links.ok ? links.links : []),
			assessment_round_id: input.roundId || null
		}
	};
}

export type SaveCaseStudyResult =
	| { ok: true; caseStudy: CaseStudy; state: CaseStudyReviewState }
	| { ok: false; errors: FieldErrors; status?: number };

const CONTENT_KEYS: Array<keyof CaseStudyContent> = [
	'title',
	'summary',
	'continuum_stage',
	'work_status',
	'what_was_done',
	'who_was_involved',
	'barriers_handled',
	'do_differently',
	'service_area_ids',
	'benefit_ids',
	'barrier_ids',
	'dimension_keys',
	'organisation_ids',
	'links',
	'assessment_round_id'
];

function contentOf(row: CaseStudyContent): CaseStudyContent {
	return Object.fromEntries(CONTENT_KEYS.map((k) => [k, row[k]])) as unknown as CaseStudyContent;
}

function sameContent(a: CaseStudyContent, b: CaseStudyContent): boolean {
	return CONTENT_KEYS.every((k) => a[k] === b[k]);
}

/** The filter values of a version, as `case_study_facet` stores them. */
export function facetsOf(content: CaseStudyContent): string[] {
	const facets = [
		...ids(content.service_area_ids),
		...ids(content.benefit_ids),
		...ids(content.barrier_ids)
	].map((id) => `tag:${id}`);
	facets.push(...ids(content.dimension_keys).map((k) => `dimension:${k}`));
	facets.push(...ids(content.organisation_ids).map((id) => `${ORGANISATION_FACET}${id}`));
	if (content.continuum_stage) facets.push(`stage:${content.continuum_stage}`);
	if (content.work_status) facets.push(`status:${content.work_status}`);
	return [...new Set(facets)];
}

/** Publishes the working copy as a new version, inside the caller's transaction. */
async function publishWorkingCopy(
	trx: Transaction<DB>,
	caseStudy: CaseStudy,
	publishedBy: string | null,
	now: string
): Promise<CaseStudy> {
	const version = (caseStudy.published_version ?? 0) + 1;
	const content = contentOf(caseStudy);
	await insertCaseStudyVersion(trx, {
		case_study_id: caseStudy.id,
		version,
		edited_by: caseStudy.author_id,
		published_by: publishedBy,
		published_at: now,
		...content
	});
	const publishedAt = caseStudy.published_at ?? now;
	const changes = {
		review_state: 'published' as const,
		review_message: null,
		reviewed_by: publishedBy,
		published_version: version,
		published_at: publishedAt,
		submitted_at: null,
		updated_at: now
	};
	await updateCaseStudyRow(trx, caseStudy.id, changes);
	await replaceFacets(trx, caseStudy.id, facetsOf(content), publishedAt);
	await refreshCaseStudySearch(trx, caseStudy.id);
	return { ...caseStudy, ...changes };
}

/**
 * Saves a case study: a new one (no `slug`) or the author's changes. "draft" keeps it for the
 * author; "submit" sends it to the curators (a curator's own is published at once). Changes to
 * a published case study wait for a curator while the published version stays on show.
 */
export async function saveCaseStudy(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	input: CaseStudyInput,
	options: { slug?: string; intent: CaseStudyIntent; now?: string; timeZone?: string }
): Promise<SaveCaseStudyResult> {
	assertCan(canWriteCaseStudies(actor), 'Sign in to write case studies.');
	const now = options.now ?? nowIso();
	const existing = options.slug ? await findCaseStudyBySlug(db, options.slug) : undefined;
	if (options.slug && !existing)
		return { ok: false, errors: { form: 'This case study is gone.' }, status: 404 };
	if (existing)
		assertCan(canEditCaseStudy(actor, existing), 'Only the author can change this case study.');
	// A member a curator has paused may still save drafts (nothing they wrote is lost), but not
	// send one to be published, as with posts.
	if (options.intent === 'submit' && isPerson(actor)) {
		const until = await postingSuspendedUntil(db, actor.id, now);
		if (until) {
			const day = new Date(until).toLocaleDateString('en-GB', {
				day: 'numeric',
				month: 'long',
				timeZone: options.timeZone ?? 'UTC'
			});
			return {
				ok: false,
				errors: {
					form: `A curator has paused your posting until ${day}. You can save this as a draft and send it after that.`
				},
				status: 403
			};
		}
	}
	const limited = await rateLimited(db, actor);
	if (limited) return { ok: false, errors: limited, status: 429 };
	const checked = await checkCaseStudy(db, actor, input, options.intent, existing);
	if (!checked.ok) return checked;
	const content = checked.content;

	return changeContent(db, async (trx) => {
		let caseStudy: CaseStudy;
		if (existing) {
			const unchanged =
				existing.review_state === 'published' &&
				options.intent === 'draft' &&
				sameContent(contentOf(existing), content);
			// Saving a published one unchanged keeps it "published"; any change is a new draft.
			let state: CaseStudyReviewState = unchanged
				? 'published'
				: existing.review_state === 'published'
					? 'draft'
					: existing.review_state;
			if (options.intent === 'submit') state = 'waiting';
			const changes = {
				...content,
				review_state: state,
				submitted_at: options.intent === 'submit' ? now : existing.submitted_at,
				updated_at: now
			};
			await updateCaseStudyRow(trx, existing.id, changes);
			caseStudy = { ...existing, ...changes };
		} else {
			caseStudy = {
				id: newId(),
				slug: await freeSlug(trx, content.title),
				author_id: actor.id,
				pilot_id: null,
				review_state: options.intent === 'submit' ? 'waiting' : 'draft',
				review_message: null,
				reviewed_by: null,
				published_version: null,
				published_at: null,
				submitted_at: options.intent === 'submit' ? now : null,
				created_at: now,
				updated_at: now,
				...content
			};
			await insertCaseStudy(trx, caseStudy);
		}
		if (options.intent === 'submit' && isLibraryCurator(actor)) {
			caseStudy = await publishWorkingCopy(trx, caseStudy, actor.id, now);
			await recordAudit(trx, {
				actor,
				action: 'case_study.published',
				target: { type: 'case_study', id: caseStudy.id },
				detail: { version: caseStudy.published_version, own: true }
			});
		}
		return { ok: true as const, caseStudy, state: caseStudy.review_state };
	});
}

/**
 * Starts a case study from a finished pilot (called by the pilots feature once it has checked
 * that the actor owns the pilot): a draft owned by the actor, status "finished", its text filled
 * in from the pilot, the pilot's id kept so the log stays linked.
 */
export async function startCaseStudyFromPilot(
	db: Kysely<DB>,
	actor: Actor,
	pilot: {
		id: string;
		title: string;
		summary: string;
		serviceAreaIds: string[];
		organisationId: string | null;
		whatWasLearned: string;
	}
): Promise<{ id: string; slug: string }> {
	assertCan(canWriteCaseStudies(actor), 'Sign in to write case studies.');
	const now = nowIso();
	// Only words still on the list and an organisation that still exists are carried over.
	const areas = pilot.serviceAreaIds.filter((id, i, all) => all.indexOf(id) === i);
	const unknown = new Set(await unknownTags(db, 'service-area', areas));
	const organisation = pilot.organisationId
		? (await findOrganisationsByIds(db, [pilot.organisationId]))[0]
		: undefined;
	return db.transaction().execute(async (trx) => {
		// Never cut: the pilot's title fits (both allow 200 characters), and the form would say so.
		const title = pilot.title.trim() || 'A finished pilot';
		const row: CaseStudy = {
			id: newId(),
			slug: await freeSlug(trx, title),
			author_id: actor.id,
			pilot_id: pilot.id,
			review_state: 'draft',
			review_message: null,
			reviewed_by: null,
			published_version: null,
			published_at: null,
			submitted_at: null,
			created_at: now,
			updated_at: now,
			title,
			// A draft the author edits before submitting: the form says when a part is too long.
			summary: pilot.summary.trim(),
			continuum_stage: null,
			work_status: 'finished',
			what_was_done: pilot.whatWasLearned.trim(),
			who_was_involved: '',
			barriers_handled: '',
			do_differently: '',
			service_area_ids: JSON.stringify(areas.filter((id) => !unknown.has(id))),
			benefit_ids: '[]',
			barrier_ids: '[]',
			dimension_keys: '[]',
			organisation_ids: JSON.stringify(organisation ? [organisation.id] : []),
			links: '[]',
			assessment_round_id: null
		};
		await insertCaseStudy(trx, row);
		return { id: row.id, slug: row.slug };
	});
}

/** A case study for its author's editor, with the people named on it. */
export async function findCaseStudyForEditing(
	db: Db,
	actor: Actor | null | undefined,
	slug: string
) {
	const caseStudy = await findCaseStudyBySlug(db, slug);
	if (!caseStudy) return undefined;
	assertCan(canEditCaseStudy(actor, caseStudy), 'Only the author can change this case study.');
	const people = await listInvolvements(db, caseStudy.id, false);
	return { caseStudy, values: caseStudyFormValues(caseStudy), people };
}

// Reading -----------------------------------------------------------------------------------

/** A case study's content with its words spelt out, as the page and the review show it. */
export interface CaseStudyView {
	title: string;
	summary: string;
	stage: { key: string; label: string } | null;
	status: { key: string; label: string } | null;
	whatWasDone: string;
	whoWasInvolved: string;
	barriersHandled: string;
	doDifferently: string;
	serviceAreas: Array<{ id: string; slug: string; label: string }>;
	benefits: Array<{ id: string; slug: string; label: string }>;
	barriers: Array<{ id: string; slug: string; label: string }>;
	dimensions: Array<{ key: string; title: string }>;
	organisations: Array<{ id: string; slug: string; name: string }>;
	links: Array<CaseStudyLink & { kind: ReturnType<typeof linkKind> }>;
	round: CitableRound | null;
}

async function presentContent(
	db: Kysely<DB>,
	content: CaseStudyContent,
	words?: LibraryVocabulary
): Promise<CaseStudyView> {
	const vocabulary = words ?? (await libraryVocabulary(db, { includeRetired: true }));
	const tagList = (json: string, list: LibraryVocabulary['benefits']) => {
		const byId = new Map(list.map((t) => [t.id, t]));
		return ids(json)
			.map((id) => byId.get(id))
			.filter((t) => !!t)
			.map((t) => ({ id: t.id, slug: t.slug, label: t.label }));
	};
	const dimensionTitles = new Map(vocabulary.dimensions.map((d) => [d.key, d.title]));
	const organisationIds = ids(content.organisation_ids);
	const organisations = await findOrganisationsByIds(db, organisationIds);
	return {
		title: content.title,
		summary: content.summary,
		stage: content.continuum_stage
			? { key: content.continuum_stage, label: stageLabel(content.continuum_stage) }
			: null,
		status: content.work_status
			? { key: content.work_status, label: statusLabel(content.work_status) }
			: null,
		whatWasDone: content.what_was_done,
		whoWasInvolved: content.who_was_involved,
		barriersHandled: content.barriers_handled,
		doDifferently: content.do_differently,
		serviceAreas: tagList(content.service_area_ids, vocabulary.serviceAreas),
		benefits: tagList(content.benefit_ids, vocabulary.benefits),
		barriers: tagList(content.barrier_ids, vocabulary.barriers),
		dimensions: ids(content.dimension_keys).map((key) => ({
			key,
			title: dimensionTitles.get(key) ?? key
		})),
		organisations: organisationIds
			.map((id) => organisations.find((o) => o.id === id))
			.filter((o) => !!o),
		links: storedLinks(content.links).map((l) => ({ ...l, kind: linkKind(l.url) })),
		round: content.assessment_round_id
			? ((await citedRound(db, content.assessment_round_id)) ?? null)
			: null
	};
}

/**
 * A case study's page. Visitors read the published version and the people who consented; the
 * author and curators also reach one not yet published (its working copy, marked as such).
 * Anyone else gets undefined, as if it did not exist.
 */
export async function viewCaseStudy(db: Kysely<DB>, actor: Actor | null | undefined, slug: string) {
	const caseStudy = await findCaseStudyBySlug(db, slug);
	if (!caseStudy) return undefined;
	const published =
		caseStudy.published_version !== null
			? await findCaseStudyVersion(db, caseStudy.id, caseStudy.published_version)
			: undefined;
	if (!published && !canReadWorkingCopy(actor, caseStudy)) return undefined;
	const content = published ?? caseStudy;
	const people = await listInvolvements(db, caseStudy.id, true);
	return {
		caseStudy,
		view: await presentContent(db, content),
		people: people.map((p) => ({ name: p.name, role: p.role, userId: p.user_id })),
		published: !!published,
		version: published?.version ?? null,
		updatedAt: published?.published_at ?? caseStudy.updated_at,
		canEdit: canEditCaseStudy(actor, caseStudy),
		canReview: canReviewCaseStudies(actor) && caseStudy.review_state === 'waiting',
		changesWaiting: !!published && caseStudy.review_state !== 'published'
	};
}

/** One version of a case study as text, for showing what changed between versions. */
export function caseStudyAsText(view: CaseStudyView): string {
	const list = (items: string[]) => (items.length ? items.join(', ') : '—');
	return [
		`Title: ${view.title}`,
		`Summary: ${view.summary}`,
		`Service areas: ${list(view.serviceAreas.map((t) => t.label))}`,
		`Stage: ${view.stage?.label ?? '—'}`,
		`Status: ${view.status?.label ?? '—'}`,
		`Organisations: ${list(view.organisations.map((o) => o.name))}`,
		'',
		'What was done:',
		view.whatWasDone,
		'',
		'Who was involved and how:',
		view.whoWasInvolved,
		'',
		`Benefits seen: ${list(view.benefits.map((t) => t.label))}`,
		`Barriers met: ${list(view.barriers.map((t) => t.label))}`,
		'',
		'How the barriers were handled:',
		view.barriersHandled,
		'',
		'What we would do differently:',
		view.doDifferently,
		'',
		`Elements and values: ${list(view.dimensions.map((d) => d.title))}`,
		`Links: ${list(view.links.map((l) => l.url))}`,
		`Co-production check: ${view.round ? `${view.round.title}, round ${view.round.number}` : '—'}`
	].join('\n');
}

export interface CaseStudyHistoryEntry {
	version: number;
	title: string;
	publishedAt: string;
	current: boolean;
	changes: DiffLine[] | null;
}

/**
 * Every published version, newest first, each with what changed from the one before. Every
 * version was public once, so the history is public too (working copies never appear in it).
 */
export async function caseStudyHistory(
	db: Kysely<DB>,
	slug: string
): Promise<{ caseStudy: CaseStudy; entries: CaseStudyHistoryEntry[] } | undefined> {
	const caseStudy = await findCaseStudyBySlug(db, slug);
	if (!caseStudy || !isCaseStudyPublic(caseStudy)) return undefined;
	const versions = await listCaseStudyVersions(db, caseStudy.id);
	const words = await libraryVocabulary(db, { includeRetired: true });
	const texts = await Promise.all(
		versions.map(async (v) => caseStudyAsText(await presentContent(db, v, words)))
	);
	return {
		caseStudy,
		entries: versions.map((v, i) => ({
			version: v.version,
			title: v.title,
			publishedAt: v.published_at,
			current: v.version === caseStudy.published_version,
			changes: i + 1 < texts.length ? lineDiff(texts[i + 1]!, texts[i]!) : null
		}))
	};
}

// /library ----------------------------------------------------------------------------------

/** The filters in /library's address, one value each: `?area=mental-health&stage=…`. */
export interface LibraryQuery {
	area?: string;
	stage?: string;
	benefit?: string;
	barrier?: string;
	dimension?: string;
	status?: string;
	organisation?: string;
}

export const LIBRARY_FILTERS = [
	'area',
	'stage',
	'benefit',
	'barrier',
	'dimension',
	'status',
	'organisation'
] as const;

export function parseLibraryQuery(params: URLSearchParams): LibraryQuery {
	const query: LibraryQuery = {};
	for (const name of LIBRARY_FILTERS) {
		const value = params.get(name)?.trim();
		if (value && value.length <= 120) query[name] = value;
	}
	return query;
}

export function libraryQueryString(query: LibraryQuery): string {
	const params = new URLSearchParams();
	for (const name of LIBRARY_FILTERS) if (query[name]) params.set(name, query[name]);
	return params.toString();
}

export function formatCaseStudyCursor(cursor: CaseStudyCursor): string {
	return `${cursor.publishedAt}_${cursor.id}`;
}

export function parseCaseStudyCursor(value: string): CaseStudyCursor | undefined {
	const match = /^(\d{4}-\d{2}-\d{2}T[\d:.]+Z)_([A-Za-z0-9_-]{1,60})$/.exec(value);
	return match ? { publishedAt: match[1]!, id: match[2]! } : undefined;
}

/**
 * The filters as facets, most selective kinds first (an organisation or a barrier narrows more
 * than a status), so the page is read from the narrowest index range. `missing` when a value
 * names nothing: the page then says so rather than showing everything.
 */
function facetsForQuery(
	query: LibraryQuery,
	words: LibraryVocabulary,
	organisation: { id: string } | null
): { facets: string[]; missing: boolean } {
	const facets: string[] = [];
	let missing = false;
	const tag = (list: LibraryVocabulary['benefits'], slug: string | undefined) => {
		if (!slug) return;
		const found = list.find((t) => t.slug === slug);
		if (found) facets.push(`tag:${found.id}`);
		else missing = true;
	};
	if (query.organisation) {
		if (organisation) facets.push(`${ORGANISATION_FACET}${organisation.id}`);
		else missing = true;
	}
	tag(words.barriers, query.barrier);
	tag(words.benefits, query.benefit);
	if (query.dimension) {
		if (words.dimensions.some((d) => d.key === query.dimension))
			facets.push(`dimension:${query.dimension}`);
		else missing = true;
	}
	tag(words.serviceAreas, query.area);
	if (query.stage) {
		if (isContinuumStage(query.stage)) facets.push(`stage:${query.stage}`);
		else missing = true;
	}
	if (query.status) {
		if (isWorkStatus(query.status)) facets.push(`status:${query.status}`);
		else missing = true;
	}
	return { facets, missing };
}

export interface LibraryCard {
	slug: string;
	title: string;
	summary: string;
	stage: string | null;
	status: string | null;
	serviceAreas: string[];
	publishedAt: string;
}

/** A page of /library: the filter choices, the cards and where the next page starts. */
export async function libraryPage(
	db: Kysely<DB>,
	query: LibraryQuery,
	after?: CaseStudyCursor
): Promise<{
	words: LibraryVocabulary;
	organisations: Array<{ id: string; slug: string; name: string }>;
	cards: LibraryCard[];
	next: CaseStudyCursor | null;
	missing: boolean;
}> {
	const [words, named] = await Promise.all([
		libraryVocabulary(db, { includeRetired: true }),
		listOrganisationsInLibrary(db)
	]);
	// The organisation a link names, looked up once for the filter and the facets. One that no
	// case study names now stays chosen in the filter.
	const chosen = query.organisation
		? (named.find((o) => o.slug === query.organisation) ??
			(await findOrganisationBySlug(db, query.organisation)) ??
			null)
		: null;
	const organisations =
		chosen && !named.includes(chosen)
			? [...named, chosen].sort((a, b) => a.name.localeCompare(b.name))
			: named;
	const { facets, missing } = facetsForQuery(query, words, chosen);
	const rows: CaseStudyCard[] = missing
		? []
		: await listPublishedCaseStudies(db, { facets, after, limit: LIBRARY_PAGE_SIZE });
	const more = rows.length > LIBRARY_PAGE_SIZE;
	const page = rows.slice(0, LIBRARY_PAGE_SIZE);
	const areaLabels = new Map(words.serviceAreas.map((t) => [t.id, t.label]));
	const last = page.at(-1);
	return {
		words,
		organisations,
		missing,
		cards: page.map((r) => ({
			slug: r.slug,
			title: r.title,
			summary: r.summary,
			stage: r.continuum_stage ? stageLabel(r.continuum_stage) : null,
			status: r.work_status ? statusLabel(r.work_status) : null,
			serviceAreas: ids(r.service_area_ids)
				.map((id) => areaLabels.get(id))
				.filter((l): l is string => !!l),
			publishedAt: r.published_at
		})),
		next: more && last ? { publishedAt: last.published_at, id: last.id } : null
	};
}

/** Published case studies that show any of these dimensions (for the check's results). */
export async function publishedCaseStudiesForDimensions(
	db: Kysely<DB>,
	dimensionKeys: string[],
	limit: number
): Promise<Array<{ slug: string; title: string; summary: string; dimensionKeys: string[] }>> {
	const rows = await listPublishedWithFacets(
		db,
		[...new Set(dimensionKeys)].map((k) => `dimension:${k}`),
		limit
	);
	return rows.map((r) => ({
		slug: r.slug,
		title: r.title,
		summary: r.summary,
		dimensionKeys: ids(r.dimension_keys)
	}));
}

/** Published case studies where this person is named and has consented (for a champion's page). */
export async function caseStudiesInvolving(
	db: Kysely<DB>,
	userId: string,
	limit: number
): Promise<Array<{ slug: string; title: string }>> {
	return listPublishedInvolving(db, userId, limit);
}

/** Published case studies for the sitemap, a batch at a time by id. */
export async function listPublicCaseStudyLinksAfter(
	db: Kysely<DB>,
	afterId: string | null,
	limit: number
): Promise<Array<{ id: string; path: string; lastModified: string }>> {
	const rows = await listPublishedCaseStudyLinks(db, afterId, limit);
	return rows.map((r) => ({ id: r.id, path: `/library/${r.slug}`, lastModified: r.updated_at }));
}

// Review ------------------------------------------------------------------------------------

const STATE_LABELS: Record<CaseStudyReviewState, string> = {
	draft: 'Draft',
	waiting: 'Waiting for a curator',
	returned: 'Sent back to you',
	published: 'Published'
};

/** The plain words for where a case study is, as its author reads them. */
export function reviewStateLabel(caseStudy: Pick<CaseStudy, 'review_state' | 'published_version'>) {
	const base = STATE_LABELS[caseStudy.review_state];
	if (caseStudy.published_version !== null && caseStudy.review_state !== 'published')
		return `Published; your changes: ${base.toLowerCase()}`;
	return base;
}

/** The author's own case studies, a page at a time. */
export async function listMyCaseStudies(db: Db, actor: Actor | null | undefined, page: number) {
	assertCan(canWriteCaseStudies(actor), 'Sign in to see your case studies.');
	const rows = await listCaseStudiesOfAuthor(db, actor.id, {
		limit: LIBRARY_PAGE_SIZE + 1,
		offset: (page - 1) * LIBRARY_PAGE_SIZE
	});
	return {
		rows: rows.slice(0, LIBRARY_PAGE_SIZE).map((r) => ({ ...r, stateLabel: reviewStateLabel(r) })),
		more: rows.length > LIBRARY_PAGE_SIZE
	};
}

/** Curators: what waits for them, oldest first. */
export async function caseStudyReviewQueue(db: Db, actor: Actor | null | undefined, page: number) {
	assertCan(canReviewCaseStudies(actor), 'Only curators review case studies.');
	const rows = await listWaitingCaseStudies(db, {
		limit: LIBRARY_PAGE_SIZE + 1,
		offset: (page - 1) * LIBRARY_PAGE_SIZE
	});
	return {
		rows: rows
			.slice(0, LIBRARY_PAGE_SIZE)
			.map((r) => ({ ...r, isUpdate: r.published_version !== null })),
		more: rows.length > LIBRARY_PAGE_SIZE
	};
}

/** What a curator reviews: the working copy as readers would get it, and what changed. */
export async function caseStudyForReview(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	slug: string
) {
	assertCan(canReviewCaseStudies(actor), 'Only curators review case studies.');
	const caseStudy = await findCaseStudyBySlug(db, slug);
	if (!caseStudy) return undefined;
	const view = await presentContent(db, caseStudy);
	const published =
		caseStudy.published_version !== null
			? await findCaseStudyVersion(db, caseStudy.id, caseStudy.published_version)
			: undefined;
	const changes = published
		? lineDiff(caseStudyAsText(await presentContent(db, published)), caseStudyAsText(view))
		: null;
	const author = caseStudy.author_id
		? await findMember(db, { id: caseStudy.author_id })
		: undefined;
	return { caseStudy, view, changes, authorName: author?.name ?? null };
}

/** A curator publishes what waits: a new version, on show at once; the author is told. */
export async function publishCaseStudy(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	slug: string,
	now = nowIso()
): Promise<CaseStudy | undefined> {
	assertCan(canReviewCaseStudies(actor), 'Only curators publish case studies.');
	const caseStudy = await findCaseStudyBySlug(db, slug);
	if (!caseStudy || caseStudy.review_state !== 'waiting') return undefined;
	const curatorId = actor && 'id' in actor ? actor.id : null;
	return changeContent(db, async (trx) => {
		const published = await publishWorkingCopy(trx, caseStudy, curatorId, now);
		await recordAudit(trx, {
			actor: actor && 'id' in actor ? actor : null,
			action: 'case_study.published',
			target: { type: 'case_study', id: caseStudy.id },
			detail: { version: published.published_version }
		});
		if (caseStudy.author_id)
			await notify(trx, {
				recipientId: caseStudy.author_id,
				kind: 'content-decision',
				subjectKey: `case-study:${caseStudy.id}`,
				title: `A curator published your case study “${caseStudy.title}”.`,
				url: `/library/${caseStudy.slug}`,
				actorId: curatorId
			});
		return published;
	});
}

/**
 * A curator sends what waits back to its author with a message: the author is told in the site
 * and by email (with the message), changes it and submits again. A published version stays.
 */
export async function sendBackCaseStudy(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	slug: string,
	message: string,
	site: { siteName: string; origin: string }
): Promise<CaseStudy | undefined> {
	assertCan(canReviewCaseStudies(actor), 'Only curators send case studies back.');
	const caseStudy = await findCaseStudyBySlug(db, slug);
	if (!caseStudy || caseStudy.review_state !== 'waiting') return undefined;
	const curatorId = actor && 'id' in actor ? actor.id : null;
	return db.transaction().execute(async (trx) => {
		const changes = {
			review_state: 'returned' as const,
			review_message: message,
			reviewed_by: curatorId,
			updated_at: nowIso()
		};
		await updateCaseStudyRow(trx, caseStudy.id, changes);
		await recordAudit(trx, {
			actor: actor && 'id' in actor ? actor : null,
			action: 'case_study.sent_back',
			target: { type: 'case_study', id: caseStudy.id }
		});
		const author = caseStudy.author_id
			? await findMember(trx, { id: caseStudy.author_id })
			: undefined;
		if (author) {
			const link = `${site.origin}/library/${caseStudy.slug}/edit`;
			await enqueueMail(trx, {
				to: author.email,
				userId: author.id,
				kind: 'library.sent-back',
				subject: `Your case study “${caseStudy.title}” needs some changes`,
				keptSubject: 'Your case study needs some changes',
				text: [
					`Hello ${author.name},`,
					'',
					`A curator on ${site.siteName} read your case study “${caseStudy.title}” and asks for some changes before it is published. They said:`,
					'',
					message,
					'',
					`Your case study is kept as you wrote it. Change it and submit it again here: ${link}`
				].join('\n')
			});
			await notify(trx, {
				recipientId: author.id,
				kind: 'content-decision',
				subjectKey: `case-study:${caseStudy.id}`,
				title: `A curator asks for changes to your case study “${caseStudy.title}”. We have emailed you what they said.`,
				url: `/library/${caseStudy.slug}/edit`,
				actorId: curatorId
			});
		}
		return { ...caseStudy, ...changes };
	});
}

// People involved ---------------------------------------------------------------------------

/**
 * The author names a member as involved (by email address or profile address) and says how.
 * They are asked for their consent in the site (and by email, as they choose); nothing about
 * them shows until they say yes.
 */
export async function askInvolvement(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	slug: string,
	raw: { person: string; role: string }
): Promise<{ ok: true } | { ok: false; errors: FieldErrors; status?: number }> {
	assertCan(canWriteCaseStudies(actor), 'Sign in to write case studies.');
	const caseStudy = await findCaseStudyBySlug(db, slug);
	if (!caseStudy) return { ok: false, errors: { form: 'This case study is gone.' }, status: 404 };
	assertCan(canEditCaseStudy(actor, caseStudy), 'Only the author names people on a case study.');
	const parsed = involvementSchema.safeParse(raw);
	if (!parsed.success) {
		const errors: FieldErrors = {};
		for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
		return { ok: false, errors };
	}
	const limited = await rateLimited(db, actor);
	if (limited) return { ok: false, errors: limited, status: 429 };
	const who = parsed.data.person;
	const profileId = /(?:^|\/)people\/([A-Za-z0-9_-]{1,60})\/?$/.exec(who)?.[1];
	const member = profileId
		? await findMember(db, { id: profileId })
		: who.includes('@')
			? await findMember(db, { email: who })
			: undefined;
	if (!member)
		return {
			ok: false,
			errors: {
				person:
					'We found no member with that address. Use the email address they signed up with, or the address of their profile page (…/people/…).'
			}
		};
	if (member.id === actor.id)
		return {
			ok: false,
			errors: { person: 'You wrote it: say how you were involved in “Who was involved and how”.' }
		};
	const existing = (await listInvolvements(db, caseStudy.id, false)).find(
		(p) => p.user_id === member.id
	);
	if (existing && existing.state !== 'declined' && existing.state !== 'withdrawn')
		return { ok: false, errors: { person: `${member.name} is already named on it.` } };
	const now = nowIso();
	await db.transaction().execute(async (trx) => {
		if (existing) {
			// Asking again after a "no" is allowed once the author has something new to say.
			await updateInvolvement(trx, existing.id, {
				state: 'asked',
				role: parsed.data.role,
				asked_at: now,
				answered_at: null
			});
		} else {
			await insertInvolvement(trx, {
				id: newId(),
				case_study_id: caseStudy.id,
				user_id: member.id,
				role: parsed.data.role,
				state: 'asked',
				asked_by: actor.id,
				asked_at: now,
				answered_at: null
			});
		}
		await notify(trx, {
			recipientId: member.id,
			kind: 'case-study-involvement',
			subjectKey: `case-study:${caseStudy.id}`,
			title: `${actor.name} named you as involved in the case study “${caseStudy.title}”. May we show your name?`,
			url: '/library/involved',
			actorId: actor.id
		});
	});
	return { ok: true };
}

/** The author takes a person off their case study. */
export async function removeInvolvement(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	slug: string,
	involvementId: string
): Promise<boolean> {
	const caseStudy = await findCaseStudyBySlug(db, slug);
	if (!caseStudy) return false;
	assertCan(canEditCaseStudy(actor, caseStudy), 'Only the author changes who is named.');
	const row = await findInvolvement(db, involvementId);
	if (!row || row.case_study_id !== caseStudy.id) return false;
	await changeContent(db, (trx) => deleteInvolvement(trx, row.id));
	return true;
}

export type InvolvementAnswer = 'consent' | 'decline' | 'withdraw';

/** The person named says yes, no, or (later) withdraws: only they can. */
export async function answerInvolvement(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	involvementId: string,
	answer: InvolvementAnswer
): Promise<InvolvementState | undefined> {
	assertCan(canWriteCaseStudies(actor), 'Sign in to answer.');
	const row = await findInvolvement(db, involvementId);
	if (!row) return undefined;
	assertCan(canAnswerInvolvement(actor, row), 'Only the person named can answer for themselves.');
	const state: InvolvementState =
		answer === 'consent' ? 'consented' : answer === 'decline' ? 'declined' : 'withdrawn';
	if (answer === 'withdraw' && row.state !== 'consented') return row.state;
	await changeContent(db, async (trx) => {
		await updateInvolvement(trx, row.id, { state, answered_at: nowIso() });
	});
	return state;
}

/** The case studies that name this member, with their answer. */
export async function myInvolvements(db: Db, actor: Actor | null | undefined) {
	assertCan(canWriteCaseStudies(actor), 'Sign in to see where you are named.');
	return listInvolvementsOfUser(db, actor.id, 200);
}

export type { CaseStudyVersion };
