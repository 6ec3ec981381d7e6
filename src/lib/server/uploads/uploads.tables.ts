import type { Insertable, Selectable } from 'kysely';

/** Where an image's bytes are: in image_variant.data, or in files under UPLOADS_DIR. */
export type ImageStorage = 'database' | 'folder';

/** One uploaded picture. Its id is new for every upload and its bytes never change. */
export interface ImageTable {
	id: string;
	/** The largest variant's size, after turning the picture the right way up. */
	width: number;
	height: number;
	/** The widths it was made in, smallest first: "320,640,1280". */
	widths: string;
	storage: ImageStorage;
	created_at: string;
}

/** The picture at one width, as served from /media/<image id>/<width>.webp. */
export interface ImageVariantTable {
	image_id: string;
	width: number;
	height: number;
	content_type: string;
	byte_length: number;
	/** The bytes, or null when they are in the uploads folder. */
	data: Uint8Array | null;
}

export type Image = Selectable<ImageTable>;
export type NewImage = Insertable<ImageTable>;
export type NewImageVariant = Insertable<ImageVariantTable>;

export interface UploadsTables {
	image: ImageTable;
	image_variant: ImageVariantTable;
}
