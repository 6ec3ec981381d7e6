import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';

/** The part of a file a request asks for (inclusive byte offsets). */
export type RangeAnswer =
	{ kind: 'whole' } | { kind: 'part'; start: number; end: number } | { kind: 'unsatisfiable' };

/**
 * Reads a Range header (RFC 9110) for a file of `size` bytes. One range is served as asked; a
 * header that is not understood, or asks for several ranges, gets the whole file (which the
 * standard allows). A range wholly past the end cannot be served (416).
 */
export function readRange(header: string | null, size: number): RangeAnswer {
	if (!header) return { kind: 'whole' };
	const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
	if (!match) return { kind: 'whole' };
	const [, first, last] = match;
	if (first === '' && last === '') return { kind: 'whole' };
	if (first === '') {
		// The last N bytes.
		const suffix = Number(last);
		if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
		return { kind: 'part', start: Math.max(0, size - suffix), end: size - 1 };
	}
	const start = Number(first);
	const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
	if (!Number.isSafeInteger(start) || start >= size) return { kind: 'unsatisfiable' };
	if (last !== '' && Number(last) < start) return { kind: 'whole' };
	return { kind: 'part', start, end };
}

/**
 * Answers a GET or HEAD for a file whose bytes never change (its name is new for every upload):
 * the whole file or the part asked for, kept by browsers for a year, never sniffed as another
 * type. Undefined when the file is not there.
 */
export async function serveFile(
	request: Request,
	file: string,
	contentType: string,
	etag: string
): Promise<Response | undefined> {
	let size: number;
	try {
		const info = await stat(file);
		if (!info.isFile()) return undefined;
		size = info.size;
	} catch {
		return undefined;
	}
	const headers: Record<string, string> = {
		'content-type': contentType,
		'accept-ranges': 'bytes',
		'cache-control': 'public, max-age=31536000, immutable',
		etag,
		'x-content-type-options': 'nosniff',
		// A video is never a page: nothing in it may run or load anything.
		'content-security-policy': "default-src 'none'; sandbox"
	};
	const ifRange = request.headers.get('if-range');
	const range =
		ifRange && ifRange !== etag
			? { kind: 'whole' as const }
			: readRange(request.headers.get('range'), size);
	if (range.kind === 'unsatisfiable') {
		return new Response(null, {
			status: 416,
			headers: { ...headers, 'content-range': `bytes */${size}`, 'content-length': '0' }
		});
	}
	const start = range.kind === 'part' ? range.start : 0;
	const end = range.kind === 'part' ? range.end : size - 1;
	const length = size === 0 ? 0 : end - start + 1;
	headers['content-length'] = String(length);
	if (range.kind === 'part') headers['content-range'] = `bytes ${start}-${end}/${size}`;
	const status = range.kind === 'part' ? 206 : 200;
	if (request.method === 'HEAD' || length === 0) return new Response(null, { status, headers });
	const body = Readable.toWeb(createReadStream(file, { start, end })) as ReadableStream<Uint8Array>;
	return new Response(body, { status, headers });
}
