import { isPerson, type Actor } from '../auth/auth.permissions';
import type { SessionUser } from '../auth/auth.types';
import { isCurator } from '../moderation/moderation.permissions';
import type { IdeaStage } from './ideas.tables';

/** What the rules need to know about an idea. */
export interface IdeaAccess {
	author_id: string | null;
	stage: IdeaStage;
	removed_at: string | null;
}

function isAuthor(actor: Actor | null | undefined, idea: Pick<IdeaAccess, 'author_id'>) {
	return isPerson(actor) && idea.author_id !== null && idea.author_id === actor.id;
}

/** Anyone signed in posts an idea; visitors read them. */
export function canPostIdea(actor: Actor | null | undefined): actor is SessionUser {
	return isPerson(actor);
}

/** The author changes their idea's words while it is new (before people have supported what it says). */
export function canEditIdea(
	actor: Actor | null | undefined,
	idea: IdeaAccess
): actor is SessionUser {
	return isAuthor(actor, idea) && idea.stage === 'new' && !idea.removed_at;
}

/** Anyone signed in supports an idea or comments on it. */
export function canSupportIdea(actor: Actor | null | undefined): actor is SessionUser {
	return isPerson(actor);
}

export function canCommentOnIdea(actor: Actor | null | undefined): actor is SessionUser {
	return isPerson(actor);
}

/** Curators and the idea's author move it from stage to stage. */
export function canMoveIdea(
	actor: Actor | null | undefined,
	idea: Pick<IdeaAccess, 'author_id'>
): actor is SessionUser {
	return isCurator(actor) || isAuthor(actor, idea);
}

/** Curators and the idea's author turn it into an event, a pilot or a decision. */
export function canTurnIdeaInto(
	actor: Actor | null | undefined,
	idea: Pick<IdeaAccess, 'author_id'>
): actor is SessionUser {
	return isCurator(actor) || isAuthor(actor, idea);
}

/** The author or a curator takes an idea down. */
export function canRemoveIdea(
	actor: Actor | null | undefined,
	idea: Pick<IdeaAccess, 'author_id'>
): actor is SessionUser {
	return isCurator(actor) || isAuthor(actor, idea);
}

/** Only its author edits (within 15 minutes, checked apart) or deletes a comment. */
export function canChangeIdeaComment(
	actor: Actor | null | undefined,
	comment: { author_id: string | null }
): actor is SessionUser {
	return isPerson(actor) && comment.author_id !== null && comment.author_id === actor.id;
}
