import type { PersonalDataRegistration } from '../your-data/your-data.types';
import { eraseCommentsOf } from './comments.service';

// Comments go with their writer, whichever choice they make for their posts: a comment is a
// reply in a conversation, not a piece of writing that stands alone. A comment that others
// replied to stays as "comment deleted", without the words or the name, so replies still read.

export const comment: PersonalDataRegistration = {
	feature: 'comments',
	table: 'comment',
	personColumns: ['author_id'],
	kind: 'personal',
	onDelete:
		'Your comments are removed, whatever you choose for your posts. Where others replied to one, it shows as “comment deleted”, without your words or name.',
	exportAs: 'commentsYouWrote',
	async export(db, person) {
		const rows = await db
			.selectFrom('comment as c')
			.innerJoin('post as p', 'p.id', 'c.post_id')
			.select([
				'c.id',
				'c.body',
				'c.parent_id',
				'c.created_at',
				'c.edited_at',
				'c.hidden_at',
				'p.title as post_title',
				'p.slug as post_slug'
			])
			.where('c.author_id', '=', person.id)
			.where('c.deleted_at', 'is', null)
			.orderBy('c.created_at')
			.execute();
		return rows.map(({ post_slug, ...r }) => ({
			...r,
			address: `/blog/${post_slug}/comments#comment-${r.id}`
		}));
	},
	erase(trx, { person }) {
		return eraseCommentsOf(trx, person.id);
	}
};

export const COMMENTS_PERSONAL_DATA = [comment] as const;
