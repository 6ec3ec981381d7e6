import type { Kysely } from 'kysely';
import type { SharedPageRule, SharedRenderNotes } from '../cache/shared-pages';
import { ownCommentActions, type ThreadSlotNotes } from '../comments/comments.slots';
import type { DB } from '../db/schema';
import { nowIso } from '../ids';
import { postingSuspendedUntil } from '../moderation/moderation.service';

/** What the post page's render notes for its shared render (cache/shared-pages.ts). */
interface PostPageNotes {
	/** A public post, shown: the only kind shared. */
	shareable?: boolean;
	postAuthorId?: string | null;
	thread?: ThreadSlotNotes | null;
}

/** Called by the post page's load while it renders a page that may be shared. */
export function notePostPage(
	notes: SharedRenderNotes,
	post: { isPublic: boolean; hidden: boolean; authorId: string | null },
	thread: ThreadSlotNotes | null
): void {
	const mine = notes as PostPageNotes;
	mine.shareable = post.isPublic && !post.hidden;
	mine.postAuthorId = post.authorId;
	mine.thread = thread;
}

/**
 * The post page (`/blog/<slug>`, and `?page=<n>` of its comments) for plain members: the same
 * for all of them except the header's count and their own comments' actions. Its author (who
 * sees Edit and Close comments) and a member who may not comment now render in full.
 */
export function postPageRule(db: () => Kysely<DB>): SharedPageRule {
	return {
		routeId: '/blog/[slug]',
		acceptsQuery: (search) => {
			for (const key of search.keys()) if (key !== 'page') return false;
			return true;
		},
		async fits(_event, user, notes) {
			const post = notes as PostPageNotes;
			if (!post.shareable || post.postAuthorId === user.id) return false;
			return !(await postingSuspendedUntil(db(), user.id, nowIso()));
		},
		own(user, notes) {
			const thread = (notes as PostPageNotes).thread;
			return thread ? ownCommentActions(user.id, thread) : { key: '', fill: (html) => html };
		}
	};
}
