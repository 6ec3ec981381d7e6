import { isPerson, type Actor } from '../auth/auth.permissions';
import type { SessionUser } from '../auth/auth.types';
import { isCurator } from '../moderation/moderation.permissions';

/** Members comment; visitors only read. (Suspension and the post's state are checked apart.) */
export function canComment(actor: Actor | null | undefined): actor is SessionUser {
	return isPerson(actor);
}

/** Only its author edits a comment (the 15 minutes are checked apart, with a clear message). */
export function canEditComment(
	actor: Actor | null | undefined,
	comment: { author_id: string | null }
): actor is SessionUser {
	return isPerson(actor) && comment.author_id !== null && actor.id === comment.author_id;
}

/** Only its author deletes a comment, at any time (curators hide instead). */
export function canDeleteComment(
	actor: Actor | null | undefined,
	comment: { author_id: string | null }
): actor is SessionUser {
	return canEditComment(actor, comment);
}

/** The post's author or a curator opens and closes its comments. */
export function canCloseComments(
	actor: Actor | null | undefined,
	post: { author_id: string | null }
): actor is SessionUser {
	return isCurator(actor) || (isPerson(actor) && post.author_id === actor.id);
}
