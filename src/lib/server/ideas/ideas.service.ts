import type { Kysely, Transaction } from 'kysely';
import { recordAudit } from '../audit/audit.service';
import { assertCan, isPerson, type Actor } from '../auth/auth.permissions';
import type { SessionUser } from '../auth/auth.types';
import { changeContent } from '../cache/content-version';
import type { DB } from '../db/schema';
import { isUniqueViolation } from '../db/errors';
import { createEvent, listFormats } from '../events/events.service';
import { eventPath, type EventsSite } from '../events/events.links';
import { parseForm, toFormData, type FieldErrors, type FormValues } from '../forms';
import { newId, nowIso } from '../ids';
import { markdownExcerpt, renderMarkdown } from '../markdown';
import { isCurator } from '../moderation/moderation.permissions';
import {
	hiddenByModeration,
	isCommentHidden,
	postingSuspendedUntil
} from '../moderation/moderation.service';
import { notify } from '../notifications/notifications.service';
import { pilotSchema } from '../pilots/pilots.schema';
import { decisionSchema } from '../decisions/decisions.schema';
import { startDecisionFromForm } from '../decisions/decisions.service';
import { pilotFormChoices, startPilot } from '../pilots/pilots.service';
import {
	consumeRateLimit,
	describeWait,
	type RateLimitRule
} from '../rate-limit/rate-limit.service';
import { refreshSearchDocument } from '../search/search.repository';
import { slugWords } from '../slugs';
import {
	canChangeIdeaComment,
	canCommentOnIdea,
	canEditIdea,
	canMoveIdea,
	canPostIdea,
	canRemoveIdea,
	canSupportIdea,
	canTurnIdeaInto
} from './ideas.permissions';
import {
	claimIdeaConversion,
	countIdeas,
	deleteIdeaComment,
	deleteSupport,
	findIdea,
	findIdeaComment,
	findIdeaSlugsLike,
	findSupport,
	insertIdea,
	insertIdeaComment,
	insertStageChange,
	listIdeaComments,
	listIdeaLinksAfter,
	listIdeasPage,
	listStageChanges,
	listSupporterIds,
	listSupports,
	recountSupport,
	releaseIdeaConversion,
	updateIdeaCommentBody,
	updateIdeaRow,
	upsertSupport,
	type IdeaWithAuthor
} from './ideas.repository';
import type { IdeaInput, StageInput, SupportInput, SupportWay } from './ideas.schema';
import { IDEA_SEARCH } from './ideas.search';
import { IDEA_STAGES, type IdeaOutcomeKind, type IdeaStage } from './ideas.tables';

type Db = Kysely<DB>;

/** Ideas on one page of /ideas. */
export const IDEAS_PAGE_SIZE = 20;
/** Comments shown on an idea's page (a conversation about one idea stays short). */
export const IDEA_COMMENTS_SHOWN = 200;
/** New ideas one person may post: 5 a day. */
export const IDEA_RATE: RateLimitRule = { limit: 5, windowSeconds: 86_400 };
/** Comments one person may send on ideas: 10 in 10 minutes. */
export const IDEA_COMMENT_RATE: RateLimitRule = { limit: 10, windowSeconds: 600 };
/** Supports one person may give or change: 60 an hour. */
export const SUPPORT_RATE: RateLimitRule = { limit: 60, windowSeconds: 3600 };
/** An idea comment can be edited for this long after it was sent, like a blog comment. */
export const IDEA_COMMENT_EDIT_MINUTES = 15;
const EDIT_WINDOW_MS = IDEA_COMMENT_EDIT_MINUTES * 60_000;

export const STAGE_LABELS: Record<IdeaStage, string> = {
	new: 'New',
	'gathering-support': 'Gathering support',
	happening: 'Happening',
	done: 'Done',
	'not-now': 'Not now'
};

/** What each stage means, for the stage form and the list's filter. */
export const STAGE_HINTS: Record<IdeaStage, string> = {
	new: 'Just posted: nobody has looked at it yet.',
	'gathering-support': 'People are saying how they would help. It needs more support to happen.',
	happening: 'Someone is making it happen.',
	done: 'It happened.',
	'not-now': 'It will not happen for now. The note says why.'
};

export const SUPPORT_WAY_LABELS: Record<SupportWay, string> = {
	come: 'I would come',
	help: 'I would help',
	'know-someone': 'I know someone'
};

export type Invalid = { ok: false; reason: 'invalid'; errors: FieldErrors };
export type NotFound = { ok: false; reason: 'not-found' };
export type RateLimited = { ok: false; reason: 'rate-limited'; retryAfterSeconds: number };
/** A refusal with a plain message (see {@link describeIdeaRefusal}). */
export type Refused = {
	ok: false;
	reason: 'removed' | 'suspended' | 'too-late' | 'gone' | 'hidden' | 'already' | 'same-stage';
	until?: string;
};
export type IdeaFailure = Invalid | NotFound | RateLimited | Refused;

/** The sentence a person reads for each refusal. */
export function describeIdeaRefusal(
	failure: Exclude<IdeaFailure, Invalid>,
	timeZone = 'UTC'
): string {
	switch (failure.reason) {
		case 'not-found':
			return 'We could not find that idea. It may have been removed.';
		case 'removed':
			return 'This idea has been removed, so it takes no more support or comments.';
		case 'suspended': {
			const day = failure.until
				? new Date(failure.until).toLocaleDateString('en-GB', {
						day: 'numeric',
						month: 'long',
						timeZone
					})
				: 'later';
			return `A curator has paused your posting until ${day}. You can still read everything. What you wrote is still here.`;
		}
		case 'too-late':
			return `You can edit a comment for ${IDEA_COMMENT_EDIT_MINUTES} minutes after sending it. That time has passed, so it was not changed. You can still delete it.`;
		case 'gone':
			return 'That comment has been deleted.';
		case 'hidden':
			return 'This comment is hidden while a curator looks at it, so it cannot be edited now. You can still delete it.';
		case 'already':
			return 'This idea has already become something else. Follow the link to what it became.';
		case 'same-stage':
			return 'The idea is at that stage already. Choose another stage.';
		case 'rate-limited':
			return `You have done this a lot in a short time. Please wait ${describeWait(failure.retryAfterSeconds)} and try again. What you wrote is still here.`;
	}
}

/** "Monthly walk & talk!" → "monthly-walk-and-talk"; never empty, never "new". */
export function ideaSlugBase(title: string): string {
	const slug = slugWords(title);
	if (!slug || slug === 'new') return `idea-${slug || 'untitled'}`;
	return slug;
}

async function freeSlug(db: Db | Transaction<DB>, title: string): Promise<string> {
	const base = ideaSlugBase(title);
	const taken = new Set(await findIdeaSlugsLike(db, base));
	if (!taken.has(base)) return base;
	for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

async function suspended(db: Db, actor: SessionUser, now: string): Promise<Refused | null> {
	const until = await postingSuspendedUntil(db, actor.id, now);
	return until ? { ok: false, reason: 'suspended', until } : null;
}

/** The idea if it is there and up; a refusal otherwise. */
async function reachOpenIdea(
	db: Db | Transaction<DB>,
	slug: string
): Promise<IdeaWithAuthor | NotFound | Refused> {
	const idea = await findIdea(db, { slug });
	if (!idea) return { ok: false, reason: 'not-found' };
	if (idea.removed_at) return { ok: false, reason: 'removed' };
	return idea;
}

function isFailure(x: IdeaWithAuthor | IdeaFailure): x is IdeaFailure {
	return 'ok' in x && x.ok === false;
}

// ---------------------------------------------------------------------------------------------
// The idea itself

/** Anyone signed in posts an idea; a member a curator has paused is refused, keeping their words. */
export async function postIdea(
	db: Db,
	actor: Actor | null | undefined,
	input: IdeaInput,
	now = nowIso()
): Promise<{ ok: true; slug: string } | RateLimited | Refused> {
	assertCan(canPostIdea(actor), 'Sign in to post an idea.');
	const paused = await suspended(db, actor, now);
	if (paused) return paused;
	const limited = await consumeRateLimit(db, `ideas.post:user:${actor.id}`, IDEA_RATE);
	if (!limited.ok)
		return { ok: false, reason: 'rate-limited', retryAfterSeconds: limited.retryAfterSeconds };
	const id = newId();
	const write = () =>
		changeContent(db, async (trx) => {
			const slug = await freeSlug(trx, input.title);
			await insertIdea(trx, {
				id,
				slug,
				title: input.title,
				body: input.body,
				author_id: actor.id,
				stage: 'new',
				support_count: 0,
				became_kind: null,
				became_id: null,
				became_title: null,
				became_path: null,
				removed_at: null,
				created_at: now,
				updated_at: now
			});
			await refreshSearchDocument(trx, IDEA_SEARCH, id);
			return slug;
		});
	// Two ideas posted at once with one title may pick the same address: try the next one.
	for (let attempt = 1; ; attempt++) {
		try {
			return { ok: true, slug: await write() };
		} catch (caught) {
			if (attempt < 5 && isUniqueViolation(caught)) continue;
			throw caught;
		}
	}
}

/** The idea as its edit form shows it: for its author, while it is new. */
export async function ideaForEditing(db: Db, actor: Actor | null | undefined, slug: string) {
	const idea = await findIdea(db, { slug });
	if (!idea || idea.removed_at) return undefined;
	assertCan(
		canEditIdea(actor, idea),
		idea.stage === 'new'
			? 'Only the idea’s author can change its words.'
			: 'An idea’s words stay as they are once it has moved on from “New”, so supporters know what they supported. Add a comment instead.'
	);
	return { slug: idea.slug, title: idea.title, values: { title: idea.title, body: idea.body } };
}

/** The author changes their idea's words while it is still new. */
export async function editIdea(
	db: Db,
	actor: Actor | null | undefined,
	slug: string,
	input: IdeaInput,
	now = nowIso()
): Promise<{ ok: true; slug: string } | NotFound | Refused> {
	const idea = await reachOpenIdea(db, slug);
	if (isFailure(idea)) return idea;
	assertCan(
		canEditIdea(actor, idea),
		'Only the idea’s author can change its words, and only while it is new.'
	);
	const paused = await suspended(db, actor, now);
	if (paused) return paused;
	await changeContent(db, async (trx) => {
		await updateIdeaRow(trx, idea.id, { title: input.title, body: input.body, updated_at: now });
		await refreshSearchDocument(trx, IDEA_SEARCH, idea.id);
	});
	return { ok: true, slug: idea.slug };
}

/** The author or a curator takes an idea down: it leaves the list and takes no more support. */
export async function removeIdea(
	db: Db,
	actor: Actor | null | undefined,
	slug: string,
	now = nowIso()
): Promise<{ ok: true } | NotFound> {
	const idea = await findIdea(db, { slug });
	if (!idea) return { ok: false, reason: 'not-found' };
	assertCan(canRemoveIdea(actor, idea), 'Only the idea’s author or a curator can remove it.');
	if (idea.removed_at) return { ok: true };
	await changeContent(db, async (trx) => {
		await updateIdeaRow(trx, idea.id, { removed_at: now, updated_at: now });
		await refreshSearchDocument(trx, IDEA_SEARCH, idea.id);
		await recordAudit(trx, {
			actor,
			action: 'idea.removed',
			target: { type: 'idea', id: idea.id }
		});
	});
	return { ok: true };
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface IdeaListQuery {
	stage?: IdeaStage;
	sort: 'newest' | 'supported';
}

/** The filters from the address; anything unknown is dropped rather than refused. */
export function parseIdeaQuery(params: URLSearchParams): IdeaListQuery {
	const stage = params.get('stage') as IdeaStage | null;
	return {
		...(stage && IDEA_STAGES.includes(stage) ? { stage } : {}),
		sort: params.get('sort') === 'supported' ? 'supported' : 'newest'
	};
}

/** What an idea became, as lists and its page show it ("you said, we did"). */
export interface BecameView {
	kind: IdeaOutcomeKind;
	label: string;
	title: string;
	path: string;
}

const OUTCOME_NAMES: Record<IdeaOutcomeKind, string> = {
	event: 'an event',
	pilot: 'a pilot',
	decision: 'a decision'
};

function became(row: {
	became_kind: IdeaOutcomeKind | null;
	became_title: string | null;
	became_path: string | null;
}): BecameView | null {
	if (!row.became_kind || !row.became_title || !row.became_path) return null;
	return {
		kind: row.became_kind,
		label: OUTCOME_NAMES[row.became_kind],
		title: row.became_title,
		path: row.became_path
	};
}

/** A page of ideas that are up, filtered and sorted, with their support counts: one query. */
export async function listIdeas(db: Db, query: IdeaListQuery, page: number) {
	const [total, rows] = await Promise.all([
		countIdeas(db, query),
		listIdeasPage(db, query, { limit: IDEAS_PAGE_SIZE, offset: (page - 1) * IDEAS_PAGE_SIZE })
	]);
	return {
		ideas: rows.map((r) => ({
			slug: r.slug,
			title: r.title,
			excerpt: markdownExcerpt(r.body, 200),
			stage: r.stage,
			stageLabel: STAGE_LABELS[r.stage],
			supports: Number(r.support_count),
			comments: Number(r.comment_count ?? 0),
			author: r.author_name ?? 'A former member',
			createdAt: r.created_at,
			became: became(r)
		})),
		total,
		totalPages: Math.max(1, Math.ceil(total / IDEAS_PAGE_SIZE))
	};
}

/**
 * An idea's page: the idea, its supports by kind with names, its comments, its history with
 * notes, what it became, and what the viewer may do. Undefined when it is not there or removed.
 */
export async function viewIdea(
	db: Db,
	viewer: Actor | null | undefined,
	slug: string,
	now = nowIso()
) {
	const idea = await findIdea(db, { slug });
	if (!idea || idea.removed_at) return undefined;
	const [supports, comments, history] = await Promise.all([
		listSupports(db, idea.id),
		listIdeaComments(db, idea.id, IDEA_COMMENTS_SHOWN),
		listStageChanges(db, idea.id)
	]);
	const hidden = await hiddenByModeration(
		db,
		'idea-comment',
		comments.map((c) => c.id)
	);
	const viewerId = isPerson(viewer) ? viewer.id : null;
	const mine = supports.find((s) => s.user_id === viewerId);
	const ways = (s: { would_come: number; would_help: number; knows_someone: number }) =>
		[
			s.would_come ? ('come' as const) : null,
			s.would_help ? ('help' as const) : null,
			s.knows_someone ? ('know-someone' as const) : null
		].filter((w): w is SupportWay => w !== null);
	const byWay = (Object.keys(SUPPORT_WAY_LABELS) as SupportWay[]).map((way) => {
		const people = supports.filter((s) => ways(s).includes(way));
		return {
			way,
			label: SUPPORT_WAY_LABELS[way],
			count: people.length,
			names: people.map((p) => p.name)
		};
	});
	return {
		idea: {
			id: idea.id,
			slug: idea.slug,
			title: idea.title,
			bodyHtml: renderMarkdown(idea.body, { headingOffset: 1 }),
			stage: idea.stage,
			stageLabel: STAGE_LABELS[idea.stage],
			author: idea.author_name ?? 'A former member',
			createdAt: idea.created_at,
			became: became(idea)
		},
		supportCount: supports.length,
		byWay,
		notes: supports.filter((s) => s.note).map((s) => ({ name: s.name, note: s.note })),
		comments: comments.map((c) => {
			const shown = !hidden.has(c.id);
			const mine = viewerId !== null && c.author_id === viewerId;
			return {
				id: c.id,
				author: c.author_name ?? 'A former member',
				// A hidden comment's words stay out of the page, for its author too.
				html: shown ? renderMarkdown(c.body, { restricted: true }) : null,
				body: shown && mine ? c.body : '',
				createdAt: c.created_at,
				edited: !!c.edited_at,
				mine,
				canEdit: shown && mine && Date.parse(now) - Date.parse(c.created_at) < EDIT_WINDOW_MS,
				canReport: shown && !mine && isPerson(viewer)
			};
		}),
		history: history.map((h) => ({
			id: h.id,
			from: STAGE_LABELS[h.from_stage],
			to: STAGE_LABELS[h.to_stage],
			note: h.note,
			by: h.by_name ?? 'A former member',
			at: h.changed_at
		})),
		viewer: {
			signedIn: isPerson(viewer),
			support: mine ? { ways: ways(mine), note: mine.note } : null,
			canEdit: canEditIdea(viewer, idea),
			canMove: canMoveIdea(viewer, idea),
			canTurnInto: canTurnIdeaInto(viewer, idea) && !idea.became_id,
			canRemove: canRemoveIdea(viewer, idea),
			isCurator: isCurator(viewer)
		}
	};
}

/** Ideas that are up, a batch at a time after `afterId`, for the sitemap. */
export async function listPublicIdeaLinksAfter(db: Db, afterId: string | null, limit: number) {
	return (await listIdeaLinksAfter(db, afterId, limit)).map((r) => ({
		id: r.id,
		path: `/ideas/${r.slug}`,
		lastModified: r.updated_at
	}));
}

/** The idea that became this event, pilot or decision: for that page to link back to it. */
export async function ideaThatBecame(
	db: Db,
	kind: IdeaOutcomeKind,
	id: string
): Promise<{ slug: string; title: string } | undefined> {
	return db
		.selectFrom('idea')
		.select(['slug', 'title'])
		.where('became_kind', '=', kind)
		.where('became_id', '=', id)
		.where('removed_at', 'is', null)
		.executeTakeFirst();
}

// ---------------------------------------------------------------------------------------------
// Support

/**
 * A signed-in person supports an idea, saying how. Supporting again changes how (one support
 * per person per idea), so a second press loses nothing and counts once. The author is told,
 * grouped while unread.
 */
export async function supportIdea(
	db: Db,
	actor: Actor | null | undefined,
	slug: string,
	input: SupportInput,
	now = nowIso()
): Promise<{ ok: true; changed: boolean } | NotFound | Refused | RateLimited> {
	assertCan(canSupportIdea(actor), 'Sign in to support an idea.');
	const idea = await reachOpenIdea(db, slug);
	if (isFailure(idea)) return idea;
	const limited = await consumeRateLimit(db, `ideas.support:user:${actor.id}`, SUPPORT_RATE);
	if (!limited.ok)
		return { ok: false, reason: 'rate-limited', retryAfterSeconds: limited.retryAfterSeconds };
	const ways = new Set(input.ways);
	return changeContent(db, async (trx) => {
		const before = await findSupport(trx, idea.id, actor.id);
		await upsertSupport(trx, {
			idea_id: idea.id,
			user_id: actor.id,
			would_come: ways.has('come') ? 1 : 0,
			would_help: ways.has('help') ? 1 : 0,
			knows_someone: ways.has('know-someone') ? 1 : 0,
			note: input.note,
			created_at: now,
			updated_at: now
		});
		await recountSupport(trx, idea.id);
		if (!before && idea.author_id)
			await notify(
				trx,
				{
					recipientId: idea.author_id,
					kind: 'idea-support',
					subjectKey: `idea-support:${idea.id}`,
					title: `${actor.name} supports your idea “${idea.title}”`,
					url: `/ideas/${idea.slug}#supporters`,
					actorId: actor.id
				},
				now
			);
		return { ok: true as const, changed: !!before };
	});
}

/** The person withdraws their support; withdrawing support one no longer gives is fine. */
export async function withdrawSupport(
	db: Db,
	actor: Actor | null | undefined,
	slug: string
): Promise<{ ok: true } | NotFound> {
	assertCan(isPerson(actor), 'Sign in to change your support.');
	const idea = await findIdea(db, { slug });
	if (!idea) return { ok: false, reason: 'not-found' };
	await changeContent(db, async (trx) => {
		if (await deleteSupport(trx, idea.id, actor.id)) await recountSupport(trx, idea.id);
	});
	return { ok: true };
}

// ---------------------------------------------------------------------------------------------
// Comments

/** A signed-in person comments on an idea that is up; its author is told. */
export async function commentOnIdea(
	db: Db,
	actor: Actor | null | undefined,
	slug: string,
	body: string,
	now = nowIso()
): Promise<{ ok: true; id: string } | NotFound | Refused | RateLimited> {
	assertCan(canCommentOnIdea(actor), 'Sign in to comment.');
	const idea = await reachOpenIdea(db, slug);
	if (isFailure(idea)) return idea;
	const paused = await suspended(db, actor, now);
	if (paused) return paused;
	const limited = await consumeRateLimit(db, `ideas.comment:user:${actor.id}`, IDEA_COMMENT_RATE);
	if (!limited.ok)
		return { ok: false, reason: 'rate-limited', retryAfterSeconds: limited.retryAfterSeconds };
	const id = newId();
	const done = await changeContent(db, async (trx) => {
		// Checked again inside the write: it may have been removed a moment ago.
		const fresh = await findIdea(trx, { id: idea.id });
		if (!fresh || fresh.removed_at) return false;
		await insertIdeaComment(trx, {
			id,
			idea_id: idea.id,
			author_id: actor.id,
			body,
			created_at: now
		});
		if (fresh.author_id)
			await notify(
				trx,
				{
					recipientId: fresh.author_id,
					kind: 'idea-comment',
					subjectKey: `idea-comment:${idea.id}`,
					title: `${actor.name} commented on your idea “${fresh.title}”`,
					url: `/ideas/${fresh.slug}#comment-${id}`,
					actorId: actor.id
				},
				now
			);
		return true;
	});
	if (!done) return { ok: false, reason: 'removed' };
	return { ok: true, id };
}

/** The author edits their comment within 15 minutes of sending it. */
export async function editIdeaComment(
	db: Db,
	actor: Actor | null | undefined,
	slug: string,
	commentId: string,
	body: string,
	now = nowIso()
): Promise<{ ok: true } | NotFound | Refused> {
	const idea = await reachOpenIdea(db, slug);
	if (isFailure(idea)) return idea;
	const comment = await findIdeaComment(db, commentId);
	if (!comment || comment.idea_id !== idea.id) return { ok: false, reason: 'gone' };
	assertCan(canChangeIdeaComment(actor, comment), 'You can only edit your own comments.');
	if (Date.parse(now) - Date.parse(comment.created_at) >= EDIT_WINDOW_MS)
		return { ok: false, reason: 'too-late' };
	if (await isCommentHidden(db, 'idea-comment', comment.id)) return { ok: false, reason: 'hidden' };
	const paused = await suspended(db, actor, now);
	if (paused) return paused;
	await changeContent(db, (trx) => updateIdeaCommentBody(trx, comment.id, body, now));
	return { ok: true };
}

/** The author deletes their own comment, at any time. */
export async function deleteOwnIdeaComment(
	db: Db,
	actor: Actor | null | undefined,
	slug: string,
	commentId: string
): Promise<{ ok: true } | NotFound | Refused> {
	const idea = await findIdea(db, { slug });
	if (!idea) return { ok: false, reason: 'not-found' };
	const comment = await findIdeaComment(db, commentId);
	if (!comment || comment.idea_id !== idea.id) return { ok: false, reason: 'gone' };
	assertCan(canChangeIdeaComment(actor, comment), 'You can only delete your own comments.');
	await changeContent(db, (trx) => deleteIdeaComment(trx, comment.id));
	return { ok: true };
}

// ---------------------------------------------------------------------------------------------
// Stages

async function tellOfStage(
	trx: Transaction<DB>,
	idea: Pick<IdeaWithAuthor, 'id' | 'slug' | 'title' | 'author_id'>,
	to: IdeaStage,
	actor: SessionUser,
	now: string
): Promise<void> {
	const people = new Set(await listSupporterIds(trx, idea.id));
	if (idea.author_id) people.add(idea.author_id);
	for (const recipientId of people)
		await notify(
			trx,
			{
				recipientId,
				kind: 'idea-stage',
				subjectKey: `idea-stage:${idea.id}`,
				title: `The idea “${idea.title}” is now: ${STAGE_LABELS[to]}`,
				url: `/ideas/${idea.slug}#history`,
				actorId: actor.id
			},
			now
		);
}

/**
 * A curator or the idea's author moves it to another stage with a public note. Supporters and
 * the author are told; the change is audited.
 */
export async function moveIdea(
	db: Db,
	actor: Actor | null | undefined,
	slug: string,
	input: StageInput,
	now = nowIso()
): Promise<{ ok: true } | NotFound | Refused> {
	const idea = await reachOpenIdea(db, slug);
	if (isFailure(idea)) return idea;
	assertCan(
		canMoveIdea(actor, idea),
		'Only curators and the idea’s author can move an idea to another stage.'
	);
	if (idea.stage === input.stage) return { ok: false, reason: 'same-stage' };
	await changeContent(db, async (trx) => {
		await updateIdeaRow(trx, idea.id, { stage: input.stage, updated_at: now });
		await refreshSearchDocument(trx, IDEA_SEARCH, idea.id);
		await insertStageChange(trx, {
			id: newId(),
			idea_id: idea.id,
			from_stage: idea.stage,
			to_stage: input.stage,
			note: input.note,
			changed_by: actor.id,
			changed_at: now
		});
		await recordAudit(trx, {
			actor,
			action: 'idea.stage_changed',
			target: { type: 'idea', id: idea.id },
			detail: { from: idea.stage, to: input.stage }
		});
		await tellOfStage(trx, idea, input.stage, actor, now);
	});
	return { ok: true };
}

// ---------------------------------------------------------------------------------------------
// From idea to event, pilot or decision

/** What a feature is given to make something from an idea. */
export interface IdeaForConversion {
	id: string;
	slug: string;
	title: string;
	/** Markdown. */
	body: string;
}

/** What the other feature made: its id, its title and the path of its page. */
export interface MadeFromIdea {
	id: string;
	title: string;
	path: string;
}

export interface ConversionOptions {
	now: string;
	/** The site, as the events service needs it. */
	site: EventsSite;
}

/**
 * One way to turn an idea into something: calls the other feature's service with the idea and
 * what the "turn into" form sent. Returns the form's errors by the other feature's field names.
 */
export type IdeaOutcomeMaker = (
	db: Db,
	actor: SessionUser,
	idea: IdeaForConversion,
	values: FormValues,
	options: ConversionOptions
) => Promise<{ ok: true; made: MadeFromIdea } | Invalid | RateLimited>;

/** A draft event from the idea: the person's date, time and place; the idea's words. */
const makeEvent: IdeaOutcomeMaker = async (db, actor, idea, values, { now, site }) => {
	const result = await createEvent(
		db,
		site,
		actor,
		{ visibility: 'public', title: idea.title, description: idea.body, ...values },
		now
	);
	if (!result.ok) return result;
	return {
		ok: true,
		made: { id: result.event.id, title: result.event.title, path: eventPath(result.event.id) }
	};
};

/** A pilot from the idea, run by the person who turned it into one. */
const makePilot: IdeaOutcomeMaker = async (db, actor, _idea, values) => {
	const form = parseForm(pilotSchema, toFormData({ website: '', ...values }), {
		listFields: ['serviceAreas']
	});
	if (!form.ok) return { ok: false, reason: 'invalid', errors: form.errors };
	const result = await startPilot(db, actor, form.data);
	if (!result.ok) return result;
	return {
		ok: true,
		made: { id: result.id, title: form.data.title, path: `/pilots/${result.slug}` }
	};
};

/**
 * A draft decision from the idea, put to all members by consensus or consent, with the idea's
 * words as its proposal. The person who turned it becomes its facilitator and opens it once
 * they have said who takes part and when it closes (the decision's own edit page).
 */
const makeDecision: IdeaOutcomeMaker = async (db, actor, idea, values, { now }) => {
	const text = (name: string) => {
		const value = values[name];
		return typeof value === 'string' ? value.trim() : '';
	};
	// The decision form's own rules for its question and proposal, with its messages.
	const errors: FieldErrors = {};
	const question = decisionSchema.shape.question.safeParse(text('question'));
	if (!question.success)
		errors.question = question.error.issues[0]?.message ?? 'Check the question';
	const proposal = decisionSchema.shape.proposal.safeParse(text('proposal'));
	if (!proposal.success)
		errors.proposal = proposal.error.issues[0]?.message ?? 'Check the proposal';
	const process = text('process');
	if (process !== 'consensus' && process !== 'consent')
		errors.process = 'Choose how it will be decided: consensus or consent';
	if (!question.success || !proposal.success || (process !== 'consensus' && process !== 'consent'))
		return { ok: false, reason: 'invalid', errors };
	const result = await startDecisionFromForm(
		db,
		actor,
		{
			question: question.data,
			proposal: proposal.data,
			process,
			audience: 'members',
			origin: { kind: 'idea', id: idea.id, title: idea.title, path: `/ideas/${idea.slug}` }
		},
		now
	);
	if (!result.ok) return result;
	return {
		ok: true,
		made: { id: result.id, title: question.data, path: `/decisions/${result.slug}` }
	};
};

/** What an idea can become, each with the maker that asks the other feature's service. */
export const IDEA_OUTCOMES: Partial<
	Record<IdeaOutcomeKind, { label: string; make: IdeaOutcomeMaker }>
> = {
	event: { label: OUTCOME_NAMES.event, make: makeEvent },
	pilot: { label: OUTCOME_NAMES.pilot, make: makePilot },
	decision: { label: OUTCOME_NAMES.decision, make: makeDecision }
};

/** What the "turn into" form starts with: the idea's words. */
export async function ideaForTurningInto(db: Db, actor: Actor | null | undefined, slug: string) {
	const idea = await findIdea(db, { slug });
	if (!idea || idea.removed_at) return undefined;
	assertCan(
		canTurnIdeaInto(actor, idea),
		'Only curators and the idea’s author can turn it into an event, a pilot or a decision.'
	);
	const [formats, pilotChoices] = await Promise.all([listFormats(db), pilotFormChoices(db, actor)]);
	return {
		slug: idea.slug,
		title: idea.title,
		body: idea.body,
		became: became(idea),
		kinds: Object.keys(IDEA_OUTCOMES) as IdeaOutcomeKind[],
		/** For the event form: the formats to choose from. */
		formats: formats.map((f) => ({ value: f.id, label: f.name, hint: f.description })),
		/** For the pilot form: the service areas to choose from. */
		serviceAreas: pilotChoices.serviceAreas
	};
}

/**
 * A curator or the idea's author turns it into an event, a pilot (or a decision) in one step,
 * through that feature's service. The idea keeps the link, moves to "happening" with a note
 * saying what it became, its supporters are told, and the conversion is audited. A second
 * press finds it claimed and is refused, so nothing is made twice.
 */
export async function turnIdeaInto(
	db: Db,
	actor: Actor | null | undefined,
	slug: string,
	kind: IdeaOutcomeKind,
	values: FormValues,
	options: { site: EventsSite; now?: string }
): Promise<{ ok: true; made: MadeFromIdea } | IdeaFailure> {
	const now = options.now ?? nowIso();
	const idea = await reachOpenIdea(db, slug);
	if (isFailure(idea)) return idea;
	assertCan(
		canTurnIdeaInto(actor, idea),
		'Only curators and the idea’s author can turn it into an event, a pilot or a decision.'
	);
	const outcome = IDEA_OUTCOMES[kind];
	if (!outcome)
		return {
			ok: false,
			reason: 'invalid',
			errors: { form: 'Choose what the idea becomes: an event, a pilot or a decision.' }
		};
	if (!(await claimIdeaConversion(db, idea.id))) return { ok: false, reason: 'already' };
	try {
		const result = await outcome.make(
			db,
			actor,
			{ id: idea.id, slug: idea.slug, title: idea.title, body: idea.body },
			values,
			{ now, site: options.site }
		);
		if (!result.ok) {
			await releaseIdeaConversion(db, idea.id);
			return result;
		}
		const { made } = result;
		await changeContent(db, async (trx) => {
			await updateIdeaRow(trx, idea.id, {
				became_kind: kind,
				became_id: made.id,
				became_title: made.title,
				became_path: made.path,
				stage: 'happening',
				updated_at: now
			});
			await refreshSearchDocument(trx, IDEA_SEARCH, idea.id);
			if (idea.stage !== 'happening') {
				await insertStageChange(trx, {
					id: newId(),
					idea_id: idea.id,
					from_stage: idea.stage,
					to_stage: 'happening',
					note: `This idea became ${outcome.label}: “${made.title}”.`,
					changed_by: actor.id,
					changed_at: now
				});
				await tellOfStage(trx, idea, 'happening', actor, now);
			}
			await recordAudit(trx, {
				actor,
				action: 'idea.turned_into',
				target: { type: 'idea', id: idea.id },
				detail: { kind, id: made.id }
			});
		});
		return { ok: true, made };
	} catch (caught) {
		await releaseIdeaConversion(db, idea.id);
		throw caught;
	}
}
