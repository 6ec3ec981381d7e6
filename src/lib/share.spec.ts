import { describe, expect, it } from 'vitest';
import { mastodonHost, mastodonShareUrl, shareLinks } from './share';

describe('share links', () => {
	it('are plain addresses carrying the page, with names that say where they go', () => {
		const links = shareLinks('https://colab.test/blog/a?b=1&c', 'Tea & talk');
		expect(links.map((l) => l.label + l.note)).toContain('Share on LinkedIn (opens LinkedIn)');
		const encoded = encodeURIComponent('https://colab.test/blog/a?b=1&c');
		for (const l of links) expect(l.href).toContain(encoded);
		expect(links.find((l) => l.label === 'Share on Mastodon')?.href).toMatch(
			/^\/share\/mastodon\?/
		);
		expect(links.find((l) => l.label === 'Share by email')?.href).toMatch(
			/^mailto:\?subject=Tea%20%26%20talk&body=/
		);
	});

	it('reads a Mastodon server from what people type, and refuses what is not one', () => {
		expect(mastodonHost('mastodon.social')).toBe('mastodon.social');
		expect(mastodonHost(' @sam@Social.Example.org ')).toBe('social.example.org');
		expect(mastodonHost('https://mastodon.social/@sam')).toBe('mastodon.social');
		expect(mastodonHost('localhost')).toBeUndefined();
		expect(mastodonHost('127.0.0.1')).toBeUndefined();
		expect(mastodonHost('javascript:alert(1)')).toBeUndefined();
		expect(mastodonHost('evil.com/x?y=.social')).toBe('evil.com');
		expect(mastodonHost('')).toBeUndefined();
		expect(mastodonShareUrl('mastodon.social', 'a & b')).toBe(
			'https://mastodon.social/share?text=a%20%26%20b'
		);
	});
});
