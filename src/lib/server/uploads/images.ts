import sharp from 'sharp';
import { describeBytes } from '../http/body-guard';

/**
 * What CoLab does with an uploaded picture before anything is stored: checks what it is by its
 * bytes (never its name or the type the browser claims), refuses what is too large or would
 * take too much memory to open, turns it the right way up, and makes it again at a few widths
 * as WebP. Making it again keeps only the pixels: location, camera and every other piece of
 * metadata are left behind (sharp keeps none unless asked to).
 */

/** The widths pictures are made in; a smaller picture is kept at its own width. */
export const PICTURE_WIDTHS = [320, 640, 1280] as const;

/**
 * The most pixels a picture may have (about 40 megapixels: larger than any phone's photo). A
 * small file can claim a huge picture (a "decompression bomb"); sharp refuses to open more.
 */
export const MAX_PICTURE_PIXELS = 40_000_000;

/** GIF is taken only where a caller allows it (posts), and kept moving as animated WebP. */
export type PictureKind = 'jpeg' | 'png' | 'webp' | 'gif';

/** The picture at one width, ready to store. */
export interface PictureVariant {
	width: number;
	height: number;
	contentType: 'image/webp';
	data: Uint8Array;
}

/** A picture as it will be stored: its variants, smallest first. */
export interface ProcessedPicture {
	/** What the upload was, by its content. */
	kind: PictureKind;
	width: number;
	height: number;
	variants: PictureVariant[];
}

export type PictureResult =
	{ ok: true; picture: ProcessedPicture } | { ok: false; message: string };

const NOT_A_PICTURE =
	'This file is not a JPEG, PNG or WebP picture. Choose a photo or picture saved as one of those.';
const NOT_A_PICTURE_OR_GIF =
	'This file is not a JPEG, PNG, WebP or GIF picture. Choose a photo or picture saved as one of those.';
const DAMAGED = 'We could not open this picture: it may be damaged. Choose another picture.';

/** What kind of picture the bytes are, from their first bytes ("magic numbers"). */
export function pictureKind(bytes: Uint8Array): PictureKind | undefined {
	const starts = (offset: number, ...expected: number[]) =>
		expected.every((b, i) => bytes[offset + i] === b);
	if (starts(0, 0xff, 0xd8, 0xff)) return 'jpeg';
	if (starts(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
	// RIFF....WEBP
	if (starts(0, 0x52, 0x49, 0x46, 0x46) && starts(8, 0x57, 0x45, 0x42, 0x50)) return 'webp';
	// GIF87a or GIF89a
	if (starts(0, 0x47, 0x49, 0x46, 0x38) && (starts(4, 0x37, 0x61) || starts(4, 0x39, 0x61)))
		return 'gif';
	return undefined;
}

/** The widths to make for a picture this wide: the standard ones below it, and its own (to 1280). */
export function variantWidths(width: number): number[] {
	const largest = PICTURE_WIDTHS.at(-1)!;
	const widths: number[] = PICTURE_WIDTHS.filter((w) => w < width);
	widths.push(Math.min(width, largest));
	return [...new Set(widths)];
}

// A 12-megapixel photo takes about 36 MB to hold decoded, and each libvips thread and cached
// operation adds its own buffers. The server must stay within 250 MB (npm run bench,
// BENCH_ONLY=media), so nothing is cached between pictures, each picture uses few threads, and
// pictures are remade one at a time (others wait their turn, in order).
sharp.cache(false);
sharp.concurrency(1);

let turn: Promise<unknown> = Promise.resolve();

/** Runs `work` once every picture before it is done: one remake in memory at a time. */
function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
	const mine = turn.then(work, work);
	turn = mine.catch(() => undefined);
	return mine;
}

/**
 * Checks and remakes an uploaded picture. Refusals are plain sentences to show beside the file
 * field; nothing a person can send makes this throw. One picture is remade at a time.
 */
export function processPicture(
	bytes: Uint8Array,
	limits: { maxBytes: number; maxPixels?: number; allowGif?: boolean }
): Promise<PictureResult> {
	return oneAtATime(() => remakePicture(bytes, limits));
}

async function remakePicture(
	bytes: Uint8Array,
	limits: { maxBytes: number; maxPixels?: number; allowGif?: boolean }
): Promise<PictureResult> {
	const maxPixels = limits.maxPixels ?? MAX_PICTURE_PIXELS;
	if (bytes.length > limits.maxBytes) {
		return {
			ok: false,
			message: `This picture is ${describeBytes(bytes.length)}. The most we take is ${describeBytes(limits.maxBytes)}. Choose a smaller picture.`
		};
	}
	const kind = pictureKind(bytes);
	if (!kind) return { ok: false, message: limits.allowGif ? NOT_A_PICTURE_OR_GIF : NOT_A_PICTURE };
	if (kind === 'gif' && !limits.allowGif) return { ok: false, message: NOT_A_PICTURE };
	const options = { limitInputPixels: maxPixels, failOn: 'error' as const };
	let metadata: Awaited<ReturnType<ReturnType<typeof sharp>['metadata']>>;
	try {
		// Reads the header only, so a huge picture can be named before anything opens it.
		metadata = await sharp(bytes, { ...options, limitInputPixels: false }).metadata();
	} catch {
		return { ok: false, message: DAMAGED };
	}
	if (metadata.format !== kind) return { ok: false, message: NOT_A_PICTURE };
	const { width, height } = metadata;
	if (!width || !height) return { ok: false, message: DAMAGED };
	// Every frame of a moving GIF is opened: all of them count.
	const frames = kind === 'gif' ? Math.max(1, metadata.pages ?? 1) : 1;
	if (frames > 1 && width * height * frames > maxPixels) {
		return {
			ok: false,
			message: `This moving picture has ${frames} frames of ${width} by ${height} pixels, more than we can open. Choose a shorter or smaller one.`
		};
	}
	if (width * height > maxPixels) {
		return {
			ok: false,
			message: `This picture is ${width} by ${height} pixels, more than we can open. Choose a picture of at most ${Math.floor(maxPixels / 1_000_000)} megapixels.`
		};
	}
	// Orientations 5 to 8 turn the picture a quarter: its width is its height.
	const uprightWidth = (metadata.orientation ?? 1) >= 5 ? height : width;
	try {
		const variants: PictureVariant[] = [];
		for (const target of variantWidths(uprightWidth)) {
			const animated = frames > 1;
			const { data, info } = await (
				animated
					? sharp(bytes, { ...options, animated: true }).resize({
							width: target,
							withoutEnlargement: true
						})
					: sharp(bytes, options).rotate().resize({ width: target, withoutEnlargement: true })
			)
				.webp({ quality: 80 })
				.toBuffer({ resolveWithObject: true });
			variants.push({
				width: info.width,
				// An animated picture's height is one frame's.
				height: animated
					? (info.pageHeight ?? Math.round((height * info.width) / width))
					: info.height,
				contentType: 'image/webp',
				data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
			});
		}
		const largest = variants.at(-1)!;
		return { ok: true, picture: { kind, width: largest.width, height: largest.height, variants } };
	} catch {
		return { ok: false, message: DAMAGED };
	}
}
