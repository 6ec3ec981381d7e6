import type { IncomingMessage, ServerResponse } from 'node:http';
import zlib from 'node:zlib';
import {
	chooseEncoding,
	DYNAMIC_COMPRESSION,
	isCompressible,
	varyOnEncoding,
	weakEtag
} from '../http/compression';

/**
 * The anonymous page cache. Most readers are not signed in, so a page rendered for one visitor
 * is kept (as bytes) and served to the next without running SvelteKit at all.
 *
 * - Only GET/HEAD requests without a session cookie (and without an Authorization header) are
 *   answered from it (`serve`, called by the server entry in front of SvelteKit).
 * - Only responses that are safe to share are stored (`store`, called from the handle hook):
 *   status 200, no Set-Cookie, no Vary, not marked private/no-store/no-cache.
 * - Any write that could change a page calls `invalidate()` after its transaction commits;
 *   other instances hear of it through the database (see content-version.ts). A render that
 *   started before an invalidation is never stored, so a stale page cannot slip back in.
 * - Pages also expire after `maxAgeMs`, for anything that changes with time alone.
 * - A stored page of text over `compressMinBytes` gets a Brotli and a gzip copy, made once
 *   when it is stored: at once at the fast levels used for every response (about a millisecond),
 *   then again in the background at the highest levels, which replace them (the work is shared
 *   by every reader until the page changes). Each reader gets the copy their Accept-Encoding
 *   asks for, with `Vary: Accept-Encoding`.
 *
 * Keys are the request target exactly as the client sent it (`/path?query`). The handle stores
 * under the path and query of the request SvelteKit received, which is the same string for
 * every normal request; an unusual spelling of a URL simply misses.
 */
export interface CachedPage {
	status: number;
	headers: Array<[string, string]>;
	body: Buffer;
}

export interface PageCacheOptions {
	/** Most pages kept; the least recently used go first. */
	maxEntries?: number;
	/** Largest page kept, in bytes. */
	maxBytes?: number;
	/** Most bytes kept across all pages; the least recently used go first. */
	maxTotalBytes?: number;
	/** How long a page may be served before it is rendered again, in ms. */
	maxAgeMs?: number;
	/** Cookie names that mark a signed-in reader (prefix match, case-sensitive like cookies). */
	sessionCookiePrefixes?: string[];
	/** The clock, for specs. */
	now?: () => number;
	/** Smallest page given compressed copies, in bytes. */
	compressMinBytes?: number;
}

/** One way of sending a page: as it is, or one of its compressed copies. */
interface Variant {
	/** Status and headers ready for `writeHead`: a flat [name, value, …] list. */
	head: string[];
	body: Buffer;
	/** Headers for a 304 answer to a matching If-None-Match. */
	notModifiedHead: string[] | undefined;
}

interface Entry {
	page: CachedPage;
	identity: Variant;
	/** The compressed copies, made together. */
	br?: Variant;
	gzip?: Variant;
	etag: string | undefined;
	/** Body bytes of this entry, copies included. */
	bytes: number;
	expiresAt: number;
}

/** Response headers that mean "this response is not for everyone". */
const PRIVATE_CACHE_CONTROL = /\b(private|no-store|no-cache)\b/i;

/** Headers node sets itself, or that would be wrong on a copy. */
const DROPPED_HEADERS = new Set(['x-request-id', 'content-length', 'date', 'connection']);

/** Headers a 304 keeps (RFC 9110 §15.4.5). */
const NOT_MODIFIED_HEADERS = new Set(['cache-control', 'content-location', 'expires', 'etag']);

export class PageCache {
	#entries = new Map<string, Entry>();
	/** The most recently used key, so a run of hits on one page skips the LRU shuffle. */
	#newest: string | undefined;
	#bytes = 0;
	#generation = 0;
	#enabled = true;
	readonly #now: () => number;
	readonly maxEntries: number;
	readonly maxBytes: number;
	readonly maxTotalBytes: number;
	readonly maxAgeMs: number;
	readonly sessionCookiePrefixes: string[];
	readonly compressMinBytes: number;
	/** Compressions under way, so specs and shutdown can wait for them. */
	#compressing = new Set<Promise<void>>();
	hits = 0;
	misses = 0;

	constructor(options: PageCacheOptions = {}) {
		this.maxEntries = options.maxEntries ?? 1000;
		this.maxBytes = options.maxBytes ?? 512 * 1024;
		this.maxTotalBytes = options.maxTotalBytes ?? 32 * 1024 * 1024;
		this.maxAgeMs = options.maxAgeMs ?? 60_000;
		this.sessionCookiePrefixes = options.sessionCookiePrefixes ?? [
			'colab.',
			'__Secure-colab.',
			'__Host-colab.'
		];
		this.#now = options.now ?? Date.now;
		this.compressMinBytes = options.compressMinBytes ?? 1024;
	}

	/** Resolves once every compressed copy under way is made (or given up). */
	async settled(): Promise<void> {
		while (this.#compressing.size) await Promise.all(this.#compressing);
	}

	/** How many pages are kept. */
	get size(): number {
		return this.#entries.size;
	}

	/** How many body bytes are kept. */
	get bytes(): number {
		return this.#bytes;
	}

	get enabled(): boolean {
		return this.#enabled;
	}

	/** The current generation; a render records it at the start and passes it to `store`. */
	get generation(): number {
		return this.#generation;
	}

	setEnabled(enabled: boolean): void {
		this.#enabled = enabled;
		if (!enabled) this.invalidate();
	}

	#keyByHost = false;

	/**
	 * Without a fixed ORIGIN, SvelteKit builds each page's origin from the request's Host
	 * header, so a page rendered for one Host must never be served to another: the Host becomes
	 * part of the key (a forged Host only ever poisons the forger's own entries).
	 */
	setKeyByHost(keyByHost: boolean): void {
		this.#keyByHost = keyByHost;
		this.invalidate();
	}

	/** The cache key for a request's Host header and its path with query string. */
	keyFor(host: string | null | undefined, pathAndQuery: string): string {
		return this.#keyByHost ? `${(host ?? '').toLowerCase()} ${pathAndQuery}` : pathAndQuery;
	}

	/** True when a Cookie header carries a session cookie, so the request must be rendered fresh. */
	hasSession(cookieHeader: string | null | undefined): boolean {
		if (!cookieHeader) return false;
		// Fast path: most cookie headers hold none of our prefixes anywhere.
		let mentioned = false;
		for (const prefix of this.sessionCookiePrefixes) {
			if (cookieHeader.includes(prefix)) {
				mentioned = true;
				break;
			}
		}
		if (!mentioned) return false;
		for (const part of cookieHeader.split(';')) {
			const equals = part.indexOf('=');
			const name = (equals === -1 ? part : part.slice(0, equals)).trim();
			for (const prefix of this.sessionCookiePrefixes) {
				if (name.startsWith(prefix)) return true;
			}
		}
		return false;
	}

	/** Whether a request may be answered from, or stored in, the cache. */
	isCacheableRequest(
		method: string,
		cookieHeader: string | null | undefined,
		authorization?: string | null
	): boolean {
		return (
			this.#enabled &&
			(method === 'GET' || method === 'HEAD') &&
			!authorization &&
			!this.hasSession(cookieHeader)
		);
	}

	/**
	 * Why a rendered response may not be shared, or undefined when it may. Used by `store` and
	 * by the handle (to avoid buffering a body that would be refused anyway).
	 */
	refusal(status: number, headers: Iterable<[string, string]>): string | undefined {
		if (status !== 200) return `status ${status}`;
		for (const [name, value] of headers) {
			const lower = name.toLowerCase();
			if (lower === 'set-cookie') return 'sets a cookie';
			if (lower === 'vary') return `varies by ${value}`;
			if (lower === 'cache-control' && PRIVATE_CACHE_CONTROL.test(value))
				return `cache-control: ${value}`;
			if (lower === 'content-length' && Number(value) > this.maxBytes) return 'too large';
		}
		return undefined;
	}

	/** The stored page for `key`, if there is one and it has not expired. */
	get(key: string): CachedPage | undefined {
		return this.#lookup(key)?.page;
	}

	#lookup(key: string): Entry | undefined {
		const entry = this.#entries.get(key);
		if (!entry) return undefined;
		if (entry.expiresAt <= this.#now()) {
			this.#delete(key, entry);
			return undefined;
		}
		if (key !== this.#newest) {
			// Map keeps insertion order: re-inserting marks this page as most recently used.
			this.#entries.delete(key);
			this.#entries.set(key, entry);
			this.#newest = key;
		}
		return entry;
	}

	#delete(key: string, entry: Entry): void {
		if (key === this.#newest) this.#newest = undefined;
		this.#entries.delete(key);
		this.#bytes -= entry.bytes;
	}

	/**
	 * Keeps a rendered page if it is safe to share and nothing changed since `generation` was
	 * read. Returns whether it was stored.
	 */
	store(key: string, generation: number, page: CachedPage): boolean {
		if (!this.#enabled || generation !== this.#generation) return false;
		if (page.body.length > this.maxBytes || page.body.length > this.maxTotalBytes) return false;
		if (this.refusal(page.status, page.headers) !== undefined) return false;

		let etag: string | undefined;
		let contentType: string | undefined;
		for (const [name, value] of page.headers) {
			const lower = name.toLowerCase();
			if (lower === 'etag') etag = value;
			if (lower === 'content-type') contentType = value;
		}
		const compress = page.body.length >= this.compressMinBytes && isCompressible(contentType);

		const previous = this.#entries.get(key);
		if (previous) this.#delete(key, previous);
		const entry: Entry = {
			page,
			identity: variant(page, page.body, undefined, compress),
			etag,
			bytes: page.body.length,
			expiresAt: this.#now() + this.maxAgeMs
		};
		if (compress) {
			// Made now, so no reader of a stored page ever gets it uncompressed; the smaller copies
			// made in the background replace these.
			const fast = DYNAMIC_COMPRESSION;
			entry.br = variant(
				page,
				zlib.brotliCompressSync(page.body, brotliOptions(fast.brotliQuality, page.body.length)),
				'br',
				true
			);
			entry.gzip = variant(page, zlib.gzipSync(page.body, { level: fast.gzipLevel }), 'gzip', true);
			entry.bytes += entry.br.body.length + entry.gzip.body.length;
		}
		this.#entries.set(key, entry);
		this.#newest = key;
		this.#bytes += entry.bytes;
		this.#evict();
		if (compress) this.#compress(key, entry);
		return true;
	}

	#evict(): void {
		for (const [oldest, entry] of this.#entries) {
			if (this.#entries.size <= this.maxEntries && this.#bytes <= this.maxTotalBytes) break;
			this.#delete(oldest, entry);
		}
	}

	/**
	 * Makes the page's Brotli and gzip copies off the main thread (zlib's thread pool) and adds
	 * them to the entry if it is still the one stored under `key` by then.
	 */
	#compress(key: string, entry: Entry): void {
		const body = entry.page.body;
		const done = Promise.all([brotli(body), gzip(body)]).then(
			([br, gz]) => {
				if (this.#entries.get(key) !== entry) return;
				const before = (entry.br?.body.length ?? 0) + (entry.gzip?.body.length ?? 0);
				// Keep whichever copy is smaller (the fast one can win on a tiny page).
				if (!entry.br || br.length < entry.br.body.length)
					entry.br = variant(entry.page, br, 'br', true);
				if (!entry.gzip || gz.length < entry.gzip.body.length)
					entry.gzip = variant(entry.page, gz, 'gzip', true);
				const change = entry.br.body.length + entry.gzip.body.length - before;
				entry.bytes += change;
				this.#bytes += change;
				this.#evict();
			},
			// A copy that cannot be made leaves the page served as it is.
			() => undefined
		);
		this.#compressing.add(done);
		void done.finally(() => this.#compressing.delete(done));
	}

	/** Drops every page and refuses renders already under way. */
	invalidate(): void {
		this.#generation++;
		this.#entries.clear();
		this.#newest = undefined;
		this.#bytes = 0;
	}

	/**
	 * Answers a node request from the cache when it can. Returns false to let SvelteKit handle it.
	 * This is the hot path for most readers: no parsing, no per-request header objects.
	 */
	serve(req: IncomingMessage, res: ServerResponse): boolean {
		if (!this.#enabled) return false;
		const method = req.method;
		if (method !== 'GET' && method !== 'HEAD') return false;
		const headers = req.headers;
		if (headers.authorization !== undefined || this.hasSession(headers.cookie)) return false;
		const entry = this.#lookup(this.keyFor(headers.host, req.url ?? '/'));
		if (!entry) {
			this.misses++;
			return false;
		}
		this.hits++;
		let chosen = entry.identity;
		if (entry.br && entry.gzip) {
			const coding = chooseEncoding(headers['accept-encoding']);
			if (coding === 'br') chosen = entry.br;
			else if (coding === 'gzip') chosen = entry.gzip;
		}
		const ifNoneMatch = headers['if-none-match'];
		if (chosen.notModifiedHead && ifNoneMatch !== undefined && matches(ifNoneMatch, entry.etag)) {
			res.writeHead(304, chosen.notModifiedHead);
			res.end();
			return true;
		}
		res.writeHead(entry.page.status, chosen.head);
		if (method === 'HEAD') res.end();
		else res.end(chosen.body);
		return true;
	}
}

/** Brotli options for a text body of `size` bytes (also used by cache/shared-pages.ts). */
export function brotliOptions(quality: number, size: number): zlib.BrotliOptions {
	return {
		params: {
			[zlib.constants.BROTLI_PARAM_QUALITY]: quality,
			[zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
			[zlib.constants.BROTLI_PARAM_SIZE_HINT]: size
		}
	};
}

function brotli(body: Buffer): Promise<Buffer> {
	return new Promise((resolve, reject) =>
		zlib.brotliCompress(
			body,
			brotliOptions(zlib.constants.BROTLI_MAX_QUALITY, body.length),
			(error, result) => (error ? reject(error) : resolve(result))
		)
	);
}

function gzip(body: Buffer): Promise<Buffer> {
	return new Promise((resolve, reject) =>
		zlib.gzip(body, { level: zlib.constants.Z_BEST_COMPRESSION }, (error, result) =>
			error ? reject(error) : resolve(result)
		)
	);
}

/**
 * The head (and 304 head) for sending `page` with `body` in `coding`. Pages that have
 * compressed copies say `Vary: Accept-Encoding` whichever copy a reader gets, so a shared cache
 * downstream keeps them apart; the copies' ETags are weak, as their bytes differ.
 */
function variant(
	page: CachedPage,
	body: Buffer,
	coding: 'br' | 'gzip' | undefined,
	varies: boolean
): Variant {
	const head: string[] = [];
	const notModifiedHead: string[] = [];
	let etag: string | undefined;
	let vary: string | undefined;
	for (const [name, original] of page.headers) {
		const lower = name.toLowerCase();
		if (DROPPED_HEADERS.has(lower)) continue;
		let value = original;
		if (lower === 'etag') value = etag = coding ? weakEtag(original) : original;
		if (lower === 'vary') {
			// Never stored (see refusal), but kept right should that change.
			vary = original;
			continue;
		}
		head.push(lower, value);
		if (NOT_MODIFIED_HEADERS.has(lower)) notModifiedHead.push(lower, value);
	}
	if (varies) {
		const value = varyOnEncoding(vary);
		head.push('vary', value);
		notModifiedHead.push('vary', value);
	} else if (vary !== undefined) head.push('vary', vary);
	if (coding) head.push('content-encoding', coding);
	head.push('x-colab-cache', 'hit', 'content-length', String(body.length));
	notModifiedHead.push('x-colab-cache', 'hit');
	return { head, body, notModifiedHead: etag ? notModifiedHead : undefined };
}

/** Whether an If-None-Match header names `etag` (weak comparison, as SvelteKit does). */
function matches(ifNoneMatch: string, etag: string | undefined): boolean {
	if (!etag) return false;
	if (ifNoneMatch.trim() === '*') return true;
	const bare = etag.startsWith('W/') ? etag.slice(2) : etag;
	for (const candidate of ifNoneMatch.split(',')) {
		const tag = candidate.trim();
		if ((tag.startsWith('W/') ? tag.slice(2) : tag) === bare) return true;
	}
	return false;
}

const KEY = Symbol.for('colab.pageCache');
type Holder = { [KEY]?: PageCache };

/**
 * The process's one page cache, shared through globalThis because the server entry (plain
 * JavaScript in front of SvelteKit) and the bundled app are separate module graphs.
 */
export function pageCache(): PageCache {
	const holder = globalThis as Holder;
	return (holder[KEY] ??= new PageCache());
}
