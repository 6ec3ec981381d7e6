import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { newId } from '../ids';
import { logger } from '../logger';
import type { VideoContentType } from './videos.tables';

/** A video file's id as newId makes them: anything else is never a file name. */
const FILE_ID = /^[A-Za-z0-9_-]{22}$/;

export function isVideoFileId(value: string): boolean {
	return FILE_ID.test(value);
}

export const VIDEO_EXTENSIONS: Record<VideoContentType, string> = {
	'video/mp4': 'mp4',
	'video/webm': 'webm'
};

export type VideoCheck =
	{ ok: true; contentType: VideoContentType } | { ok: false; message: string };

const NOT_A_VIDEO = 'This file is not an MP4 or WebM video.';
const TRUNCATED =
	'This video file is incomplete: it may not have finished copying or downloading. Choose the whole file.';
const DAMAGED = 'This video file is damaged, so it would not play. Choose another copy.';

/** Most top-level boxes an MP4 has (a few dozen at most, fragmented files a few thousand). */
const MOST_BOXES = 100_000;

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
	const buffer = Buffer.alloc(length);
	const { bytesRead } = await file.read(buffer, 0, length, position);
	return buffer.subarray(0, bytesRead);
}

/**
 * An MP4 (ISO base media file) is a row of boxes, each starting with its size and a four-letter
 * type, `ftyp` first. The sizes must add up to the file's size exactly (a cut-off file's last box
 * runs past its end), and a playable one has its index (`moov`).
 */
async function checkMp4(file: FileHandle, size: number): Promise<VideoCheck> {
	let offset = 0;
	let boxes = 0;
	let hasIndex = false;
	while (offset < size) {
		if (++boxes > MOST_BOXES) return { ok: false, message: DAMAGED };
		const header = await readAt(file, offset, 16);
		if (header.length < 8) return { ok: false, message: TRUNCATED };
		let boxSize = header.readUInt32BE(0);
		const type = header.toString('latin1', 4, 8);
		if (!/^[\x20-\x7e]{4}$/.test(type))
			return { ok: false, message: boxes === 1 ? NOT_A_VIDEO : DAMAGED };
		if (boxes === 1 && type !== 'ftyp') return { ok: false, message: NOT_A_VIDEO };
		if (boxSize === 1) {
			if (header.length < 16) return { ok: false, message: TRUNCATED };
			const large = header.readBigUInt64BE(8);
			if (large > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, message: TRUNCATED };
			boxSize = Number(large);
			if (boxSize < 16) return { ok: false, message: DAMAGED };
		} else if (boxSize === 0) {
			// The last box runs to the end of the file.
			boxSize = size - offset;
		} else if (boxSize < 8) {
			return { ok: false, message: boxes === 1 ? NOT_A_VIDEO : DAMAGED };
		}
		if (type === 'moov') hasIndex = true;
		if (offset + boxSize > size) return { ok: false, message: TRUNCATED };
		offset += boxSize;
	}
	if (!hasIndex) return { ok: false, message: TRUNCATED };
	return { ok: true, contentType: 'video/mp4' };
}

/** An EBML variable-length number: its length in bytes and value (undefined when "unknown"). */
function readVint(
	bytes: Buffer,
	at: number,
	keepMarker = false
): { length: number; value: number | undefined } | undefined {
	const first = bytes[at];
	if (first === undefined || first === 0) return undefined;
	const length = Math.clz32(first) - 23;
	if (at + length > bytes.length) return undefined;
	let value = keepMarker ? first : first & (0xff >> length);
	let allOnes = value === 0xff >> length;
	for (let i = 1; i < length; i++) {
		const byte = bytes[at + i]!;
		if (byte !== 0xff) allOnes = false;
		value = value * 256 + byte;
	}
	return { length, value: !keepMarker && allOnes ? undefined : value };
}

const EBML_MAGIC = 0x1a45dfa3;
const DOC_TYPE = 0x4282;
const SEGMENT = 0x18538067;

/**
 * A WebM file is EBML: a header naming its kind ("webm"), then one Segment holding the video,
 * whose size says where the file ends (a cut-off file is shorter). A recording written live may
 * leave the size "unknown", and then being cut off cannot be told.
 */
async function checkWebm(file: FileHandle, size: number): Promise<VideoCheck> {
	const head = await readAt(file, 0, 4096);
	const idLength = 4;
	const headerSize = readVint(head, idLength);
	if (!headerSize || headerSize.value === undefined) return { ok: false, message: NOT_A_VIDEO };
	const headerStart = idLength + headerSize.length;
	const headerEnd = headerStart + headerSize.value;
	if (headerEnd + 12 > head.length) {
		return { ok: false, message: headerEnd + 12 > size ? TRUNCATED : NOT_A_VIDEO };
	}
	let docType: string | undefined;
	for (let at = headerStart; at < headerEnd;) {
		const id = readVint(head, at, true);
		if (!id || id.value === undefined) return { ok: false, message: NOT_A_VIDEO };
		const length = readVint(head, at + id.length);
		if (!length || length.value === undefined) return { ok: false, message: NOT_A_VIDEO };
		const start = at + id.length + length.length;
		if (start + length.value > headerEnd) return { ok: false, message: NOT_A_VIDEO };
		if (id.value === DOC_TYPE) docType = head.toString('latin1', start, start + length.value);
		at = start + length.value;
	}
	if (docType?.replace(/\0+$/, '') !== 'webm') return { ok: false, message: NOT_A_VIDEO };
	const segmentId = readVint(head, headerEnd, true);
	if (!segmentId || segmentId.value !== SEGMENT) return { ok: false, message: DAMAGED };
	const segmentSize = readVint(head, headerEnd + segmentId.length);
	if (!segmentSize) return { ok: false, message: DAMAGED };
	if (segmentSize.value !== undefined) {
		const end = headerEnd + segmentId.length + segmentSize.length + segmentSize.value;
		if (end > size) return { ok: false, message: TRUNCATED };
	}
	return { ok: true, contentType: 'video/webm' };
}

/**
 * What a file really is, by its content (never its name): an MP4 or a WebM video that is whole,
 * or why it is refused. An HTML page named `.mp4` is not a video.
 */
export async function checkVideoFile(filePath: string): Promise<VideoCheck> {
	const file = await open(filePath, 'r');
	try {
		const { size } = await file.stat();
		const start = await readAt(file, 0, 12);
		if (start.length < 12) return { ok: false, message: NOT_A_VIDEO };
		if (start.toString('latin1', 4, 8) === 'ftyp') return await checkMp4(file, size);
		if (start.readUInt32BE(0) === EBML_MAGIC) return await checkWebm(file, size);
		return { ok: false, message: NOT_A_VIDEO };
	} finally {
		await file.close();
	}
}

/** A video file written to the folder, waiting for its row. */
export interface StagedVideo {
	fileId: string;
	contentType: VideoContentType;
	byteLength: number;
}

/**
 * Where uploaded videos live: files in one folder (`<UPLOADS_DIR>/videos`, or `<DATA_DIR>/videos`),
 * named `<file id>.mp4` or `.webm`. Files are written before the transaction that saves their
 * row and removed after the one that deletes it, so a video is never shown without its bytes.
 * Every instance must see the same folder (shared storage) when there are several.
 */
export class VideoStore {
	constructor(readonly folder: string) {}

	/** The file's path, or undefined for a name that is not a video file's. */
	pathOf(fileId: string, contentType: string): string | undefined {
		const extension = VIDEO_EXTENSIONS[contentType as VideoContentType];
		if (!isVideoFileId(fileId) || !extension) return undefined;
		return path.join(this.folder, `${fileId}.${extension}`);
	}

	/**
	 * Streams an uploaded file to the folder, checks what it is, and keeps it under a new id; or
	 * removes it and says why it was refused.
	 */
	async stage(
		body: ReadableStream<Uint8Array>,
		limit: number
	): Promise<{ ok: true; video: StagedVideo } | { ok: false; message: string }> {
		await mkdir(this.folder, { recursive: true });
		const fileId = newId();
		const temporary = path.join(this.folder, `${fileId}.${process.pid}.tmp`);
		try {
			let written = 0;
			const counted = Readable.fromWeb(body as WebReadableStream<Uint8Array>);
			counted.on('data', (chunk: Uint8Array) => {
				written += chunk.byteLength;
				if (written > limit) counted.destroy(new TooLarge());
			});
			try {
				await pipeline(counted, createWriteStream(temporary, { flags: 'wx' }));
			} catch (failure) {
				if (failure instanceof TooLarge) return { ok: false, message: 'too large' };
				throw failure;
			}
			return await this.adopt(temporary, fileId);
		} finally {
			await rm(temporary, { force: true });
		}
	}

	/**
	 * Checks a file already written in this folder (a streamed upload) and keeps it under a new
	 * id, or says why it is refused. The file is renamed, never copied; a refused one is left for
	 * its writer to remove.
	 */
	async adopt(
		file: string,
		fileId = newId()
	): Promise<{ ok: true; video: StagedVideo } | { ok: false; message: string }> {
		const checked = await checkVideoFile(file);
		if (!checked.ok) return checked;
		const { size } = await stat(file);
		// Renamed once whole and checked, so no instance ever serves half a file.
		await rename(file, this.pathOf(fileId, checked.contentType)!);
		return { ok: true, video: { fileId, contentType: checked.contentType, byteLength: size } };
	}

	/** Removes a video's file; call after its row is gone for good. */
	async remove(
		fileId: string | null | undefined,
		contentType: string | null | undefined
	): Promise<void> {
		if (!fileId || !contentType) return;
		const file = this.pathOf(fileId, contentType);
		if (!file) return;
		try {
			await rm(file, { force: true });
		} catch (failure) {
			// Nothing links to the file any more: it is only wasted space.
			logger.warn({ err: failure, video: fileId }, 'could not remove a video’s file');
		}
	}
}

class TooLarge extends Error {}
