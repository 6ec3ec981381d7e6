// What VideoPlayer shows: made on the server by `videoForPost` (src/lib/server/videos).

export interface VideoPlayerData {
	id: string;
	kind: 'youtube' | 'vimeo' | 'peertube' | 'upload';
	/** The post's title, to name the player. */
	title: string;
	/** Links: the site's name, the video's page there, and its player (none for PeerTube). */
	site: string | null;
	watchUrl: string | null;
	embedUrl: string | null;
	/** Uploads: the file's address and type. */
	src: string | null;
	contentType: string | null;
	captionsUrl: string | null;
	/** Sanitised HTML from the transcript's Markdown. */
	transcriptHtml: string | null;
}
