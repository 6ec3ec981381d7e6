import { render } from 'svelte/server';
import CommentActions from '$lib/components/comment-thread/CommentActions.svelte';
import { commentLinks } from '$lib/components/comment-thread/links';
import { fillSlots, type OwnParts } from '../cache/shared-pages';
import { EDIT_WINDOW_MS, type ThreadComment, type ThreadView } from './comments.service';

/**
 * A thread in a shared render of its page (cache/shared-pages.ts). The stand-in member wrote no
 * comment, so each comment's actions show Reply and Report; for a member who wrote some of
 * them, those comments' actions are filled with their own: Reply, Edit for 15 minutes, Delete.
 */
export interface ThreadSlotNotes {
	canComment: boolean;
	action: string;
	returnTo: string;
	/** Shown comments on this page by author: what their own actions need. */
	byAuthor: Record<
		string,
		{ id: string; isReply: boolean; authorName: string; createdAt: string }[]
	>;
}

/** What the thread's render leaves for filling members' own actions in later. */
export function threadSlotNotes(thread: ThreadView, returnTo: string): ThreadSlotNotes {
	const byAuthor: ThreadSlotNotes['byAuthor'] = {};
	const note = (comment: ThreadComment, isReply: boolean) => {
		if (comment.state !== 'shown' || !comment.authorId) return;
		(byAuthor[comment.authorId] ??= []).push({
			id: comment.id,
			isReply,
			authorName: comment.authorName,
			createdAt: comment.createdAt
		});
	};
	for (const comment of thread.comments) {
		note(comment, false);
		for (const reply of comment.replies) note(reply, true);
	}
	return {
		canComment: thread.canComment,
		action: `/blog/${thread.post.slug}/comments`,
		returnTo,
		byAuthor
	};
}

/**
 * `userId`'s own comments' actions, for their view of a shared render: keyed by which comments
 * are theirs and which they may still edit, so members with none share one page.
 */
export function ownCommentActions(
	userId: string,
	notes: ThreadSlotNotes,
	now = Date.now()
): OwnParts {
	const own = notes.byAuthor[userId];
	if (!own?.length) return { key: '', fill: (html) => html };
	const mine = own.map((comment) => ({
		...comment,
		canEdit: now - Date.parse(comment.createdAt) < EDIT_WINDOW_MS
	}));
	return {
		key: mine.map((c) => (c.canEdit ? `${c.id}+edit` : c.id)).join(' '),
		fill(html) {
			const linkTo = commentLinks(notes.returnTo);
			const fills = new Map<string, string>();
			for (const comment of mine) {
				const props = {
					comment: {
						id: comment.id,
						authorName: comment.authorName,
						mine: true,
						canEdit: comment.canEdit
					},
					isReply: comment.isReply,
					action: notes.action,
					returnTo: notes.returnTo,
					linkTo,
					canComment: notes.canComment,
					signedIn: true
				};
				fills.set(`actions-${comment.id}`, render(CommentActions, { props }).body);
			}
			return fillSlots(html, fills);
		}
	};
}
