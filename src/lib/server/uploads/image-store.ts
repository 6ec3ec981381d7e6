import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import { newId, nowIso } from '../ids';
import { logger } from '../logger';
import type { ProcessedPicture } from './images';
import type { Image, ImageStorage } from './uploads.tables';

/** An image id as newId makes them: 22 URL-safe characters. Anything else is never a file name. */
const IMAGE_ID = /^[A-Za-z0-9_-]{22}$/;

export function isImageId(value: string): boolean {
	return IMAGE_ID.test(value);
}

/** A picture whose files (in folder storage) are written, waiting for its rows. */
export interface StagedImage {
	id: string;
	picture: ProcessedPicture;
}

/**
 * Where pictures' bytes live: in the database (image_variant.data), or in a folder every
 * instance shares (UPLOADS_DIR), one folder per image holding `<width>.webp`. Rows are written
 * in the caller's transaction; files are written before it and removed after it, so a picture
 * is never shown without its bytes.
 */
export class ImageStore {
	readonly storage: ImageStorage;

	constructor(readonly folder: string | undefined) {
		this.storage = folder ? 'folder' : 'database';
	}

	#file(id: string, width: number): string {
		if (!this.folder || !isImageId(id)) throw new Error('not an image in the uploads folder');
		return path.join(this.folder, id, `${width}.webp`);
	}

	/** Writes a picture's files (folder storage); call before the transaction that saves it. */
	async stage(picture: ProcessedPicture): Promise<StagedImage> {
		const id = newId();
		if (this.folder) {
			await mkdir(path.join(this.folder, id), { recursive: true });
			for (const variant of picture.variants) {
				// Written aside and renamed, so another instance never reads half a file.
				const file = this.#file(id, variant.width);
				await writeFile(`${file}.${process.pid}.tmp`, variant.data);
				await rename(`${file}.${process.pid}.tmp`, file);
			}
		}
		return { id, picture };
	}

	/** Saves a staged picture's rows (and, in the database, its bytes). */
	async insert(trx: Kysely<DB> | Transaction<DB>, staged: StagedImage): Promise<void> {
		const { id, picture } = staged;
		await trx
			.insertInto('image')
			.values({
				id,
				width: picture.width,
				height: picture.height,
				widths: picture.variants.map((v) => v.width).join(','),
				storage: this.storage,
				created_at: nowIso()
			})
			.execute();
		await trx
			.insertInto('image_variant')
			.values(
				picture.variants.map((v) => ({
					image_id: id,
					width: v.width,
					height: v.height,
					content_type: v.contentType,
					byte_length: v.data.byteLength,
					data: this.folder ? null : v.data
				}))
			)
			.execute();
	}

	/** Deletes an image's rows; what pointed at it is emptied. Its files go in `removeFiles`. */
	async deleteRows(trx: Kysely<DB> | Transaction<DB>, id: string): Promise<void> {
		await trx.deleteFrom('image').where('id', '=', id).execute();
	}

	/** Removes an image's files, if it has any here; call after the rows are gone for good. */
	async removeFiles(id: string): Promise<void> {
		if (!this.folder || !isImageId(id)) return;
		try {
			await rm(path.join(this.folder, id), { recursive: true, force: true });
		} catch (failure) {
			// The row is gone, so nothing links to the files: they are only wasted space.
			logger.warn({ err: failure, image: id }, 'could not remove a picture’s files');
		}
	}

	/** One variant's bytes, or undefined when there is no such image or width. */
	async read(
		db: Kysely<DB>,
		id: string,
		width: number
	): Promise<{ data: Uint8Array; contentType: string } | undefined> {
		if (!isImageId(id)) return undefined;
		const row = await db
			.selectFrom('image_variant')
			.select(['content_type', 'data'])
			.where('image_id', '=', id)
			.where('width', '=', width)
			.executeTakeFirst();
		if (!row) return undefined;
		if (row.data) return { data: row.data, contentType: row.content_type };
		if (!this.folder) return undefined;
		try {
			return { data: await readFile(this.#file(id, width)), contentType: row.content_type };
		} catch {
			return undefined;
		}
	}
}

/** An image's row (its widths and size), as pages need it to show the picture. */
export async function findImage(
	db: Kysely<DB> | Transaction<DB>,
	id: string
): Promise<Pick<Image, 'id' | 'widths' | 'width' | 'height'> | undefined> {
	return db
		.selectFrom('image')
		.select(['id', 'widths', 'width', 'height'])
		.where('id', '=', id)
		.executeTakeFirst();
}

/** The pictures with these ids, in one query (those that exist). */
export async function findImages(
	db: Kysely<DB> | Transaction<DB>,
	ids: readonly string[]
): Promise<Pick<Image, 'id' | 'widths' | 'width' | 'height'>[]> {
	if (!ids.length) return [];
	return db
		.selectFrom('image')
		.select(['id', 'widths', 'width', 'height'])
		.where('id', 'in', [...ids])
		.execute();
}

/**
 * Deletes pictures whose owners are going (an account, an event), inside the transaction that
 * removes them. Returns what removes their files, to call once that transaction has committed.
 */
export async function deleteImages(
	trx: Kysely<DB> | Transaction<DB>,
	store: ImageStore,
	ids: ReadonlyArray<string | null | undefined>
): Promise<() => Promise<void>> {
	const present = ids.filter((id): id is string => !!id);
	if (present.length) await trx.deleteFrom('image').where('id', 'in', present).execute();
	return async () => {
		for (const id of present) await store.removeFiles(id);
	};
}

/** What a feature's change may do with pictures, inside its own transaction. */
export interface PictureChange {
	/** The new picture's id, when one was uploaded. */
	newId: string | undefined;
	/** Saves the new picture's rows; returns its id. */
	save(trx: Transaction<DB>): Promise<string>;
	/** Deletes a picture being replaced or removed (its files go once the change is made). */
	retire(trx: Transaction<DB>, id: string | null | undefined): Promise<void>;
}

/** A picture change under way: what the transaction calls, and `settle` for its outcome. */
export interface StagedPictureChange extends PictureChange {
	/**
	 * Waits for the change (the promise of its transaction) and tidies files: a new picture's
	 * when the change did not happen (it returned `ok: false` or threw), the retired pictures'
	 * when it did.
	 */
	settle<R extends { ok: boolean }>(change: Promise<R>): Promise<R>;
}

/**
 * Starts a change that may add, replace or remove a picture: the new picture's files are
 * written first (folder storage). With no store, nothing is written and `save` refuses.
 */
export async function stagePicture(
	store: ImageStore | undefined,
	picture: ProcessedPicture | undefined
): Promise<StagedPictureChange> {
	const staged = store && picture ? await store.stage(picture) : undefined;
	const retired: string[] = [];
	return {
		newId: staged?.id,
		async save(trx) {
			if (!store || !staged) throw new Error('no new picture to save');
			await store.insert(trx, staged);
			return staged.id;
		},
		async retire(trx, id) {
			if (!store || !id) return;
			await store.deleteRows(trx, id);
			retired.push(id);
		},
		async settle(change) {
			let result;
			try {
				result = await change;
			} catch (failure) {
				if (staged) await store!.removeFiles(staged.id);
				throw failure;
			}
			if (!result.ok) {
				if (staged) await store!.removeFiles(staged.id);
			} else {
				for (const id of retired) await store!.removeFiles(id);
			}
			return result;
		}
	};
}

/** `stagePicture` for a change written as one function. */
export async function withPictureChange<R extends { ok: boolean }>(
	store: ImageStore,
	picture: ProcessedPicture | undefined,
	change: (pictures: PictureChange) => Promise<R>
): Promise<R> {
	const pictures = await stagePicture(store, picture);
	return pictures.settle(change(pictures));
}
