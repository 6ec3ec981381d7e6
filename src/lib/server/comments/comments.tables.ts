import type { Insertable, Selectable } from 'kysely';

export interface CommentTable {
	id: string;
	post_id: string;
	/** The top-level comment this replies to; null for a top-level comment. */
	parent_id: string | null;
	/** Null once the author deleted their account. */
	author_id: string | null;
	/** Markdown (a subset); empty once deleted. */
	body: string;
	created_at: string;
	edited_at: string | null;
	/** Set when its author deleted it while it had replies ("comment deleted"). */
	deleted_at: string | null;
	/** Set by moderation. */
	hidden_at: string | null;
}

export type Comment = Selectable<CommentTable>;
export type NewComment = Insertable<CommentTable>;

export interface CommentsTables {
	comment: CommentTable;
}
