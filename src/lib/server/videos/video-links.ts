/**
 * Links to videos on YouTube, Vimeo and PeerTube, read strictly: only the addresses those sites
 * give people to share a video are taken, and each becomes the site and the video's id. Nothing
 * else of the link is kept, so a link can never point an embed anywhere else.
 */

export type VideoLink =
	| { kind: 'youtube'; id: string }
	| { kind: 'vimeo'; id: string; hash?: string }
	| { kind: 'peertube'; host: string; id: string };

export type ParsedVideoLink = { ok: true; link: VideoLink } | { ok: false; message: string };

/** What every refusal ends with: what a link that works looks like. */
const EXAMPLES =
	'Copy the link from the video’s page, for example https://www.youtube.com/watch?v=… , https://vimeo.com/123456789 or https://peertube.example.org/w/… .';

const YOUTUBE_ID = /^[A-Za-z0-9_-]{11}$/;
const VIMEO_ID = /^\d{1,12}$/;
const VIMEO_HASH = /^[0-9a-f]{6,20}$/;
/** PeerTube's short ids (base58, 22 characters) and full UUIDs. */
const PEERTUBE_SHORT = /^[1-9A-HJ-NP-Za-km-z]{22}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A host name with a dot and letters at the end: no bare addresses, ports or user names. */
const HOST_NAME = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

const YOUTUBE_HOSTS = new Set(['youtube.com', 'www.youtube.com', 'm.youtube.com']);
const VIMEO_HOSTS = new Set(['vimeo.com', 'www.vimeo.com']);
const LONGEST_LINK = 500;

function refuse(message: string): ParsedVideoLink {
	return { ok: false, message };
}

/** Reads a link to a video; says plainly why one cannot be used. */
export function parseVideoLink(input: string): ParsedVideoLink {
	const text = input.trim();
	if (text.length > LONGEST_LINK) {
		return refuse(
			`This link is ${text.length} characters long; a video’s link is much shorter. ${EXAMPLES}`
		);
	}
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return refuse(`This is not a web address. ${EXAMPLES}`);
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		return refuse(`A video’s link starts with https://. ${EXAMPLES}`);
	}
	if (url.username || url.password || url.port) {
		return refuse(
			`This link has a user name, password or port in it, which video sites never use. ${EXAMPLES}`
		);
	}
	const host = url.hostname.toLowerCase();
	const parts = url.pathname.split('/').filter(Boolean);

	if (YOUTUBE_HOSTS.has(host) || host === 'youtu.be') {
		let id: string | null | undefined;
		if (host === 'youtu.be') id = parts.length === 1 ? parts[0] : undefined;
		else if (parts.length === 1 && parts[0] === 'watch') id = url.searchParams.get('v');
		else if (parts.length === 2 && ['shorts', 'embed', 'live'].includes(parts[0]!)) id = parts[1];
		if (!id || !YOUTUBE_ID.test(id)) {
			return refuse(
				'This YouTube link does not point to one video. Use the address of the video’s page (https://www.youtube.com/watch?v=…), its Share link (https://youtu.be/…) or a Shorts link.'
			);
		}
		return { ok: true, link: { kind: 'youtube', id } };
	}

	if (VIMEO_HOSTS.has(host) || host === 'player.vimeo.com') {
		let id: string | undefined;
		let hash: string | undefined;
		if (host === 'player.vimeo.com') {
			if (parts.length === 2 && parts[0] === 'video') id = parts[1];
			hash = url.searchParams.get('h') ?? undefined;
		} else if (parts.length === 1 || parts.length === 2) {
			// vimeo.com/123456789, or an unlisted video's vimeo.com/123456789/abcdef1234
			id = parts[0];
			hash = parts[1];
		} else if (parts.length === 3 && parts[0] === 'channels') {
			id = parts[2];
		}
		if (!id || !VIMEO_ID.test(id) || (hash !== undefined && !VIMEO_HASH.test(hash))) {
			return refuse(
				'This Vimeo link does not point to one video. Use the address of the video’s page, such as https://vimeo.com/123456789.'
			);
		}
		return { ok: true, link: hash ? { kind: 'vimeo', id, hash } : { kind: 'vimeo', id } };
	}

	// PeerTube runs on many sites, so it is known by the shape of its video addresses.
	const peertubeId =
		parts.length === 2 && parts[0] === 'w'
			? parts[1]
			: parts.length === 3 && parts[0] === 'videos' && ['watch', 'embed'].includes(parts[1]!)
				? parts[2]
				: undefined;
	if (peertubeId && (PEERTUBE_SHORT.test(peertubeId) || UUID.test(peertubeId))) {
		if (url.protocol !== 'https:') {
			return refuse('A PeerTube link must start with https://, so the video is sent safely.');
		}
		if (!HOST_NAME.test(host)) {
			return refuse(`This PeerTube link’s site (${host}) is not a web site’s name. ${EXAMPLES}`);
		}
		return { ok: true, link: { kind: 'peertube', host, id: peertubeId } };
	}

	return refuse(`We can show videos from YouTube, Vimeo and PeerTube only. ${EXAMPLES}`);
}

/** The video's own page, for people to open on its site. */
export function watchUrl(link: VideoLink): string {
	switch (link.kind) {
		case 'youtube':
			return `https://www.youtube.com/watch?v=${link.id}`;
		case 'vimeo':
			return `https://vimeo.com/${link.id}${link.hash ? `/${link.hash}` : ''}`;
		case 'peertube':
			return `https://${link.host}/w/${link.id}`;
	}
}

/**
 * The address of the player shown in a frame once the reader asks for it, or undefined for
 * PeerTube: its sites are too many to list in the Content-Security-Policy, so readers follow a
 * link to it instead. YouTube's is its no-cookie address; Vimeo's asks it not to track.
 */
export function embedUrl(link: VideoLink): string | undefined {
	switch (link.kind) {
		case 'youtube':
			return `https://www.youtube-nocookie.com/embed/${link.id}?autoplay=1&rel=0`;
		case 'vimeo':
			return `https://player.vimeo.com/video/${link.id}?dnt=1&autoplay=1${link.hash ? `&h=${link.hash}` : ''}`;
		case 'peertube':
			return undefined;
	}
}

/** The sites whose players may be framed (svelte.config.js lists the same in frame-src). */
export const FRAMED_PLAYER_ORIGINS = [
	'https://www.youtube-nocookie.com',
	'https://player.vimeo.com'
];

/** The site's name, as readers know it. */
export function siteName(link: VideoLink): string {
	return link.kind === 'youtube' ? 'YouTube' : link.kind === 'vimeo' ? 'Vimeo' : link.host;
}
