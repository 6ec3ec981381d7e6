import { mkdir, open, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { newId } from '../ids';
import {
	bodyTooLarge,
	describeBodyFailure,
	removeControlCharacters,
	unreadableBody,
	type BodyProblem
} from '../http/body-guard';

/**
 * A multipart form read as it arrives, so a large file goes straight to disk and never sits in
 * memory whole (SvelteKit's `request.formData()` holds the entire body). Text fields, and files
 * not named in `toDisk`, are kept in memory up to `memoryLimit` bytes in all; control characters
 * are removed from them as the body guard does for other forms.
 */

/** A file part written to disk as it arrived. */
export interface ReceivedFile {
	kind: 'received';
	path: string;
	name: string;
	type: string;
	/** Every byte sent, even past `diskLimit` (where writing stopped). */
	size: number;
}

export interface StreamedForm {
	fields: FormData;
	files: Map<string, ReceivedFile>;
	/** Removes what was written to disk and not taken away (call in a finally). */
	cleanup(): Promise<void>;
}

/** Thrown for a body that cannot be read as a form, or is too large: the guard's own words. */
export class BodyRefused extends Error {
	constructor(readonly problem: BodyProblem) {
		super(problem.message);
	}
}

const CRLF = Buffer.from('\r\n');
const HEADERS_END = Buffer.from('\r\n\r\n');
const MOST_HEADER_BYTES = 16 * 1024;

interface Part {
	name: string;
	filename: string | undefined;
	type: string;
	chunks: Buffer[];
	file?: { handle: FileHandle; received: ReceivedFile; written: number };
}

function dispositionValue(header: string, key: string): string | undefined {
	const match = new RegExp(`;\\s*${key}="((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(header);
	return match ? match[1]!.replace(/\\(.)/g, '$1') : undefined;
}

/**
 * Reads a multipart/form-data request. `toDisk` names the file fields written to `folder`
 * (writing stops after `diskLimit` bytes; `size` still counts them all).
 */
export async function readMultipartForm(
	request: Request,
	options: {
		toDisk: readonly string[];
		folder: string;
		diskLimit: number;
		memoryLimit: number;
		bodyLimit: number;
	}
): Promise<StreamedForm> {
	const contentType = request.headers.get('content-type') ?? '';
	const boundary = /^multipart\/form-data;.*\bboundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
	if (!boundary || !request.body) throw new BodyRefused(unreadableBody());
	const delimiter = Buffer.from(`\r\n--${boundary[1] ?? boundary[2]}`);
	const fields = new FormData();
	const files = new Map<string, ReceivedFile>();
	const written: string[] = [];
	let inMemory = 0;
	const cleanup = async () => {
		for (const file of written) await rm(file, { force: true });
	};

	// The body starts with the delimiter without its CRLF; add one so every delimiter looks alike.
	let pending: Buffer = Buffer.from(CRLF);
	// Changed inside step(), which TypeScript cannot see from the loop below.
	let state = 'preamble' as 'preamble' | 'headers' | 'body' | 'done';
	let part: Part | undefined;
	const finished = () => state === 'done';

	const keep = async (bytes: Buffer) => {
		if (!part || bytes.length === 0) return;
		if (part.file) {
			part.file.received.size += bytes.length;
			const room = options.diskLimit - part.file.written;
			if (room > 0) {
				const slice = bytes.subarray(0, room);
				await part.file.handle.write(slice);
				part.file.written += slice.length;
			}
			return;
		}
		inMemory += bytes.length;
		if (inMemory > options.memoryLimit) throw new BodyRefused(bodyTooLarge(options.bodyLimit));
		part.chunks.push(Buffer.from(bytes));
	};

	const finish = async () => {
		if (!part) return;
		if (part.file) {
			await part.file.handle.close();
			files.set(part.name, part.file.received);
		} else {
			const data = Buffer.concat(part.chunks);
			const name = removeControlCharacters(part.name);
			if (part.filename === undefined) {
				fields.append(name, removeControlCharacters(data.toString('utf8')));
			} else {
				fields.append(
					name,
					new File([new Uint8Array(data)], removeControlCharacters(part.filename), {
						type: part.type
					})
				);
			}
		}
		part = undefined;
	};

	const startPart = async (head: string) => {
		const lines = head.split('\r\n');
		const disposition = lines.find((l) => /^content-disposition:/i.test(l)) ?? '';
		const name = dispositionValue(disposition, 'name');
		if (name === undefined) throw new BodyRefused(unreadableBody());
		const filename = dispositionValue(disposition, 'filename');
		const type = (lines.find((l) => /^content-type:/i.test(l)) ?? '').replace(
			/^content-type:\s*/i,
			''
		);
		part = { name, filename, type, chunks: [] };
		// An empty file field (nothing chosen) stays in memory: it has no bytes to write.
		if (filename && options.toDisk.includes(name) && !files.has(name)) {
			await mkdir(options.folder, { recursive: true });
			const file = path.join(options.folder, `${newId()}.${process.pid}.upload`);
			written.push(file);
			const handle = await open(file, 'wx');
			part.file = {
				handle,
				written: 0,
				received: {
					kind: 'received',
					path: file,
					name: removeControlCharacters(filename),
					type,
					size: 0
				}
			};
		}
	};

	const step = async (): Promise<boolean> => {
		if (state === 'preamble' || state === 'body') {
			const at = pending.indexOf(delimiter);
			if (at < 0) {
				// Keep what could be the start of a delimiter split across chunks.
				const safe = Math.max(0, pending.length - delimiter.length - 1);
				if (state === 'body') await keep(pending.subarray(0, safe));
				pending = pending.subarray(safe);
				return false;
			}
			if (pending.length < at + delimiter.length + 2) return false;
			if (state === 'body') {
				await keep(pending.subarray(0, at));
				await finish();
			}
			const after = pending
				.subarray(at + delimiter.length, at + delimiter.length + 2)
				.toString('latin1');
			pending = pending.subarray(at + delimiter.length + 2);
			if (after === '--') state = 'done';
			else if (after === '\r\n') state = 'headers';
			else throw new BodyRefused(unreadableBody());
			return true;
		}
		if (state === 'headers') {
			const end = pending.indexOf(HEADERS_END);
			if (end < 0) {
				if (pending.length > MOST_HEADER_BYTES) throw new BodyRefused(unreadableBody());
				return false;
			}
			await startPart(pending.subarray(0, end).toString('utf8'));
			// Back to looking for a delimiter, with the CRLF before it kept as part of the search.
			pending = pending.subarray(end + HEADERS_END.length);
			state = 'body';
			return true;
		}
		return false;
	};

	try {
		const reader = request.body.getReader();
		for (;;) {
			let chunk: ReadableStreamReadResult<Uint8Array>;
			try {
				chunk = await reader.read();
			} catch (failure) {
				throw new BodyRefused(describeBodyFailure(failure, options.bodyLimit));
			}
			if (chunk.done) break;
			if (finished()) continue;
			pending = pending.length ? Buffer.concat([pending, chunk.value]) : Buffer.from(chunk.value);
			while (!finished() && (await step()));
		}
		if (!finished()) throw new BodyRefused(unreadableBody());
	} catch (failure) {
		if (part?.file) await part.file.handle.close().catch(() => undefined);
		await cleanup();
		throw failure;
	}
	return { fields, files, cleanup };
}
