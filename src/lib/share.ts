/**
 * Plain share links for a page: addresses only, so nothing from another site loads until the
 * reader follows one. Mastodon has no one address (each server is its own site), so its link
 * goes to our /share/mastodon page, which asks for the reader's server.
 */

export interface ShareLink {
	/** Where the link goes. */
	href: string;
	/** The visible words. */
	label: string;
	/** Said by screen readers after the label, e.g. " (opens LinkedIn)". */
	note: string;
}

/** The share links for a page at `url` (absolute) called `title`. */
export function shareLinks(url: string, title: string): ShareLink[] {
	const u = encodeURIComponent(url);
	const text = `${title} ${url}`;
	return [
		{
			href: `mailto:?subject=${encodeURIComponent(title)}&body=${encodeURIComponent(text)}`,
			label: 'Share by email',
			note: ' (opens your email program)'
		},
		{
			href: `/share/mastodon?text=${encodeURIComponent(text)}`,
			label: 'Share on Mastodon',
			note: ' (asks for your Mastodon server first)'
		},
		{
			href: `https://www.facebook.com/sharer/sharer.php?u=${u}`,
			label: 'Share on Facebook',
			note: ' (opens Facebook)'
		},
		{
			href: `https://x.com/intent/post?text=${encodeURIComponent(title)}&url=${u}`,
			label: 'Share on X',
			note: ' (opens X, formerly Twitter)'
		},
		{
			href: `https://www.linkedin.com/sharing/share-offsite/?url=${u}`,
			label: 'Share on LinkedIn',
			note: ' (opens LinkedIn)'
		}
	];
}

/** Most characters a shared text may have: a Mastodon post's limit. */
export const MAX_SHARE_TEXT = 500;

const HOST =
	/^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

/**
 * A Mastodon server's name as people type it ("mastodon.social", "@me@mastodon.social",
 * "https://mastodon.social/"), as a bare host name; undefined when it cannot be one.
 */
export function mastodonHost(typed: string): string | undefined {
	let value = typed.trim().toLowerCase();
	value = value.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
	// A full handle: @name@server or name@server.
	const at = value.lastIndexOf('@');
	if (at !== -1) value = value.slice(at + 1);
	if (value === 'localhost' || /^[\d.]+$/.test(value)) return undefined;
	return HOST.test(value) ? value : undefined;
}

/** Mastodon's own share page on a server, with the text filled in. */
export function mastodonShareUrl(host: string, text: string): string {
	return `https://${host}/share?text=${encodeURIComponent(text)}`;
}
