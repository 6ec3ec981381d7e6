import type { Insertable, Selectable } from 'kysely';

/** Where a post's video comes from. */
export type VideoKind = 'youtube' | 'vimeo' | 'peertube' | 'upload';
export type VideoContentType = 'video/mp4' | 'video/webm';

/** A post's video (one per post): a link to a video site, or an uploaded file. */
export interface PostVideoTable {
	id: string;
	post_id: string;
	kind: VideoKind;
	provider_id: string | null;
	provider_host: string | null;
	source_url: string | null;
	file_id: string | null;
	content_type: VideoContentType | null;
	byte_length: number | null;
	captions: string | null;
	captions_id: string | null;
	transcript: string | null;
	added_by: string | null;
	created_at: string;
	updated_at: string;
}

export type PostVideo = Selectable<PostVideoTable>;
export type NewPostVideo = Insertable<PostVideoTable>;

export interface VideosTables {
	post_video: PostVideoTable;
}
