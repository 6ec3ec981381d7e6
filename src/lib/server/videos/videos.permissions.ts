import { isPerson, type Actor } from '../auth/auth.permissions';
import { canEditPost, type PostAccess } from '../posts/posts.permissions';

/** A post as the video rules need it. */
export type PostForVideo = Pick<PostAccess, 'author_id'>;

/**
 * A post's video, captions and transcript are part of the post: whoever may edit the post (its
 * author, a curator or an administrator) adds, replaces or removes them.
 */
export function canManagePostVideo(actor: Actor | null | undefined, post: PostForVideo): boolean {
	return canEditPost(actor, post);
}

/** Only the post's author is nudged to add a transcript (a curator is not its writer). */
export function isPostAuthor(actor: Actor | null | undefined, post: PostForVideo): boolean {
	return isPerson(actor) && post.author_id !== null && actor.id === post.author_id;
}
