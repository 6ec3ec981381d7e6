/**
 * The Reply and Edit links of a thread: the page's own address with `?reply=<id>` or
 * `?edit=<id>` and the comment's anchor. Worked out once per thread (a page holds up to a few
 * hundred such links), and the same for a shared render's slots (cache/shared-pages.ts).
 */
export type CommentLink = (param: 'reply' | 'edit', id: string) => string;

export function commentLinks(returnTo: string): CommentLink {
	const url = new URL(returnTo, 'http://x');
	url.searchParams.delete('reply');
	url.searchParams.delete('edit');
	const path = url.pathname;
	const query = url.searchParams.toString();
	return (param, id) =>
		`${path}?${query ? `${query}&` : ''}${param}=${encodeURIComponent(id)}#comment-${id}`;
}
