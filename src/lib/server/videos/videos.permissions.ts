import { isAdministrator, isPerson, type Actor } from '../auth/auth.permissions';

/** A post as the video rules need it. */
export interface PostForVideo {
	author_id: string | null;
}

/**
 * Only the post's author or a curator (or an administrator) adds, replaces or removes its
 * video, captions and transcript. (The lead may swap in the posts feature's own predicate.)
 */
export function canManagePostVideo(actor: Actor | null | undefined, post: PostForVideo): boolean {
	if (isAdministrator(actor)) return true;
	if (!isPerson(actor)) return false;
	return actor.role === 'curator' || (post.author_id !== null && actor.id === post.author_id);
}

/** Only the post's author is nudged to add a transcript (a curator is not its writer). */
export function isPostAuthor(actor: Actor | null | undefined, post: PostForVideo): boolean {
	return isPerson(actor) && post.author_id !== null && actor.id === post.author_id;
}
