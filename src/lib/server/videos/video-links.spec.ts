import { describe, expect, it } from 'vitest';
import { embedUrl, parseVideoLink, watchUrl } from './video-links';

function link(text: string) {
	const result = parseVideoLink(text);
	if (!result.ok) throw new Error(result.message);
	return result.link;
}

function refusal(text: string): string {
	const result = parseVideoLink(text);
	if (result.ok) throw new Error(`${text} was taken`);
	return result.message;
}

describe('video links', () => {
	it('reads the YouTube addresses people share', () => {
		const id = 'dQw4w9WgXcQ';
		for (const text of [
			`https://www.youtube.com/watch?v=${id}`,
			`https://youtube.com/watch?v=${id}&t=42s&feature=share`,
			`https://m.youtube.com/watch?v=${id}`,
			`https://youtu.be/${id}?si=abc`,
			`https://www.youtube.com/shorts/${id}`,
			`  https://www.youtube.com/embed/${id}  `
		]) {
			expect(link(text)).toEqual({ kind: 'youtube', id });
		}
		expect(embedUrl({ kind: 'youtube', id })).toBe(
			`https://www.youtube-nocookie.com/embed/${id}?autoplay=1&rel=0`
		);
	});

	it('reads Vimeo numbers, with an unlisted video’s key', () => {
		expect(link('https://vimeo.com/76979871')).toEqual({ kind: 'vimeo', id: '76979871' });
		expect(link('https://player.vimeo.com/video/76979871')).toEqual({
			kind: 'vimeo',
			id: '76979871'
		});
		expect(link('https://vimeo.com/channels/staffpicks/76979871')).toEqual({
			kind: 'vimeo',
			id: '76979871'
		});
		const unlisted = link('https://vimeo.com/76979871/abc123def0');
		expect(unlisted).toEqual({ kind: 'vimeo', id: '76979871', hash: 'abc123def0' });
		expect(embedUrl(unlisted)).toBe(
			'https://player.vimeo.com/video/76979871?dnt=1&autoplay=1&h=abc123def0'
		);
	});

	it('reads PeerTube addresses on any site, as a link out', () => {
		const short = link('https://video.example.org/w/9c9de5e8oSwYTBvGzMvBCm');
		expect(short).toEqual({
			kind: 'peertube',
			host: 'video.example.org',
			id: '9c9de5e8oSwYTBvGzMvBCm'
		});
		expect(embedUrl(short)).toBeUndefined();
		expect(watchUrl(short)).toBe('https://video.example.org/w/9c9de5e8oSwYTBvGzMvBCm');
		expect(
			link('https://tube.example.net/videos/watch/3f4b5a1c-2d3e-4f50-8a9b-0c1d2e3f4a5b')
		).toEqual({
			kind: 'peertube',
			host: 'tube.example.net',
			id: '3f4b5a1c-2d3e-4f50-8a9b-0c1d2e3f4a5b'
		});
	});

	it('refuses everything else with a message that says what works', () => {
		expect(refusal('not a link')).toMatch(/not a web address/);
		expect(refusal('javascript:alert(1)')).toMatch(/starts with https/);
		expect(refusal('https://www.youtube.com/watch?v=short')).toMatch(
			/YouTube link does not point to one video/
		);
		expect(refusal('https://www.youtube.com/channel/UC123')).toMatch(/YouTube/);
		expect(refusal('https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ')).toMatch(
			/YouTube, Vimeo and PeerTube only/
		);
		expect(refusal('https://vimeo.com/about')).toMatch(/Vimeo link/);
		expect(refusal('https://user:pw@www.youtube.com/watch?v=dQw4w9WgXcQ')).toMatch(/user name/);
		expect(refusal('https://example.org/video.mp4')).toMatch(/YouTube, Vimeo and PeerTube only/);
		expect(refusal('http://video.example.org/w/9c9de5e8oSwYTBvGzMvBCm')).toMatch(/https/);
		expect(refusal('https://192.168.1.4/w/9c9de5e8oSwYTBvGzMvBCm')).toMatch(
			/not a web site’s name/
		);
		expect(refusal(`https://youtu.be/${'a'.repeat(600)}`)).toMatch(/much shorter/);
	});
});
