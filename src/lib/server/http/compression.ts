import zlib from 'node:zlib';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { loggablePath } from './loggable-path';

/**
 * Compression of CoLab's responses, so people on phones and slow connections download less.
 *
 * - Static files are compressed once at build time (adapter-node's `precompress`); sirv picks
 *   the `.br` or `.gz` file and says so in Content-Encoding, so they pass through here as is.
 * - Cached pages keep Brotli and gzip copies made once when stored (see cache/page-cache.ts),
 *   which pick one with `chooseEncoding`.
 * - Everything else SvelteKit answers (pages for signed-in people, CSV, ICS, JSON) is
 *   compressed on the fly by `compressResponse`, at a fast level, as it streams.
 *
 * BREACH (an attacker who sees the compressed length and can put chosen text next to a secret
 * in the same response): responses to addresses that carry a secret (a private code or an
 * emailed link's token) are never compressed, and any route can opt out with
 * `Cache-Control: no-transform`. docs/architecture.md says why the rest is safe to compress.
 *
 * The server entry (plain JavaScript outside the bundle) reaches `compressResponse` through
 * `globalThis`, as it reaches the page cache.
 */
export type Coding = 'br' | 'gzip' | 'identity';

/** Codings we can send, best first: Brotli is about 15 % smaller than gzip on our pages. */
const OFFERED = ['br', 'gzip'] as const;

/** Accept-Encoding values already worked out: a few distinct strings cover every browser. */
const chosen = new Map<string, Coding>();
const CHOSEN_LIMIT = 256;

/**
 * The coding to send for an Accept-Encoding header (RFC 9110 §12.5.3): the offered coding with
 * the highest q-value above zero, Brotli first on a tie, unless the client ranks identity
 * higher. Without the header, or when it accepts none of ours, the body goes as it is.
 */
export function chooseEncoding(acceptEncoding: string | string[] | undefined): Coding {
	if (acceptEncoding === undefined) return 'identity';
	const header = Array.isArray(acceptEncoding) ? acceptEncoding.join(',') : acceptEncoding;
	let coding = chosen.get(header);
	if (coding === undefined) {
		coding = negotiate(header);
		if (chosen.size >= CHOSEN_LIMIT) chosen.clear();
		chosen.set(header, coding);
	}
	return coding;
}

function negotiate(header: string): Coding {
	const q = new Map<string, number>();
	for (const part of header.split(',')) {
		const [rawName = '', ...params] = part.split(';');
		const name = rawName.trim().toLowerCase();
		if (!name) continue;
		let weight = 1;
		for (const param of params) {
			const [key = '', value] = param.split('=').map((s) => s.trim());
			if (key.toLowerCase() !== 'q') continue;
			weight = Number(value);
			// A q-value we cannot read: treat the coding as not offered rather than guess.
			if (!Number.isFinite(weight) || weight < 0 || weight > 1) weight = 0;
		}
		// "x-gzip" is an old spelling of gzip (RFC 9110 §8.4.1.3).
		const key = name === 'x-gzip' ? 'gzip' : name;
		q.set(key, Math.max(q.get(key) ?? 0, weight));
	}
	const star = q.get('*');
	const weightOf = (name: string) => q.get(name) ?? star ?? 0;
	let best: Coding = 'identity';
	let bestWeight = 0;
	for (const name of OFFERED) {
		const weight = weightOf(name);
		if (weight > bestWeight) {
			best = name;
			bestWeight = weight;
		}
	}
	if (best === 'identity') return 'identity';
	// The body as it is stays acceptable unless refused, but only a client that ranks identity
	// by name above our codings gets it instead.
	const identity = q.get('identity');
	return identity !== undefined && identity > bestWeight ? 'identity' : best;
}

/** Content types worth compressing: text, and the structured text formats we send. */
const COMPRESSIBLE =
	/^(text\/(?!event-stream)|application\/(json|javascript|xml|[\w.-]+\+json|[\w.-]+\+xml)|image\/svg\+xml)/i;

/** Whether a response with this Content-Type is text that compresses well. */
export function isCompressible(contentType: string | number | string[] | undefined): boolean {
	return typeof contentType === 'string' && COMPRESSIBLE.test(contentType);
}

/**
 * Adds `accept-encoding` to a Vary header value (or starts one), without repeating it.
 */
export function varyOnEncoding(vary: string | number | string[] | undefined): string {
	const current = Array.isArray(vary) ? vary.join(', ') : vary === undefined ? '' : String(vary);
	if (!current) return 'Accept-Encoding';
	if (current.trim() === '*' || /(^|,)\s*accept-encoding\s*(,|$)/i.test(current)) return current;
	return `${current}, Accept-Encoding`;
}

/** A strong ETag made weak: the compressed bytes differ, the content does not. */
export function weakEtag(etag: string): string {
	return etag.startsWith('W/') ? etag : `W/${etag}`;
}

export interface DynamicCompressionOptions {
	/** Smallest body compressed, in bytes, when its length is known beforehand. */
	minBytes: number;
	/** Brotli quality (0–11) for responses made per request. */
	brotliQuality: number;
	/** gzip level (1–9) for responses made per request. */
	gzipLevel: number;
}

/**
 * Levels for responses compressed per request. Measured on the /events page (docs/performance.md,
 * 2026-12-02): Brotli 4 and gzip 5 give most of the saving of the highest levels for a small
 * share of their CPU time; higher levels cost several times more for a few per cent.
 */
export const DYNAMIC_COMPRESSION: DynamicCompressionOptions = {
	minBytes: 1024,
	brotliQuality: 4,
	gzipLevel: 5
};

/** Makes the compressing stream for one response. */
export function createCompressor(
	coding: 'br' | 'gzip',
	options: DynamicCompressionOptions = DYNAMIC_COMPRESSION,
	sizeHint?: number
): zlib.BrotliCompress | zlib.Gzip {
	if (coding === 'gzip') return zlib.createGzip({ level: options.gzipLevel });
	const params: Record<number, number> = {
		[zlib.constants.BROTLI_PARAM_QUALITY]: options.brotliQuality,
		[zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT
	};
	if (sizeHint !== undefined) params[zlib.constants.BROTLI_PARAM_SIZE_HINT] = sizeHint;
	return zlib.createBrotliCompress({ params });
}

/**
 * Whether a request target carries a secret: a private code in the path (the same list as the
 * logs hide, http/loggable-path.ts) or an emailed link's `token` in the query. Such pages show
 * the secret again (links, hidden fields) and echo what was typed, so they go uncompressed.
 */
export function carriesSecret(target: string | undefined): boolean {
	if (!target) return false;
	const query = target.indexOf('?');
	const path = query === -1 ? target : target.slice(0, query);
	if (loggablePath(path) !== path) return true;
	return query !== -1 && /[?&]token=/i.test(target.slice(query));
}

/** The headers a writeHead call passes, folded into the response so one place decides. */
function foldHeaders(res: ServerResponse, headers: unknown): void {
	if (!headers || typeof headers !== 'object') return;
	if (Array.isArray(headers)) {
		// Either [[name, value], …] or a flat [name, value, name, value, …] list.
		const pairs: Array<[string, string]> = [];
		if (Array.isArray(headers[0]))
			for (const pair of headers as Array<[string, string]>) pairs.push([pair[0], pair[1]]);
		else
			for (let i = 0; i + 1 < headers.length; i += 2)
				pairs.push([String(headers[i]), String(headers[i + 1])]);
		const grouped = new Map<string, string[]>();
		for (const [name, value] of pairs) {
			const lower = name.toLowerCase();
			const list = grouped.get(lower) ?? [];
			list.push(value);
			grouped.set(lower, list);
		}
		for (const [name, values] of grouped)
			res.setHeader(name, values.length === 1 ? (values[0] ?? '') : values);
		return;
	}
	for (const [name, value] of Object.entries(headers as OutgoingHttpHeaders))
		if (value !== undefined) res.setHeader(name, value);
}

/**
 * How this response should go, decided once its headers are final: 'identity' without Vary
 * when compression does not apply at all (the representation never depends on
 * Accept-Encoding), otherwise the coding chosen for this request.
 */
function decide(
	req: IncomingMessage,
	res: ServerResponse,
	options: DynamicCompressionOptions
): Coding | 'none' {
	const status = res.statusCode;
	if (status < 200 || status === 204 || status === 206 || status === 304) return 'none';
	if (res.hasHeader('content-encoding')) return 'none';
	if (!isCompressible(res.getHeader('content-type'))) return 'none';
	const cacheControl = res.getHeader('cache-control');
	if (typeof cacheControl === 'string' && /\bno-transform\b/i.test(cacheControl)) return 'none';
	const length = res.getHeader('content-length');
	if (length !== undefined && Number(length) < options.minBytes) return 'none';
	if (carriesSecret(req.url)) return 'none';
	return chooseEncoding(req.headers['accept-encoding']);
}

/**
 * Compresses one response on the fly, when it is text over about 1 KB and the client accepts
 * Brotli or gzip. Call it before handing the request on: it wraps `res` so whoever writes the
 * response (SvelteKit, sirv) need not know. The body streams: each burst of writes is flushed
 * through the compressor, so a page SvelteKit streams in parts still arrives in parts.
 * Responses that already have a Content-Encoding (sirv's precompressed files) go as they are.
 */
export function compressResponse(
	req: IncomingMessage,
	res: ServerResponse,
	options: DynamicCompressionOptions = DYNAMIC_COMPRESSION
): void {
	const writeHead = res.writeHead;
	const write = res.write;
	const end = res.end;
	let compressor: zlib.BrotliCompress | zlib.Gzip | undefined;
	let flushQueued = false;
	let ended = false;

	res.writeHead = function (this: ServerResponse, statusCode: number, ...rest: unknown[]) {
		const headers =
			rest.length && typeof rest[rest.length - 1] === 'object' ? rest.pop() : undefined;
		const statusMessage = typeof rest[0] === 'string' ? rest[0] : undefined;
		foldHeaders(res, headers);
		res.statusCode = statusCode;
		const coding = decide(req, res, options);
		if (coding !== 'none') res.setHeader('vary', varyOnEncoding(res.getHeader('vary')));
		if (coding === 'br' || coding === 'gzip') {
			res.removeHeader('content-length');
			res.setHeader('content-encoding', coding);
			const etag = res.getHeader('etag');
			if (typeof etag === 'string') res.setHeader('etag', weakEtag(etag));
			// A HEAD answer says how the GET would come, but has no body to compress.
			if (req.method !== 'HEAD') startCompressor(coding);
		}
		// The headers are all on the response now; pass only the status (and its message).
		const callOriginal = writeHead as (this: ServerResponse, ...args: unknown[]) => ServerResponse;
		return statusMessage === undefined
			? callOriginal.call(this, statusCode)
			: callOriginal.call(this, statusCode, statusMessage);
	} as ServerResponse['writeHead'];

	function startCompressor(coding: 'br' | 'gzip') {
		const length = Number(res.getHeader('content-length'));
		const stream = (compressor = createCompressor(
			coding,
			options,
			Number.isFinite(length) ? length : undefined
		));
		const writeOriginal = write as (this: ServerResponse, chunk: Buffer) => boolean;
		const endOriginal = end as (this: ServerResponse) => ServerResponse;
		stream.on('data', (chunk: Buffer) => {
			if (!writeOriginal.call(res, chunk)) stream.pause();
		});
		// The socket drained: let the compressor pass on what it holds.
		res.on('drain', () => stream.resume());
		// The compressor drained: whoever is writing the response waits for 'drain' on res.
		stream.on('drain', () => res.emit('drain'));
		stream.on('end', () => endOriginal.call(res));
		stream.on('error', (error) => res.destroy(error));
		res.once('close', () => {
			if (!stream.writableFinished) stream.destroy();
		});
	}

	function flushSoon() {
		if (flushQueued) return;
		flushQueued = true;
		// After the writes of this turn: a page written in one go is ended before this runs and
		// costs no flush; a streamed page sends each part as it comes.
		setImmediate(() => {
			flushQueued = false;
			if (!ended && compressor && !compressor.destroyed) compressor.flush();
		});
	}

	res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
		if (!res.headersSent) res.writeHead(res.statusCode);
		if (!compressor) return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
		const callback = typeof rest[rest.length - 1] === 'function' ? rest.pop() : undefined;
		const encoding = typeof rest[0] === 'string' ? (rest[0] as BufferEncoding) : undefined;
		const ok = compressor.write(
			typeof chunk === 'string' ? Buffer.from(chunk, encoding) : (chunk as Buffer),
			callback as ((error?: Error | null) => void) | undefined
		);
		flushSoon();
		return ok;
	} as ServerResponse['write'];

	res.end = function (this: ServerResponse, ...args: unknown[]) {
		const callback = typeof args[args.length - 1] === 'function' ? args.pop() : undefined;
		const [chunk, encoding] = args as [unknown, BufferEncoding | undefined];
		if (!res.headersSent) {
			// The whole body in one call: its length is known, so a small one is left alone.
			if (chunk !== undefined && chunk !== null && !res.hasHeader('content-length')) {
				const size =
					typeof chunk === 'string'
						? Buffer.byteLength(chunk, encoding)
						: (chunk as Uint8Array).byteLength;
				res.setHeader('content-length', size);
			}
			res.writeHead(res.statusCode);
		}
		if (!compressor)
			return (end as (...a: unknown[]) => ServerResponse).call(
				this,
				...args.concat(callback ?? [])
			);
		ended = true;
		if (callback) res.once('finish', callback as () => void);
		if (chunk !== undefined && chunk !== null)
			compressor.end(typeof chunk === 'string' ? Buffer.from(chunk, encoding) : (chunk as Buffer));
		else compressor.end();
		return this;
	} as ServerResponse['end'];
}

const KEY = Symbol.for('colab.compression');

/** What the server entry needs, shared through globalThis like the page cache. */
export interface CompressionEntry {
	compressResponse(req: IncomingMessage, res: ServerResponse): void;
}

// Registered when the app's bundle loads (the page cache imports this module).
(globalThis as { [KEY]?: CompressionEntry })[KEY] = { compressResponse };
