import type { Insertable, Selectable, Updateable } from 'kysely';

export type PostStatus = 'draft' | 'waiting' | 'published' | 'unpublished' | 'declined';
/** A retired theme stays on the posts filed under it, but is no longer offered. */
export type ThemeStatus = 'active' | 'suggested' | 'declined' | 'retired';

export interface ThemeTable {
	id: string;
	slug: string;
	name: string;
	description: string | null;
	status: ThemeStatus;
	suggested_by: string | null;
	created_at: string;
}

export interface PostTable {
	id: string;
	slug: string;
	/** Null once the author deleted their account and chose to keep the post. */
	author_id: string | null;
	organisation_id: string | null;
	event_id: string | null;
	title: string;
	/** Markdown; rendered through `$lib/server/markdown`, which sanitises it. */
	body: string;
	word_count: number;
	first_image_id: string | null;
	status: PostStatus;
	/** In the future for a scheduled post: lists show only what is published and due. */
	published_at: string | null;
	featured_at: string | null;
	comments_closed: number;
	/** Set by moderation, apart from status. */
	hidden_at: string | null;
	version: number;
	/** Who saved the post as it is now; null when its author did, before this was recorded. */
	edited_by: string | null;
	created_at: string;
	updated_at: string;
}

export interface PostThemeTable {
	post_id: string;
	theme_id: string;
}

export interface PostVersionTable {
	post_id: string;
	version: number;
	title: string;
	body: string;
	edited_by: string | null;
	created_at: string;
}

export interface PostImageTable {
	post_id: string;
	image_id: string;
}

/** An image uploaded while writing a post; removed after a day if no post shows it. */
export interface PostUploadTable {
	image_id: string;
	created_at: string;
}

export type Theme = Selectable<ThemeTable>;
export type Post = Selectable<PostTable>;
export type NewPost = Insertable<PostTable>;
export type PostUpdate = Updateable<PostTable>;
export type PostVersion = Selectable<PostVersionTable>;

export interface PostsTables {
	theme: ThemeTable;
	post: PostTable;
	post_theme: PostThemeTable;
	post_version: PostVersionTable;
	post_image: PostImageTable;
	post_upload: PostUploadTable;
}
