import { isPerson, type Actor } from '../auth/auth.permissions';

/**
 * Who may see a post that is not public (a draft, waiting, unpublished, hidden or scheduled
 * post) and follow "Edit" from its page: its author, and curators and administrators.
 * Placeholder until the writing side's own predicate (posts.permissions.ts) replaces it.
 */
export function canSeeUnpublishedPost(
	actor: Actor | null | undefined,
	post: { author_id: string | null }
): boolean {
	if (!isPerson(actor)) return false;
	if (post.author_id !== null && actor.id === post.author_id) return true;
	return actor.role === 'curator' || actor.role === 'administrator';
}
