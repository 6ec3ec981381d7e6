import { z } from 'zod';

/** The longest comment, in characters (said in the message; never cut). */
export const COMMENT_MAX = 5_000;

const body = z
	.string()
	.trim()
	.min(1, 'Write your comment before sending it')
	.max(
		COMMENT_MAX,
		`A comment must be ${COMMENT_MAX.toLocaleString('en-GB')} characters or fewer. Shorten it and send it again.`
	);

const id = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'Open the page again and try once more');

/** A new comment, or a reply when `parentId` is given. `website` is the honeypot. */
export const commentSchema = z.object({
	body,
	parentId: id.optional().or(z.literal('').transform(() => undefined)),
	website: z.string().max(500).default('')
});
export type CommentInput = z.output<typeof commentSchema>;

export const editCommentSchema = z.object({ id, body });

export const deleteCommentSchema = z.object({ id });

export const closeCommentsSchema = z.object({
	closed: z.enum(['yes', 'no'], 'Choose whether comments are open or closed')
});
