import type { Kysely, Transaction } from 'kysely';
import { recordAudit } from '../audit/audit.service';
import { assertCan, type Actor } from '../auth/auth.permissions';
import type { SessionUser } from '../auth/auth.types';
import { changeContent } from '../cache/content-version';
import type { DB } from '../db/schema';
import { newId, nowIso } from '../ids';
import { renderMarkdown } from '../markdown';
import {
	consumeRateLimit,
	describeWait,
	type RateLimitRule
} from '../rate-limit/rate-limit.service';
import { Refusal, refusable } from '../refusals';
import { postingSuspendedUntil } from '../moderation/moderation.service';
import { notify } from '../notifications/notifications.service';
import {
	canCloseComments,
	canComment,
	canDeleteComment,
	canEditComment
} from './comments.permissions';
import {
	countReplies,
	countTopLevelComments,
	deleteCommentRow,
	findComment,
	findPostForComments,
	insertComment,
	listThreadPage,
	markCommentDeleted,
	setCommentsClosed,
	updateCommentBody,
	type PostForComments
} from './comments.repository';
import type { CommentInput } from './comments.schema';
import type { Comment } from './comments.tables';

/** How long after sending a comment its author may still edit it. */
export const EDIT_WINDOW_MINUTES = 15;
export const EDIT_WINDOW_MS = EDIT_WINDOW_MINUTES * 60_000;
/** Top-level comments per page (with all their replies). */
export const THREAD_PAGE_SIZE = 50;
/** Comments one person may send: 10 in 10 minutes. */
export const COMMENT_RATE: RateLimitRule = { limit: 10, windowSeconds: 600 };

export type CommentRefusal =
	| 'no-post'
	| 'not-public'
	| 'hidden'
	| 'closed'
	| 'suspended'
	| 'no-parent'
	| 'gone'
	| 'too-late'
	| 'comment-hidden'
	| 'rate-limited';

export type CommentFailure = {
	ok: false;
	reason: CommentRefusal;
	/** For 'suspended': when it ends. For 'rate-limited': seconds to wait. */
	until?: string;
	retryAfterSeconds?: number;
};

/** The sentence a person reads for each refusal. */
export function describeCommentRefusal(
	failure: Pick<CommentFailure, 'reason' | 'until' | 'retryAfterSeconds'>,
	timeZone = 'UTC'
): string {
	switch (failure.reason) {
		case 'no-post':
			return 'We could not find that post. It may have been deleted.';
		case 'not-public':
			return 'This post is not published, so it cannot take comments.';
		case 'hidden':
			return 'This post is hidden while a curator looks at it, so it cannot take comments for now.';
		case 'closed':
			return 'Comments on this post are closed. You can still read them.';
		case 'suspended': {
			const when = failure.until
				? new Intl.DateTimeFormat('en-GB', {
						dateStyle: 'long',
						timeStyle: 'short',
						timeZone
					}).format(new Date(failure.until))
				: 'later';
			return `A curator has suspended you from writing posts and comments until ${when}. You can still read everything.`;
		}
		case 'no-parent':
			return 'The comment you replied to has gone. Your reply is kept here: you can post it as a new comment instead.';
		case 'gone':
			return 'That comment has been deleted.';
		case 'too-late':
			return `You can edit a comment for ${EDIT_WINDOW_MINUTES} minutes after sending it. That time has passed, so it was not changed. You can still delete it.`;
		case 'comment-hidden':
			return 'This comment is hidden while a curator looks at it, so it cannot be edited now.';
		case 'rate-limited':
			return `You have sent a lot of comments in a short time. Please wait ${describeWait(failure.retryAfterSeconds ?? 60)} and try again.`;
	}
}

function isPublic(post: PostForComments, now: string): boolean {
	return post.status === 'published' && !!post.published_at && post.published_at <= now;
}

/** Why the post takes no comments now, or null when it does. */
function postRefusal(post: PostForComments | undefined, now: string): CommentRefusal | null {
	if (!post) return 'no-post';
	if (!isPublic(post, now)) return 'not-public';
	if (post.hidden_at) return 'hidden';
	if (post.comments_closed) return 'closed';
	return null;
}

export interface ThreadComment {
	id: string;
	authorName: string;
	/** Who wrote it (null once their account is gone). Server-side only: these pages send no script. */
	authorId: string | null;
	/** Whether the post's author wrote it (shown as "Author"). */
	byPostAuthor: boolean;
	/** Sanitised HTML; null when deleted or hidden. */
	bodyHtml: string | null;
	/** The Markdown, for the author's own edit form only. */
	source: string | null;
	state: 'shown' | 'deleted' | 'hidden';
	createdAt: string;
	/** When it was sent, in words, in the site's time zone. */
	when: string;
	editedAt: string | null;
	mine: boolean;
	/** The viewer wrote it and may still edit it (within 15 minutes). */
	canEdit: boolean;
	replies: ThreadComment[];
}

export interface ThreadView {
	post: {
		id: string;
		slug: string;
		title: string;
		commentsClosed: boolean;
		hidden: boolean;
		/** The viewer may open and close comments. */
		canClose: boolean;
	};
	comments: ThreadComment[];
	/** Comments and replies shown on this page (not counting deleted ones). */
	count: number;
	page: number;
	totalPages: number;
	/** Whether the viewer sees the comment form, and if not, why (null for a visitor). */
	canComment: boolean;
	cannotComment: CommentFailure | null;
	/** The sentence shown instead of the form to a member who cannot comment now. */
	cannotCommentMessage: string | null;
}

const FORMER_MEMBER = 'Former member';

/** Made once per time zone: making a formatter costs far more than using one. */
const commentTimeFormats = new Map<string, Intl.DateTimeFormat>();
function commentTimeFormat(timeZone: string): Intl.DateTimeFormat {
	let format = commentTimeFormats.get(timeZone);
	if (!format) {
		format = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone });
		commentTimeFormats.set(timeZone, format);
	}
	return format;
}

/** The rendered comments kept in memory, by their Markdown; at most this many characters. */
const RENDERED_LIMIT_CHARS = 4_000_000;
const rendered = new Map<string, string>();
let renderedChars = 0;

/**
 * A comment's Markdown as sanitised HTML. A thread page shows up to a few hundred comments and
 * most are read far more often than written, so renderings are kept (least recently used go
 * first) rather than made again on every request. Keyed by the text itself, an edit never
 * shows stale HTML.
 */
export function renderCommentBody(body: string): string {
	const hit = rendered.get(body);
	if (hit !== undefined) {
		rendered.delete(body);
		rendered.set(body, hit);
		return hit;
	}
	const html = renderMarkdown(body, { restricted: true });
	rendered.set(body, html);
	renderedChars += body.length + html.length;
	for (const [key, value] of rendered) {
		if (renderedChars <= RENDERED_LIMIT_CHARS) break;
		rendered.delete(key);
		renderedChars -= key.length + value.length;
	}
	return html;
}

/**
 * A post's comment thread, a page of top-level comments with their replies, as the viewer may
 * see it. Undefined when the post does not exist or is not published.
 */
export async function loadThread(
	db: Kysely<DB>,
	viewer: Actor | null | undefined,
	slug: string,
	page = 1,
	now = nowIso(),
	timeZone = 'UTC'
): Promise<ThreadView | undefined> {
	const format = commentTimeFormat(timeZone);
	const post = await findPostForComments(db, { slug });
	if (!post || !isPublic(post, now)) return undefined;
	const viewerId = viewer && 'id' in viewer ? viewer.id : null;
	const view: ThreadView = {
		post: {
			id: post.id,
			slug: post.slug,
			title: post.title,
			commentsClosed: !!post.comments_closed,
			hidden: !!post.hidden_at,
			canClose: canCloseComments(viewer, post)
		},
		comments: [],
		count: 0,
		page,
		totalPages: 1,
		canComment: false,
		cannotComment: null,
		cannotCommentMessage: null
	};
	if (post.hidden_at) return view;
	const [rows, suspendedUntil] = await Promise.all([
		listThreadPage(db, post.id, { limit: THREAD_PAGE_SIZE, offset: (page - 1) * THREAD_PAGE_SIZE }),
		viewerId ? postingSuspendedUntil(db, viewerId, now) : Promise.resolve(null)
	]);
	// A first page that is not full is every comment there is: no need to count them.
	const topLevelHere = rows.reduce((n, row) => (row.parent_id ? n : n + 1), 0);
	const total =
		page === 1 && topLevelHere < THREAD_PAGE_SIZE
			? topLevelHere
			: await countTopLevelComments(db, post.id);
	view.totalPages = Math.max(1, Math.ceil(total / THREAD_PAGE_SIZE));
	const byId = new Map<string, ThreadComment>();
	for (const row of rows) {
		const state = row.deleted_at ? 'deleted' : row.hidden_at ? 'hidden' : 'shown';
		const mine = !!viewerId && row.author_id === viewerId;
		const comment: ThreadComment = {
			id: row.id,
			authorName: state === 'deleted' ? '' : (row.author_name ?? FORMER_MEMBER),
			authorId: row.author_id,
			byPostAuthor: !!row.author_id && row.author_id === post.author_id,
			bodyHtml: state === 'shown' ? renderCommentBody(row.body) : null,
			source: state === 'shown' && mine ? row.body : null,
			state,
			createdAt: row.created_at,
			when: format.format(new Date(row.created_at)),
			editedAt: row.edited_at,
			mine,
			canEdit:
				mine && state === 'shown' && Date.parse(now) - Date.parse(row.created_at) < EDIT_WINDOW_MS,
			replies: []
		};
		if (state !== 'deleted') view.count++;
		byId.set(row.id, comment);
	}
	// Replies are put under their comment once every comment is known: a reply written in the
	// same millisecond as its comment, or on an instance whose clock is a little behind, can come
	// before it in time order.
	for (const row of rows) {
		const comment = byId.get(row.id)!;
		const parent = row.parent_id ? byId.get(row.parent_id) : undefined;
		if (parent) parent.replies.push(comment);
		else if (!row.parent_id) view.comments.push(comment);
	}
	const refusal = postRefusal(post, now);
	if (!canComment(viewer)) view.cannotComment = null;
	else if (refusal) view.cannotComment = { ok: false, reason: refusal };
	else if (suspendedUntil)
		view.cannotComment = { ok: false, reason: 'suspended', until: suspendedUntil };
	else view.canComment = true;
	if (view.cannotComment)
		view.cannotCommentMessage = describeCommentRefusal(view.cannotComment, timeZone);
	return view;
}

/**
 * Tells the author of the comment replied to, in the site and by email as they chose (the
 * notifications feature groups many replies to one comment into one). Returns who was told:
 * nobody when people reply to themselves or the author has gone.
 */
export async function tellOfReply(
	trx: Transaction<DB>,
	parent: Pick<Comment, 'id' | 'author_id'>,
	reply: { id: string; author: SessionUser; post: { slug: string; title: string } }
): Promise<string | null> {
	const recipientId = parent.author_id;
	if (!recipientId || recipientId === reply.author.id) return null;
	await notify(trx, {
		recipientId,
		kind: 'comment-reply',
		subjectKey: `comment:${parent.id}`,
		title: `${reply.author.name} replied to your comment on “${reply.post.title}”`,
		url: `/blog/${reply.post.slug}#comment-${reply.id}`,
		actorId: reply.author.id
	});
	return recipientId;
}

/**
 * A member comments on a published, visible post whose comments are open; with `parentId`,
 * replies (a reply to a reply joins the top-level comment's replies).
 */
export async function addComment(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	postSlug: string,
	input: Pick<CommentInput, 'body' | 'parentId'>,
	now = nowIso()
): Promise<{ ok: true; id: string } | CommentFailure> {
	assertCan(canComment(actor), 'Sign in to comment.');
	const post = await findPostForComments(db, { slug: postSlug });
	const refusal = postRefusal(post, now);
	if (refusal || !post) return { ok: false, reason: refusal ?? 'no-post' };
	const until = await postingSuspendedUntil(db, actor.id, now);
	if (until) return { ok: false, reason: 'suspended', until };
	let parent: Comment | undefined;
	// Who is told: the author of the comment replied to and, for a reply to a reply, the author
	// of the comment that starts the thread.
	const told: Pick<Comment, 'id' | 'author_id'>[] = [];
	if (input.parentId) {
		parent = await findComment(db, input.parentId);
		if (parent) told.push(parent);
		if (parent?.parent_id) parent = await findComment(db, parent.parent_id);
		if (parent && parent.author_id !== told[0]?.author_id) told.push(parent);
		if (!parent || parent.post_id !== post.id) return { ok: false, reason: 'no-parent' };
	}
	const limited = await consumeRateLimit(db, `comment:user:${actor.id}`, COMMENT_RATE);
	if (!limited.ok)
		return { ok: false, reason: 'rate-limited', retryAfterSeconds: limited.retryAfterSeconds };
	const id = newId();
	return refusable(() =>
		changeContent(db, async (trx) => {
			// Checked again inside the write: comments may have closed a moment ago.
			const fresh = await findPostForComments(trx, { id: post.id });
			const late = postRefusal(fresh, now);
			if (late) throw new Refusal(late);
			if (parent && !(await findComment(trx, parent.id))) throw new Refusal('no-parent' as const);
			await insertComment(trx, {
				id,
				post_id: post.id,
				parent_id: parent?.id ?? null,
				author_id: actor.id,
				body: input.body,
				created_at: now,
				edited_at: null,
				deleted_at: null,
				hidden_at: null
			});
			for (const comment of told) await tellOfReply(trx, comment, { id, author: actor, post });
			return { ok: true as const, id };
		})
	);
}

/** The author edits their comment, within 15 minutes of sending it. */
export async function editComment(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	id: string,
	body: string,
	now = nowIso()
): Promise<{ ok: true; postId: string } | CommentFailure> {
	const comment = await findComment(db, id);
	if (!comment || comment.deleted_at) return { ok: false, reason: 'gone' };
	assertCan(canEditComment(actor, comment), 'You can only edit your own comments.');
	if (Date.parse(now) - Date.parse(comment.created_at) >= EDIT_WINDOW_MS)
		return { ok: false, reason: 'too-late' };
	if (comment.hidden_at) return { ok: false, reason: 'comment-hidden' };
	const until = await postingSuspendedUntil(db, actor.id, now);
	if (until) return { ok: false, reason: 'suspended', until };
	await changeContent(db, (trx) => updateCommentBody(trx, id, body, now));
	return { ok: true, postId: comment.post_id };
}

/**
 * Removes one comment: one with replies stays as "comment deleted"; a reply whose deleted
 * top-level comment has no replies left takes that comment with it.
 */
async function removeComment(trx: Transaction<DB>, comment: Comment, now: string): Promise<void> {
	if (!comment.parent_id) {
		if ((await countReplies(trx, comment.id)) > 0) await markCommentDeleted(trx, comment.id, now);
		else await deleteCommentRow(trx, comment.id);
		return;
	}
	await deleteCommentRow(trx, comment.id);
	const parent = await findComment(trx, comment.parent_id);
	if (parent?.deleted_at && (await countReplies(trx, parent.id)) === 0)
		await deleteCommentRow(trx, parent.id);
}

/** The author deletes their own comment, at any time. */
export async function deleteComment(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	id: string,
	now = nowIso()
): Promise<{ ok: true } | CommentFailure> {
	const comment = await findComment(db, id);
	if (!comment || comment.deleted_at) return { ok: false, reason: 'gone' };
	assertCan(canDeleteComment(actor, comment), 'You can only delete your own comments.');
	await changeContent(db, async (trx) => {
		const fresh = await findComment(trx, id);
		if (fresh && !fresh.deleted_at) await removeComment(trx, fresh, now);
	});
	return { ok: true };
}

/** The post's author or a curator closes (or opens again) the comments on a post. */
export async function setCommentsOpen(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	postSlug: string,
	open: boolean
): Promise<{ ok: true } | CommentFailure> {
	const post = await findPostForComments(db, { slug: postSlug });
	if (!post) return { ok: false, reason: 'no-post' };
	assertCan(
		canCloseComments(actor, post),
		'Only the post’s author or a curator can close its comments.'
	);
	await changeContent(db, async (trx) => {
		await setCommentsClosed(trx, post.id, !open);
		await recordAudit(trx, {
			actor,
			action: open ? 'post.comments_opened' : 'post.comments_closed',
			target: { type: 'post', id: post.id }
		});
	});
	return { ok: true };
}

/**
 * For "delete my account": the person's comments go. A top-level comment with replies from
 * others stays as "comment deleted" (without their name), so the replies still read.
 */
export async function eraseCommentsOf(trx: Transaction<DB>, personId: string): Promise<number> {
	const now = nowIso();
	const replies = await trx
		.deleteFrom('comment')
		.where('author_id', '=', personId)
		.where('parent_id', 'is not', null)
		.executeTakeFirst();
	const kept = await trx
		.updateTable('comment')
		.set({ body: '', deleted_at: now, author_id: null })
		.where('author_id', '=', personId)
		.where('parent_id', 'is', null)
		.where(({ exists, selectFrom }) =>
			exists(selectFrom('comment as r').select('r.id').whereRef('r.parent_id', '=', 'comment.id'))
		)
		.executeTakeFirst();
	const removed = await trx
		.deleteFrom('comment')
		.where('author_id', '=', personId)
		.executeTakeFirst();
	// Others' deleted comments whose last reply was theirs have nothing left to hold up.
	const emptied = await trx
		.deleteFrom('comment')
		.where('deleted_at', 'is not', null)
		.where('parent_id', 'is', null)
		.where(({ not, exists, selectFrom }) =>
			not(
				exists(selectFrom('comment as r').select('r.id').whereRef('r.parent_id', '=', 'comment.id'))
			)
		)
		.executeTakeFirst();
	return (
		Number(replies.numDeletedRows) +
		Number(kept.numUpdatedRows) +
		Number(removed.numDeletedRows) +
		Number(emptied.numDeletedRows)
	);
}
