/** What stands in for a comment's words, on every page, while moderation has them hidden. */
export const COMMENT_HIDDEN_LINE = 'This comment is hidden while a curator looks at it.';
