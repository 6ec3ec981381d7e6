import { isAdministrator, isPerson, type Actor } from '../auth/auth.permissions';
import type { SessionUser } from '../auth/auth.types';
import type { Post } from './posts.tables';

/** The parts of a post that decide who may see or change it. */
export type PostAccess = Pick<Post, 'author_id' | 'status' | 'published_at' | 'hidden_at'>;

/** Curators (and administrators) keep the blog: they review, feature and keep the themes. */
export function isPostCurator(actor: Actor | null | undefined): boolean {
	return isAdministrator(actor) || (isPerson(actor) && actor.role === 'curator');
}

/** Anyone signed in writes posts. */
export function canWritePosts(actor: Actor | null | undefined): actor is SessionUser {
	return isPerson(actor);
}

/**
 * Whether everyone may read the post now: published, due (a scheduled post is published with
 * `published_at` in the future) and not hidden by moderation.
 */
export function isPostPublic(post: PostAccess, now: string = new Date().toISOString()): boolean {
	return (
		post.status === 'published' &&
		post.published_at !== null &&
		post.published_at <= now &&
		post.hidden_at === null
	);
}

/** Only the author (or a curator) edits, unpublishes or schedules a post. */
export function canEditPost(
	actor: Actor | null | undefined,
	post: Pick<PostAccess, 'author_id'>
): boolean {
	if (isPostCurator(actor)) return true;
	return isPerson(actor) && post.author_id !== null && post.author_id === actor.id;
}

/** Everyone reads a public post; drafts, waiting, scheduled and hidden posts only their author and curators. */
export function canReadPost(
	actor: Actor | null | undefined,
	post: PostAccess,
	now: string = new Date().toISOString()
): boolean {
	return isPostPublic(post, now) || canEditPost(actor, post);
}

/** The history of a post (every earlier version) is for its author and curators. */
export function canSeePostHistory(actor: Actor | null | undefined, post: PostAccess): boolean {
	return canEditPost(actor, post);
}

/** Only curators approve or decline waiting posts, and feature posts on the home page. */
export function canReviewPosts(actor: Actor | null | undefined): boolean {
	return isPostCurator(actor);
}

/** Only curators add, rename and retire themes, and accept or decline suggested ones. */
export function canManageThemes(actor: Actor | null | undefined): boolean {
	return isPostCurator(actor);
}

/** Anyone signed in may suggest a theme; it waits for a curator. */
export function canSuggestTheme(actor: Actor | null | undefined): actor is SessionUser {
	return isPerson(actor);
}

/** A post goes out on an organisation's behalf only from someone who belongs to it. */
export function canPostForOrganisation(
	actor: Actor | null | undefined,
	isMemberOfIt: boolean
): boolean {
	return isPerson(actor) && isMemberOfIt;
}
