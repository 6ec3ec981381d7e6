import type { Kysely, Transaction } from 'kysely';
import { recordAudit } from '../audit/audit.service';
import { assertCan, isPerson, type Actor } from '../auth/auth.permissions';
import type { SessionUser } from '../auth/auth.types';
import { changeContent } from '../cache/content-version';
import type { DB } from '../db/schema';
import { publicEventsHostedBy } from '../events/events.service';
import { allErrors, parseForm, type FieldErrors, type FormValues } from '../forms';
import { newId, nowIso } from '../ids';
import { caseStudiesInvolving } from '../library/case-studies.service';
import { libraryVocabulary, unknownTags, type LibraryVocabulary } from '../library/tags.service';
import { notify } from '../notifications/notifications.service';
import { publishedPostsBy } from '../posts/posts.service';
import { canReviewChampions, canVolunteer } from './champions.permissions';
import {
	findChampionById,
	findChampionOfUser,
	insertChampion,
	listActiveChampionChoices,
	listChampionsKnowingDimensions,
	listConfirmedChampions,
	listCuratorIds,
	listFlaggedRequests,
	listTopics,
	listWaitingChampions,
	replaceTopics,
	updateChampion
} from './champions.repository';
import { refreshChampionSearch } from './champions.search';
import {
	AVAILABILITY,
	VOLUNTEER_LIST_FIELDS,
	volunteerSchema,
	type Availability,
	type ChampionFilters
} from './champions.schema';
import type { Champion, ChampionStatus, ChampionTopicKind } from './champions.tables';
import { returnOpenRequests } from './requests.service';

export const CHAMPIONS_PAGE_SIZE = 20;
/** How many events and posts a champion's page shows. */
export const TOOK_PART_LIMIT = 10;

type Db = Kysely<DB> | Transaction<DB>;

/** A champion as lists and pages show them: never their contact details. */
export interface ChampionCard {
	id: string;
	name: string;
	helpWith: string;
	status: ChampionStatus;
	availability: Availability[];
	serviceAreas: Array<{ id: string; label: string }>;
	dimensions: Array<{ key: string; title: string }>;
	barriers: Array<{ id: string; label: string }>;
}

function availabilityOf(c: Champion): Availability[] {
	return AVAILABILITY.filter((a) => c[`available_${a}`] === 1);
}

/** Cards for these champions, with what they know read in one query for all of them. */
async function cardsFor(
	db: Kysely<DB>,
	rows: Array<Champion & { name: string }>,
	vocabulary: LibraryVocabulary
): Promise<ChampionCard[]> {
	const topics = await listTopics(
		db,
		rows.map((r) => r.id)
	);
	const tagLabel = new Map(
		[...vocabulary.serviceAreas, ...vocabulary.barriers].map((t) => [t.id, t.label])
	);
	const dimensionTitle = new Map(vocabulary.dimensions.map((d) => [d.key, d.title]));
	return rows.map((r) => {
		const mine = topics.filter((t) => t.champion_id === r.id);
		const tags = (kind: ChampionTopicKind) =>
			mine
				.filter((t) => t.kind === kind && tagLabel.has(t.value))
				.map((t) => ({ id: t.value, label: tagLabel.get(t.value)! }));
		return {
			id: r.id,
			name: r.name,
			helpWith: r.help_with,
			status: r.status,
			availability: availabilityOf(r),
			serviceAreas: tags('service-area'),
			barriers: tags('barrier'),
			dimensions: mine
				.filter((t) => t.kind === 'dimension' && dimensionTitle.has(t.value))
				.map((t) => ({ key: t.value, title: dimensionTitle.get(t.value)! }))
		};
	});
}

/** /champions: a page of confirmed, active champions matching the filters. */
export async function listChampions(db: Kysely<DB>, filters: ChampionFilters, page: number) {
	const vocabulary = await libraryVocabulary(db, { includeRetired: true });
	const { rows, total } = await listConfirmedChampions(db, filters, {
		limit: CHAMPIONS_PAGE_SIZE,
		offset: (page - 1) * CHAMPIONS_PAGE_SIZE
	});
	return {
		champions: await cardsFor(db, rows, vocabulary),
		total,
		totalPages: Math.max(1, Math.ceil(total / CHAMPIONS_PAGE_SIZE)),
		vocabulary
	};
}

/**
 * For the co-production check's results: confirmed, active champions who know any of these
 * dimensions (by key), newest confirmed first, with the dimensions they know.
 */
export async function championsForDimensions(
	db: Kysely<DB>,
	dimensionKeys: string[],
	limit: number
): Promise<Array<{ id: string; name: string; path: string; dimensionKeys: string[] }>> {
	if (!dimensionKeys.length || limit < 1) return [];
	const rows = await listChampionsKnowingDimensions(db, dimensionKeys, limit);
	const topics = await listTopics(
		db,
		rows.map((r) => r.id)
	);
	return rows.map((r) => ({
		id: r.id,
		name: r.name,
		path: `/champions/${r.id}`,
		dimensionKeys: topics
			.filter((t) => t.champion_id === r.id && t.kind === 'dimension')
			.map((t) => t.value)
	}));
}

/**
 * A champion's page: what they know and help with, when they are available, and the public
 * events they hosted and posts they published. Never their contact details. Only confirmed
 * and paused champions have a page (and the champion themself sees their own, to check it).
 */
export async function viewChampion(db: Kysely<DB>, viewer: Actor | null | undefined, id: string) {
	const row = await findChampionById(db, id);
	if (!row) return undefined;
	const own = isPerson(viewer) && viewer.id === row.user_id;
	if (!own && row.status !== 'confirmed' && row.status !== 'paused') return undefined;
	const vocabulary = await libraryVocabulary(db, { includeRetired: true });
	const [card] = await cardsFor(db, [row], vocabulary);
	const [events, posts, caseStudies] = await Promise.all([
		publicEventsHostedBy(db, row.user_id, TOOK_PART_LIMIT),
		publishedPostsBy(db, row.user_id, TOOK_PART_LIMIT),
		// Only those where they are named and said yes to being shown.
		caseStudiesInvolving(db, row.user_id, TOOK_PART_LIMIT)
	]);
	return {
		champion: card!,
		userId: row.user_id,
		own,
		takingRequests: row.status === 'confirmed',
		events,
		posts,
		caseStudies
	};
}

/** What the volunteer form offers: the library's service areas and barriers, the check's dimensions. */
export function volunteerChoices(db: Kysely<DB>) {
	return libraryVocabulary(db);
}

/** The member's own champion offer as form values, with its status; undefined if none. */
export async function myChampion(db: Kysely<DB>, actor: SessionUser) {
	const row = await findChampionOfUser(db, actor.id);
	if (!row) return undefined;
	const topics = await listTopics(db, [row.id]);
	const of = (kind: ChampionTopicKind) => topics.filter((t) => t.kind === kind).map((t) => t.value);
	const values: FormValues = {
		serviceAreas: of('service-area'),
		dimensions: of('dimension'),
		barriers: of('barrier'),
		helpWith: row.help_with,
		availability: availabilityOf(row),
		contactBy: row.contact_preference,
		phone: row.phone ?? ''
	};
	return { id: row.id, status: row.status, decisionNote: row.decision_note, values };
}

export type VolunteerResult =
	| { ok: true; id: string; status: ChampionStatus; created: boolean }
	| { ok: false; errors: FieldErrors };

/**
 * A member volunteers as a champion, or changes what they offer. A new offer (or one after
 * stepping down) waits for a curator; a confirmed or paused champion's changes show at once.
 */
export async function volunteer(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	form: FormData,
	now = nowIso()
): Promise<VolunteerResult> {
	assertCan(canVolunteer(actor), 'Sign in to volunteer as a champion.');
	const parsed = parseForm(volunteerSchema, form, { listFields: VOLUNTEER_LIST_FIELDS });
	const input = parsed.ok ? parsed.data : parsed.partial;
	const existing = await findChampionOfUser(db, actor.id);
	const kept = existing ? (await listTopics(db, [existing.id])).map((t) => t.value) : [];
	const checks: FieldErrors = {};
	if (
		input.serviceAreas?.length &&
		(await unknownTags(db, 'service-area', input.serviceAreas, kept)).length
	)
		checks.serviceAreas = 'Choose service areas from the list';
	if (input.barriers?.length && (await unknownTags(db, 'barrier', input.barriers, kept)).length)
		checks.barriers = 'Choose barriers from the list';
	if (input.dimensions?.length) {
		const known = new Set((await libraryVocabulary(db)).dimensions.map((d) => d.key));
		if (input.dimensions.some((k) => !known.has(k) && !kept.includes(k)))
			checks.dimensions = 'Choose parts of co-production from the list';
	}
	if (!parsed.ok || Object.keys(checks).length)
		return {
			ok: false,
			errors: allErrors(volunteerSchema, parsed.ok ? {} : parsed.errors, checks)
		};
	const data = parsed.data;
	// The honeypot: a person never fills it; a bot's offer is quietly not kept.
	if (data.website) return { ok: true, id: existing?.id ?? '', status: 'waiting', created: false };
	const fields = {
		help_with: data.helpWith,
		available_breakfast: data.availability.includes('breakfast') ? 1 : 0,
		available_lunch: data.availability.includes('lunch') ? 1 : 0,
		available_evening: data.availability.includes('evening') ? 1 : 0,
		available_online: data.availability.includes('online') ? 1 : 0,
		contact_preference: data.contactBy,
		phone: data.phone || null,
		updated_at: now
	};
	const topics = [
		...[...new Set(data.serviceAreas)].map((value) => ({ kind: 'service-area' as const, value })),
		...[...new Set(data.dimensions)].map((value) => ({ kind: 'dimension' as const, value })),
		...[...new Set(data.barriers)].map((value) => ({ kind: 'barrier' as const, value }))
	];
	return changeContent(db, async (trx) => {
		let id = existing?.id;
		let status: ChampionStatus = existing?.status ?? 'waiting';
		const created = !existing;
		if (!id) {
			id = newId();
			await insertChampion(trx, {
				id,
				user_id: actor.id,
				...fields,
				status: 'waiting',
				decision_note: null,
				decided_by: null,
				confirmed_at: null,
				created_at: now
			});
		} else {
			// Offering again after stepping down (or a curator's "not now") waits for a curator.
			if (status === 'stepped-down') status = 'waiting';
			await updateChampion(trx, id, { ...fields, status });
		}
		await replaceTopics(trx, id, topics);
		await refreshChampionSearch(trx, id);
		if (status === 'waiting')
			for (const curator of await listCuratorIds(trx))
				await notify(trx, {
					recipientId: curator.id,
					kind: 'champion-request',
					subjectKey: 'champions:waiting',
					title: `${actor.name} offered to be a co-production champion`,
					url: '/champions/review',
					actorId: actor.id
				});
		return { ok: true as const, id, status, created };
	});
}

/** What curators look at on /champions/review: offers waiting and requests nobody answered. */
export async function reviewChampions(db: Kysely<DB>, actor: Actor | null | undefined) {
	assertCan(canReviewChampions(actor), 'Only curators review champions.');
	const vocabulary = await libraryVocabulary(db, { includeRetired: true });
	const [waiting, flagged] = await Promise.all([
		listWaitingChampions(db, 100),
		listFlaggedRequests(db, 100)
	]);
	const area = new Map(vocabulary.serviceAreas.map((t) => [t.id, t.label]));
	return {
		waiting: await cardsFor(db, waiting, vocabulary),
		flagged: flagged.map((f) => ({
			...f,
			serviceArea: f.service_area_id ? (area.get(f.service_area_id) ?? null) : null
		}))
	};
}

/** A curator confirms a new champion: they are listed and can be asked. The volunteer is told. */
export async function confirmChampion(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	id: string,
	now = nowIso()
): Promise<boolean> {
	assertCan(canReviewChampions(actor), 'Only curators confirm champions.');
	return changeContent(db, async (trx) => {
		const row = await findChampionById(trx, id);
		if (!row) return false;
		const moved = await updateChampion(
			trx,
			id,
			{
				status: 'confirmed',
				confirmed_at: row.confirmed_at ?? now,
				decided_by: actor.id,
				decision_note: null,
				updated_at: now
			},
			['waiting']
		);
		if (!moved) return false;
		await refreshChampionSearch(trx, id);
		await recordAudit(trx, {
			actor,
			action: 'champion.confirmed',
			target: { type: 'champion', id }
		});
		await notify(trx, {
			recipientId: row.user_id,
			kind: 'champion-request',
			subjectKey: `champion:${id}`,
			title: 'A curator confirmed you as a co-production champion. Members can now ask you.',
			url: `/champions/${id}`,
			actorId: actor.id
		});
		return true;
	});
}

/** A curator does not confirm an offer, with a note the volunteer reads. */
export async function turnDownChampion(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	id: string,
	note: string,
	now = nowIso()
): Promise<boolean> {
	assertCan(canReviewChampions(actor), 'Only curators decide on champions.');
	return db.transaction().execute(async (trx) => {
		const row = await findChampionById(trx, id);
		if (!row) return false;
		const moved = await updateChampion(
			trx,
			id,
			{ status: 'stepped-down', decided_by: actor.id, decision_note: note, updated_at: now },
			['waiting']
		);
		if (!moved) return false;
		await refreshChampionSearch(trx, id);
		await recordAudit(trx, {
			actor,
			action: 'champion.turned_down',
			target: { type: 'champion', id }
		});
		await notify(trx, {
			recipientId: row.user_id,
			kind: 'champion-request',
			subjectKey: `champion:${id}`,
			title:
				'A curator did not confirm your offer to be a champion. Their note is on your champion page.',
			url: '/champions/volunteer',
			actorId: actor.id
		});
		return true;
	});
}

export type PauseChoice = 'pause' | 'resume' | 'step-down';

/**
 * A champion pauses (no new requests; the ones they hold stay with them), takes requests again,
 * or steps down: requests they hold and have not finished go back to their askers, each with a
 * note, so nobody waits for an answer that will not come.
 */
export async function changeMyChampionStatus(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	choice: PauseChoice,
	now = nowIso()
): Promise<
	{ ok: true; status: ChampionStatus } | { ok: false; reason: 'not-champion' | 'not-now' }
> {
	assertCan(canVolunteer(actor), 'Sign in to change your champion status.');
	const row = await findChampionOfUser(db, actor.id);
	if (!row) return { ok: false, reason: 'not-champion' };
	const plan: Record<PauseChoice, { from: ChampionStatus[]; to: ChampionStatus }> = {
		pause: { from: ['confirmed'], to: 'paused' },
		resume: { from: ['paused'], to: 'confirmed' },
		'step-down': { from: ['waiting', 'confirmed', 'paused'], to: 'stepped-down' }
	};
	const { from, to } = plan[choice];
	return changeContent(db, async (trx) => {
		const moved = await updateChampion(trx, row.id, { status: to, updated_at: now }, from);
		if (!moved) return { ok: false as const, reason: 'not-now' as const };
		await refreshChampionSearch(trx, row.id);
		if (to === 'stepped-down') await returnOpenRequests(trx, actor, row.id, now);
		await recordAudit(trx, {
			actor,
			action: `champion.${choice === 'step-down' ? 'stepped_down' : choice === 'pause' ? 'paused' : 'resumed'}`,
			target: { type: 'champion', id: row.id }
		});
		return { ok: true as const, status: to };
	});
}

/**
 * Confirmed, active champions a request can be passed to, by name: not the champion passing it
 * on, nor the person who asked.
 */
export function championChoices(db: Db, exceptUserIds: string[]) {
	return listActiveChampionChoices(db, exceptUserIds, 500);
}

export { findChampionById };
