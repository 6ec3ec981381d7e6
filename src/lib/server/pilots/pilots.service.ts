import type { Kysely, Transaction } from 'kysely';
import { recordAudit } from '../audit/audit.service';
import { assertCan, isPerson, type Actor } from '../auth/auth.permissions';
import type { SessionUser } from '../auth/auth.types';
import { changeContent } from '../cache/content-version';
import type { DB } from '../db/schema';
import { isUniqueViolation } from '../db/errors';
import type { FieldErrors } from '../forms';
import { newId, nowIso } from '../ids';
import { startCaseStudyFromPilot, viewCaseStudy } from '../library/case-studies.service';
import { libraryVocabulary, unknownTags } from '../library/tags.service';
import { markdownExcerpt, renderMarkdown } from '../markdown';
import { notify } from '../notifications/notifications.service';
import {
	mayRepresentOrganisation,
	organisationsActorMayRepresent
} from '../organisations/organisations.service';
import {
	consumeRateLimit,
	describeWait,
	type RateLimitRule
} from '../rate-limit/rate-limit.service';
import {
	canFollowPilot,
	canManagePilot,
	canRemoveFromTeam,
	canSeePilot,
	canStartPilot,
	canWriteEntries,
	roleIn,
	type PilotRole
} from './pilots.permissions';
import {
	countEntries,
	countFollowers,
	countPilots,
	deleteFollower,
	deleteMember,
	dropFollowersOutsideTeam,
	findEntry,
	findOrganisationOf,
	findPersonByEmail,
	findPilot,
	findPilotByCaseStudy,
	findPilotSlugsLike,
	followersWhoMaySee,
	insertEntry,
	insertFollower,
	insertMember,
	insertPilot,
	listAllEntries,
	listEntriesPage,
	listPilotsPage,
	listTeam,
	serviceAreasOf,
	setPilotServiceAreas,
	updateEntryRow,
	updatePilotRow,
	type PilotWithViewer
} from './pilots.repository';
import type { EntryInput, PilotEditInput, PilotInput } from './pilots.schema';
import { refreshPilotSearch } from './pilots.search';
import type { PilotStatus, PilotVisibility } from './pilots.tables';
import { slugWords } from '../slugs';

type Db = Kysely<DB>;

/** Pilots on one page of /pilots. */
export const PILOTS_PAGE_SIZE = 20;
/** Entries on one page of a pilot's log. */
export const ENTRIES_PAGE_SIZE = 20;
/** Entries one person may post: 20 an hour, across every pilot. */
export const ENTRY_RATE: RateLimitRule = { limit: 20, windowSeconds: 3600 };
/** New pilots one person may start: 10 a day. */
export const PILOT_RATE: RateLimitRule = { limit: 10, windowSeconds: 86_400 };
/** People one owner may add to teams: 30 an hour (the address box tells whether someone has an account). */
export const TEAM_RATE: RateLimitRule = { limit: 30, windowSeconds: 3600 };

/** What the visibility choices say, for forms and the log. */
export const VISIBILITY_LABELS: Record<PilotVisibility, string> = {
	public: 'Everyone, including people who are not signed in',
	members: 'Members who are signed in',
	team: 'Only the pilot’s team'
};

export const STATUS_LABELS: Record<PilotStatus, string> = {
	running: 'Running',
	finished: 'Finished'
};

export type Invalid = { ok: false; reason: 'invalid'; errors: FieldErrors };
export type NotFound = { ok: false; reason: 'not-found' };
export type RateLimited = { ok: false; reason: 'rate-limited'; retryAfterSeconds: number };

/** The sentence a person reads when they have written too much too fast. */
export function describeRateLimit(what: string, retryAfterSeconds: number): string {
	return `You have ${what} a lot in a short time. Please wait ${describeWait(retryAfterSeconds)} and try again. What you wrote is still here.`;
}

/** "Evening drop-in for carers" → "evening-drop-in-for-carers"; never empty, never "new". */
export function pilotSlugBase(title: string): string {
	const slug = slugWords(title);
	if (!slug || slug === 'new') return `pilot-${slug || 'untitled'}`;
	return slug;
}

async function freeSlug(db: Db | Transaction<DB>, title: string): Promise<string> {
	const base = pilotSlugBase(title);
	const taken = new Set(await findPilotSlugsLike(db, base));
	if (!taken.has(base)) return base;
	for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** Today's date in the site's time zone, 'YYYY-MM-DD'. */
export function localToday(timeZone: string, now = new Date()): string {
	return new Intl.DateTimeFormat('en-CA', {
		timeZone,
		year: 'numeric',
		month: '2-digit',
		day: '2-digit'
	}).format(now);
}

/** "3 December 2026" for a 'YYYY-MM-DD' date. */
export function longDate(date: string): string {
	return new Date(`${date}T12:00:00Z`).toLocaleDateString('en-GB', {
		day: 'numeric',
		month: 'long',
		year: 'numeric',
		timeZone: 'UTC'
	});
}

/** A pilot as the viewer may reach it: undefined when it is not there or not for them. */
async function reachPilot(
	db: Db,
	viewer: Actor | null | undefined,
	by: { slug: string } | { id: string }
): Promise<{ pilot: PilotWithViewer; role: PilotRole } | undefined> {
	const viewerId = isPerson(viewer) ? viewer.id : null;
	const pilot = await findPilot(db, by, viewerId);
	if (!pilot) return undefined;
	const role = roleIn(viewer, pilot, pilot.is_member === 1);
	if (!canSeePilot(viewer, pilot, role)) return undefined;
	return { pilot, role };
}

// ---------------------------------------------------------------------------------------------
// The pilot itself

/** What the pilot form offers: the service areas and the organisations the person belongs to. */
export async function pilotFormChoices(db: Db, actor: SessionUser) {
	const [vocabulary, organisations] = await Promise.all([
		libraryVocabulary(db),
		organisationsActorMayRepresent(db, actor.id)
	]);
	return {
		serviceAreas: vocabulary.serviceAreas.map((t) => ({ value: t.id, label: t.label })),
		organisations: organisations.map((o) => ({ value: o.id, label: o.name }))
	};
}

/** The checks after the schema: known service areas, an organisation the person belongs to. */
async function checkPilotInput(
	db: Db,
	actor: SessionUser,
	input: Pick<PilotInput, 'serviceAreas' | 'organisationId'>,
	existing?: { serviceAreaIds: string[]; organisationId: string | null }
): Promise<FieldErrors> {
	const errors: FieldErrors = {};
	const unknown = await unknownTags(
		db,
		'service-area',
		input.serviceAreas,
		existing?.serviceAreaIds
	);
	if (unknown.length)
		errors.serviceAreas =
			'One of the service areas you chose is not on the list any more. Choose from the list shown.';
	if (
		input.organisationId &&
		input.organisationId !== existing?.organisationId &&
		!(await mayRepresentOrganisation(db, actor.id, input.organisationId))
	)
		errors.organisationId =
			'You can only run a pilot on behalf of an organisation you belong to. Choose one of yours, or none.';
	return errors;
}

/** A member starts a pilot: they own it and its team starts with them alone. */
export async function startPilot(
	db: Db,
	actor: Actor | null | undefined,
	input: PilotInput,
	now = nowIso()
): Promise<{ ok: true; slug: string; id: string } | Invalid | RateLimited> {
	assertCan(canStartPilot(actor), 'Sign in to start a pilot.');
	const errors = await checkPilotInput(db, actor, input);
	if (Object.keys(errors).length) return { ok: false, reason: 'invalid', errors };
	const limited = await consumeRateLimit(db, `pilots.start:user:${actor.id}`, PILOT_RATE);
	if (!limited.ok)
		return { ok: false, reason: 'rate-limited', retryAfterSeconds: limited.retryAfterSeconds };
	const id = newId();
	const write = () =>
		changeContent(db, async (trx) => {
			const slug = await freeSlug(trx, input.title);
			await insertPilot(trx, {
				id,
				slug,
				title: input.title,
				summary: input.summary,
				status: 'running',
				visibility: input.visibility,
				owner_id: actor.id,
				organisation_id: input.organisationId || null,
				case_study_id: null,
				case_study_slug: null,
				finished_at: null,
				created_at: now,
				updated_at: now
			});
			await setPilotServiceAreas(trx, id, [...new Set(input.serviceAreas)]);
			await refreshPilotSearch(trx, id);
			await recordAudit(trx, { actor, action: 'pilot.started', target: { type: 'pilot', id } });
			return slug;
		});
	// Two pilots started at once with one title may pick the same address; the unique index
	// refuses the second, which tries again with the next free one.
	for (let attempt = 1; ; attempt++) {
		try {
			return { ok: true, slug: await write(), id };
		} catch (caught) {
			if (attempt < 5 && isUniqueViolation(caught)) continue;
			throw caught;
		}
	}
}

/** The pilot as its edit form shows it; only the owner gets it. */
export async function pilotForEditing(db: Db, actor: Actor | null | undefined, slug: string) {
	const reached = await reachPilot(db, actor, { slug });
	if (!reached) return undefined;
	const { pilot } = reached;
	assertCan(canManagePilot(actor, pilot), 'Only the pilot’s owner can change its details.');
	const areas = await serviceAreasOf(db, [pilot.id]);
	return {
		pilot,
		values: {
			title: pilot.title,
			summary: pilot.summary,
			serviceAreas: areas.map((a) => a.tag_id),
			organisationId: pilot.organisation_id ?? '',
			visibility: pilot.visibility,
			status: pilot.status
		}
	};
}

/**
 * The owner changes the pilot's details, whether it is running and who may read it. When it
 * becomes for the team only, followers outside the team stop following (they could no longer
 * read what they would be told of).
 */
export async function updatePilot(
	db: Db,
	actor: Actor | null | undefined,
	slug: string,
	input: PilotEditInput,
	now = nowIso()
): Promise<{ ok: true; slug: string; droppedFollowers: number } | Invalid | NotFound> {
	const reached = await reachPilot(db, actor, { slug });
	if (!reached) return { ok: false, reason: 'not-found' };
	const { pilot } = reached;
	assertCan(canManagePilot(actor, pilot), 'Only the pilot’s owner can change its details.');
	const areas = await serviceAreasOf(db, [pilot.id]);
	const errors = await checkPilotInput(db, actor, input, {
		serviceAreaIds: areas.map((a) => a.tag_id),
		organisationId: pilot.organisation_id
	});
	if (Object.keys(errors).length) return { ok: false, reason: 'invalid', errors };
	const droppedFollowers = await changeContent(db, async (trx) => {
		await updatePilotRow(trx, pilot.id, {
			title: input.title,
			summary: input.summary,
			organisation_id: input.organisationId || null,
			visibility: input.visibility,
			status: input.status,
			finished_at: input.status === 'finished' ? (pilot.finished_at ?? now) : null,
			updated_at: now
		});
		await setPilotServiceAreas(trx, pilot.id, [...new Set(input.serviceAreas)]);
		await refreshPilotSearch(trx, pilot.id);
		const dropped = input.visibility === 'team' ? await dropFollowersOutsideTeam(trx, pilot) : 0;
		if (input.visibility !== pilot.visibility || input.status !== pilot.status)
			await recordAudit(trx, {
				actor,
				action: 'pilot.changed',
				target: { type: 'pilot', id: pilot.id },
				detail: { visibility: input.visibility, status: input.status, droppedFollowers: dropped }
			});
		return dropped;
	});
	return { ok: true, slug: pilot.slug, droppedFollowers };
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface PilotListQuery {
	/** A service area's slug, as the address carries it. */
	area?: string;
	status?: PilotStatus;
}

/** The filters from the address; anything unknown is dropped rather than refused. */
export function parsePilotQuery(params: URLSearchParams): PilotListQuery {
	const area = params.get('area')?.trim() ?? '';
	const status = params.get('status');
	return {
		...(/^[a-z0-9-]{1,80}$/.test(area) ? { area } : {}),
		...(status === 'running' || status === 'finished' ? { status } : {})
	};
}

/** A page of the pilots the viewer may read, filtered, with their service areas. */
export async function listPilots(
	db: Db,
	viewer: Actor | null | undefined,
	query: PilotListQuery,
	page: number
) {
	const vocabulary = await libraryVocabulary(db, { includeRetired: true });
	const area = query.area ? vocabulary.serviceAreas.find((t) => t.slug === query.area) : undefined;
	const choices = vocabulary.serviceAreas
		.filter((t) => t.status === 'active' || t.id === area?.id)
		.map((t) => ({ value: t.slug, label: t.label }));
	if (query.area && !area)
		return { pilots: [], total: 0, totalPages: 1, choices, unknownArea: true };
	const filters = {
		viewerId: isPerson(viewer) ? viewer.id : null,
		areaId: area?.id,
		status: query.status
	};
	const [total, rows] = await Promise.all([
		countPilots(db, filters),
		listPilotsPage(db, filters, {
			limit: PILOTS_PAGE_SIZE,
			offset: (page - 1) * PILOTS_PAGE_SIZE
		})
	]);
	const areas = await serviceAreasOf(
		db,
		rows.map((r) => r.id)
	);
	const label = new Map(vocabulary.serviceAreas.map((t) => [t.id, t.label]));
	return {
		pilots: rows.map((r) => ({
			slug: r.slug,
			title: r.title,
			excerpt: markdownExcerpt(r.summary, 200),
			status: r.status,
			visibility: r.visibility,
			updatedAt: r.updated_at,
			owner: r.owner_name,
			organisation: r.organisation_name,
			entries: r.entries,
			serviceAreas: areas
				.filter((a) => a.pilot_id === r.id)
				.map((a) => label.get(a.tag_id) ?? '')
				.filter(Boolean)
		})),
		total,
		totalPages: Math.max(1, Math.ceil(total / PILOTS_PAGE_SIZE)),
		choices,
		unknownArea: false
	};
}

export interface EntryView {
	id: string;
	date: string;
	dateLabel: string;
	parts: Array<{
		key: 'tried' | 'happened' | 'learned' | 'nextChange';
		heading: string;
		html: string;
	}>;
	author: string;
	edited: boolean;
}

const PART_HEADINGS = [
	['tried', 'What we tried'],
	['happened', 'What happened'],
	['learned', 'What we learned'],
	['nextChange', 'What we will change next']
] as const;

/**
 * A pilot's log as the viewer may read it: the pilot, a page of entries (the newest day first,
 * so people coming back see what is new at the top), and what the viewer may do. Undefined when
 * it does not exist or is not for them, so nothing about it leaks.
 */
export async function viewPilot(db: Db, viewer: Actor | null | undefined, slug: string, page = 1) {
	const reached = await reachPilot(db, viewer, { slug });
	if (!reached) return undefined;
	const { pilot, role } = reached;
	const [vocabulary, areas, total, rows, team, followers] = await Promise.all([
		libraryVocabulary(db, { includeRetired: true }),
		serviceAreasOf(db, [pilot.id]),
		countEntries(db, pilot.id),
		listEntriesPage(db, pilot.id, {
			limit: ENTRIES_PAGE_SIZE,
			offset: (page - 1) * ENTRIES_PAGE_SIZE
		}),
		listTeam(db, pilot),
		countFollowers(db, pilot.id)
	]);
	const [organisation, caseStudy] = await Promise.all([
		pilot.organisation_id ? findOrganisationOf(db, pilot.organisation_id) : undefined,
		// Linked for those who may read it: everyone once published; its author while a draft.
		pilot.case_study_slug
			? viewCaseStudy(db, viewer, pilot.case_study_slug).then((found) =>
					found ? { slug: found.caseStudy.slug, published: found.published } : null
				)
			: null
	]);
	const label = new Map(vocabulary.serviceAreas.map((t) => [t.id, t.label]));
	const entries: EntryView[] = rows.map((r) => {
		const text = {
			tried: r.tried,
			happened: r.happened,
			learned: r.learned,
			nextChange: r.next_change
		};
		return {
			id: r.id,
			date: r.entry_date,
			dateLabel: longDate(r.entry_date),
			parts: PART_HEADINGS.filter(([key]) => text[key]).map(([key, heading]) => ({
				key,
				heading,
				html: renderMarkdown(text[key], { restricted: true })
			})),
			author: r.author_name ?? 'A former member',
			edited: !!r.edited_at
		};
	});
	return {
		pilot: {
			id: pilot.id,
			slug: pilot.slug,
			title: pilot.title,
			summaryHtml: renderMarkdown(pilot.summary, { headingOffset: 1 }),
			status: pilot.status,
			visibility: pilot.visibility,
			visibilityLabel: VISIBILITY_LABELS[pilot.visibility],
			finishedAt: pilot.finished_at,
			caseStudy,
			serviceAreas: areas.map((a) => label.get(a.tag_id) ?? '').filter(Boolean),
			organisation: organisation ?? null,
			owner: team.owner?.name ?? null,
			team: team.members.map((m) => m.name)
		},
		entries,
		total,
		page,
		totalPages: Math.max(1, Math.ceil(total / ENTRIES_PAGE_SIZE)),
		followers,
		viewer: {
			signedIn: isPerson(viewer),
			role,
			following: pilot.is_following === 1,
			canWrite: canWriteEntries(viewer, role),
			canManage: canManagePilot(viewer, pilot),
			canFollow: canFollowPilot(viewer, pilot, role),
			canStartCaseStudy:
				canManagePilot(viewer, pilot) && pilot.status === 'finished' && !pilot.case_study_id
		}
	};
}

/** The pilot that became this case study, to link its log; for the case study's page. */
export async function pilotForCaseStudy(
	db: Db,
	caseStudyId: string
): Promise<{ slug: string; title: string; visibility: PilotVisibility } | undefined> {
	return findPilotByCaseStudy(db, caseStudyId);
}

// ---------------------------------------------------------------------------------------------
// Entries

/** The entry form's page: the pilot, for its team only. */
export async function pilotForNewEntry(db: Db, actor: Actor | null | undefined, slug: string) {
	const reached = await reachPilot(db, actor, { slug });
	if (!reached) return undefined;
	assertCan(
		canWriteEntries(actor, reached.role),
		'Only the pilot’s team can add entries. Ask its owner to add you to the team.'
	);
	return { slug: reached.pilot.slug, title: reached.pilot.title };
}

function checkEntryDate(input: EntryInput, timeZone: string, now: string): FieldErrors {
	// A day's grace for people writing late at night in another time zone.
	const latest = localToday(timeZone, new Date(Date.parse(now) + 86_400_000));
	if (input.date > latest)
		return { date: 'The date cannot be in the future. Enter the day it happened.' };
	if (input.date < '2000-01-01') return { date: 'Enter a date from the year 2000 or later' };
	return {};
}

/**
 * Someone on the team adds a dated entry. Followers who may still read the pilot are told in
 * the site and by email (as each has chosen), in the entry's own transaction.
 */
export async function addEntry(
	db: Db,
	actor: Actor | null | undefined,
	slug: string,
	input: EntryInput,
	options: { timeZone: string; now?: string }
): Promise<{ ok: true; id: string; told: number } | Invalid | NotFound | RateLimited> {
	const now = options.now ?? nowIso();
	const reached = await reachPilot(db, actor, { slug });
	if (!reached) return { ok: false, reason: 'not-found' };
	const { pilot, role } = reached;
	assertCan(
		canWriteEntries(actor, role),
		'Only the pilot’s team can add entries. Ask its owner to add you to the team.'
	);
	const errors = checkEntryDate(input, options.timeZone, now);
	if (Object.keys(errors).length) return { ok: false, reason: 'invalid', errors };
	const limited = await consumeRateLimit(db, `pilots.entry:user:${actor.id}`, ENTRY_RATE);
	if (!limited.ok)
		return { ok: false, reason: 'rate-limited', retryAfterSeconds: limited.retryAfterSeconds };
	const id = newId();
	const told = await changeContent(db, async (trx) => {
		// Read again inside the write: the pilot may have narrowed a moment ago.
		const fresh = await findPilot(trx, { id: pilot.id }, actor.id);
		if (!fresh || !canWriteEntries(actor, roleIn(actor, fresh, fresh.is_member === 1))) return -1;
		await insertEntry(trx, {
			id,
			pilot_id: pilot.id,
			entry_date: input.date,
			tried: input.tried,
			happened: input.happened,
			learned: input.learned,
			next_change: input.nextChange,
			author_id: actor.id,
			edited_by: null,
			created_at: now,
			edited_at: null
		});
		await updatePilotRow(trx, pilot.id, { updated_at: now });
		await refreshPilotSearch(trx, pilot.id);
		let count = 0;
		for (const recipientId of await followersWhoMaySee(trx, fresh)) {
			const outcome = await notify(
				trx,
				{
					recipientId,
					kind: 'pilot-entry',
					subjectKey: `pilot:${pilot.id}`,
					title: `${actor.name} added an entry to the pilot “${fresh.title}”`,
					url: `/pilots/${fresh.slug}#entry-${id}`,
					actorId: actor.id
				},
				now
			);
			if (outcome !== 'skipped') count++;
		}
		return count;
	});
	if (told < 0) return { ok: false, reason: 'not-found' };
	return { ok: true, id, told };
}

/** An entry as its edit form shows it; for the pilot's team. */
export async function entryForEditing(
	db: Db,
	actor: Actor | null | undefined,
	slug: string,
	entryId: string
) {
	const reached = await reachPilot(db, actor, { slug });
	if (!reached) return undefined;
	const entry = await findEntry(db, entryId);
	if (!entry || entry.pilot_id !== reached.pilot.id) return undefined;
	assertCan(canWriteEntries(actor, reached.role), 'Only the pilot’s team can edit its entries.');
	return {
		pilot: { slug: reached.pilot.slug, title: reached.pilot.title },
		values: {
			date: entry.entry_date,
			tried: entry.tried,
			happened: entry.happened,
			learned: entry.learned,
			nextChange: entry.next_change
		}
	};
}

/** Someone on the team corrects an entry (followers are not told again). */
export async function editEntry(
	db: Db,
	actor: Actor | null | undefined,
	slug: string,
	entryId: string,
	input: EntryInput,
	options: { timeZone: string; now?: string }
): Promise<{ ok: true } | Invalid | NotFound | RateLimited> {
	const now = options.now ?? nowIso();
	const reached = await reachPilot(db, actor, { slug });
	if (!reached) return { ok: false, reason: 'not-found' };
	const entry = await findEntry(db, entryId);
	if (!entry || entry.pilot_id !== reached.pilot.id) return { ok: false, reason: 'not-found' };
	assertCan(canWriteEntries(actor, reached.role), 'Only the pilot’s team can edit its entries.');
	const errors = checkEntryDate(input, options.timeZone, now);
	if (Object.keys(errors).length) return { ok: false, reason: 'invalid', errors };
	const limited = await consumeRateLimit(db, `pilots.entry:user:${actor.id}`, ENTRY_RATE);
	if (!limited.ok)
		return { ok: false, reason: 'rate-limited', retryAfterSeconds: limited.retryAfterSeconds };
	await changeContent(db, async (trx) => {
		await updateEntryRow(trx, entry.id, {
			entry_date: input.date,
			tried: input.tried,
			happened: input.happened,
			learned: input.learned,
			next_change: input.nextChange,
			edited_by: actor.id,
			edited_at: now
		});
		await refreshPilotSearch(trx, entry.pilot_id);
	});
	return { ok: true };
}

// ---------------------------------------------------------------------------------------------
// The team

/** The team page: the owner manages it; members see it to leave. */
export async function viewTeam(db: Db, actor: Actor | null | undefined, slug: string) {
	const reached = await reachPilot(db, actor, { slug });
	if (!reached) return undefined;
	const { pilot, role } = reached;
	assertCan(role !== null, 'Only the pilot’s team can see who is on it.');
	const team = await listTeam(db, pilot);
	return {
		pilot: { slug: pilot.slug, title: pilot.title, visibility: pilot.visibility },
		owner: team.owner ? { id: team.owner.id, name: team.owner.name } : null,
		members: team.members.map((m) => ({ id: m.user_id, name: m.name, addedAt: m.added_at })),
		canManage: canManagePilot(actor, pilot)
	};
}

/** The owner adds a member to the team by the address they sign in with. */
export async function addTeamMember(
	db: Db,
	actor: Actor | null | undefined,
	slug: string,
	email: string,
	now = nowIso()
): Promise<{ ok: true; name: string } | Invalid | NotFound | RateLimited> {
	const reached = await reachPilot(db, actor, { slug });
	if (!reached) return { ok: false, reason: 'not-found' };
	const { pilot } = reached;
	assertCan(canManagePilot(actor, pilot), 'Only the pilot’s owner can change its team.');
	const limited = await consumeRateLimit(db, `pilots.team:user:${actor.id}`, TEAM_RATE);
	if (!limited.ok)
		return { ok: false, reason: 'rate-limited', retryAfterSeconds: limited.retryAfterSeconds };
	const person = await findPersonByEmail(db, email);
	if (!person)
		return {
			ok: false,
			reason: 'invalid',
			errors: {
				email:
					'Nobody has an account with that email address. Ask them to sign up first, with the address they will use.'
			}
		};
	if (person.id === pilot.owner_id)
		return { ok: false, reason: 'invalid', errors: { email: 'You own this pilot already.' } };
	await changeContent(db, async (trx) => {
		const added = await insertMember(trx, {
			pilot_id: pilot.id,
			user_id: person.id,
			added_by: actor.id,
			added_at: now
		});
		if (added)
			await recordAudit(trx, {
				actor,
				action: 'pilot.member_added',
				target: { type: 'pilot', id: pilot.id }
			});
	});
	return { ok: true, name: person.name };
}

/**
 * The owner removes someone from the team, or a member leaves. On a pilot for the team only,
 * they stop following it too.
 */
export async function removeTeamMember(
	db: Db,
	actor: Actor | null | undefined,
	slug: string,
	userId: string
): Promise<{ ok: true; left: boolean } | NotFound> {
	const reached = await reachPilot(db, actor, { slug });
	if (!reached) return { ok: false, reason: 'not-found' };
	const { pilot } = reached;
	assertCan(canRemoveFromTeam(actor, pilot, userId), 'Only the pilot’s owner can change its team.');
	await changeContent(db, async (trx) => {
		if (!(await deleteMember(trx, pilot.id, userId))) return;
		if (pilot.visibility === 'team') await dropFollowersOutsideTeam(trx, pilot);
		await recordAudit(trx, {
			actor,
			action: 'pilot.member_removed',
			target: { type: 'pilot', id: pilot.id }
		});
	});
	return { ok: true, left: userId === actor.id };
}

// ---------------------------------------------------------------------------------------------
// Following

/** A signed-in person who may read a pilot follows it, to be told of each new entry. */
export async function followPilot(
	db: Db,
	actor: Actor | null | undefined,
	slug: string,
	now = nowIso()
): Promise<{ ok: true } | NotFound> {
	assertCan(isPerson(actor), 'Sign in to follow a pilot.');
	const reached = await reachPilot(db, actor, { slug });
	if (!reached) return { ok: false, reason: 'not-found' };
	assertCan(canFollowPilot(actor, reached.pilot, reached.role), 'You cannot follow this pilot.');
	// The log shows how many follow it, to visitors too: their cached copy goes.
	await changeContent(db, (trx) => insertFollower(trx, reached.pilot.id, actor.id, now));
	return { ok: true };
}

/** Stops following; always allowed for one's own follow, even of a pilot one can no longer read. */
export async function unfollowPilot(
	db: Db,
	actor: Actor | null | undefined,
	slug: string
): Promise<{ ok: true }> {
	assertCan(isPerson(actor), 'Sign in to stop following a pilot.');
	const pilot = await findPilot(db, { slug }, actor.id);
	if (pilot && pilot.is_following)
		await changeContent(db, (trx) => deleteFollower(trx, pilot.id, actor.id));
	return { ok: true };
}

// ---------------------------------------------------------------------------------------------
// From pilot to case study

/** The case studies side's use case, as the library's contract names it. */
export type StartCaseStudyFromPilot = (
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
) => Promise<{ id: string; slug: string }>;

/** What the log's entries learned, oldest first, as the case study's starting text. */
export function learnedFromEntries(
	entries: Array<{ entry_date: string; learned: string; next_change: string }>
): string {
	return entries
		.filter((e) => e.learned || e.next_change)
		.map((e) =>
			[
				`**${longDate(e.entry_date)}**`,
				e.learned,
				e.next_change ? `Next we would change: ${e.next_change}` : ''
			]
				.filter(Boolean)
				.join('\n\n')
		)
		.join('\n\n');
}

/**
 * The owner turns a finished pilot into a draft case study in one step: the draft starts with
 * the pilot's words and what each entry learned, and the pilot keeps its id to link to it.
 */
export async function turnPilotIntoCaseStudy(
	db: Db,
	actor: Actor | null | undefined,
	slug: string,
	start: StartCaseStudyFromPilot = startCaseStudyFromPilot,
	now = nowIso()
): Promise<
	| { ok: true; caseStudy: { id: string; slug: string } }
	| NotFound
	| { ok: false; reason: 'not-finished' | 'already' }
> {
	const reached = await reachPilot(db, actor, { slug });
	if (!reached) return { ok: false, reason: 'not-found' };
	const { pilot } = reached;
	assertCan(canManagePilot(actor, pilot), 'Only the pilot’s owner can turn it into a case study.');
	if (pilot.status !== 'finished') return { ok: false, reason: 'not-finished' };
	// Claimed first, so a second click cannot start a second draft.
	const claim = await db
		.updateTable('pilot')
		.set({ case_study_id: 'starting' })
		.where('id', '=', pilot.id)
		.where('case_study_id', 'is', null)
		.executeTakeFirst();
	if (Number(claim.numUpdatedRows) === 0) return { ok: false, reason: 'already' };
	try {
		const [areas, entries] = await Promise.all([
			serviceAreasOf(db, [pilot.id]),
			listAllEntries(db, pilot.id)
		]);
		const caseStudy = await start(db, actor, {
			id: pilot.id,
			title: pilot.title,
			summary: markdownExcerpt(pilot.summary, 500),
			serviceAreaIds: areas.map((a) => a.tag_id),
			organisationId: pilot.organisation_id,
			whatWasLearned: learnedFromEntries(entries)
		});
		await changeContent(db, async (trx) => {
			await updatePilotRow(trx, pilot.id, {
				case_study_id: caseStudy.id,
				case_study_slug: caseStudy.slug,
				updated_at: now
			});
			await refreshPilotSearch(trx, pilot.id);
			await recordAudit(trx, {
				actor,
				action: 'pilot.case_study_started',
				target: { type: 'pilot', id: pilot.id }
			});
		});
		return { ok: true, caseStudy };
	} catch (caught) {
		await updatePilotRow(db, pilot.id, { case_study_id: null });
		throw caught;
	}
}
