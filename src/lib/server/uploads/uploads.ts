import type { Config } from '../config';
import { describeBytes, formSizeLimit } from '../http/body-guard';
import { ImageStore } from './image-store';
import { processPicture, type ProcessedPicture } from './images';

/** Room in a request for the form's text beside the picture. */
const ROOM_FOR_TEXT = 64 * 1024;

/**
 * The largest picture taken: UPLOAD_MAX_BYTES, unless the server reads less than that in one
 * request (BODY_SIZE_LIMIT), when it is what fits.
 */
export function uploadLimit(config: Pick<Config, 'uploads'>, bodyLimit = formSizeLimit()): number {
	return Math.max(0, Math.min(config.uploads.maxBytes, bodyLimit - ROOM_FOR_TEXT));
}

/** What a file field says under its label: what it takes, and that a refused file is not kept. */
export function pictureFieldHint(limit: number): string {
	return `A JPEG, PNG or WebP picture, up to ${describeBytes(limit)}. We remove the location and camera details from it before we keep it.`;
}

/** The store the settings choose: the uploads folder when UPLOADS_DIR is set, else the database. */
export function imageStoreFor(config: Pick<Config, 'uploads'>): ImageStore {
	return new ImageStore(config.uploads.folder);
}

/** A file field as sent: nothing chosen, a picture ready to store, or why it was refused. */
export type PictureUpload =
	| { kind: 'none' }
	| { kind: 'new'; picture: ProcessedPicture }
	| { kind: 'refused'; message: string };

/** Said after every refusal: browsers never send a file back, so the form comes back without it. */
export const CHOOSE_AGAIN = 'Choose the file again: for your safety, browsers do not keep it.';

/**
 * A file field as a use case receives it, unread: the use case checks who is asking before it
 * spends time opening a picture.
 */
export interface PictureField {
	store: ImageStore;
	entry: FormDataEntryValue | null;
	limit: number;
}

/** The named file field of a form, with the store and limit the settings choose. */
export function pictureField(
	config: Pick<Config, 'uploads'>,
	form: FormData,
	name: string
): PictureField {
	return { store: imageStoreFor(config), entry: form.get(name), limit: uploadLimit(config) };
}

/** Reads and checks the picture sent in one file field of a form. */
export async function readPictureUpload(
	form: FormData,
	field: string,
	limit: number
): Promise<PictureUpload> {
	return readPictureEntry(form.get(field), limit);
}

/** Reads and checks a file field's value. */
export async function readPictureEntry(
	value: FormDataEntryValue | null,
	limit: number,
	options: { allowGif?: boolean } = {}
): Promise<PictureUpload> {
	if (value === null || value === '') return { kind: 'none' };
	if (typeof value === 'string') {
		return { kind: 'refused', message: `Choose a picture file to send. ${CHOOSE_AGAIN}` };
	}
	// A browser sends an empty part with no name when no file was chosen.
	if (value.size === 0 && value.name === '') return { kind: 'none' };
	if (value.size === 0) {
		return { kind: 'refused', message: `This file is empty. ${CHOOSE_AGAIN}` };
	}
	// Too large: refused before reading it all into memory.
	if (value.size > limit) {
		return {
			kind: 'refused',
			message: `This picture is ${describeBytes(value.size)}. The most we take is ${describeBytes(limit)}. Choose a smaller picture.`
		};
	}
	const result = await processPicture(new Uint8Array(await value.arrayBuffer()), {
		maxBytes: limit,
		allowGif: options.allowGif
	});
	if (!result.ok) return { kind: 'refused', message: `${result.message} ${CHOOSE_AGAIN}` };
	return { kind: 'new', picture: result.picture };
}
