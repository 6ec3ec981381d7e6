import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The anonymous page cache. Most readers are not signed in, so a page rendered for one visitor
 * is kept (as bytes) and served to the next without running SvelteKit at all.
 *
 * - Only GET/HEAD requests without a session cookie are answered from it (`serve`, called by
 *   the server entry in front of SvelteKit).
 * - Only responses that are safe to share are stored (`store`, called from the handle hook):
 *   status 200, no Set-Cookie, not marked private/no-store.
 * - Any write that could change a page calls `invalidate()` after its transaction commits;
 *   other instances hear of it through the database (see content-version.ts). A render that
 *   started before an invalidation is never stored, so a stale page cannot slip back in.
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
	/** Cookie names that mark a signed-in reader (prefix match). */
	sessionCookiePrefixes?: string[];
}

export class PageCache {
	#entries = new Map<string, CachedPage>();
	#generation = 0;
	#enabled = true;
	readonly maxEntries: number;
	readonly maxBytes: number;
	readonly sessionCookiePrefixes: string[];
	hits = 0;
	misses = 0;

	constructor(options: PageCacheOptions = {}) {
		this.maxEntries = options.maxEntries ?? 1000;
		this.maxBytes = options.maxBytes ?? 512 * 1024;
		this.sessionCookiePrefixes = options.sessionCookiePrefixes ?? ['colab.', '__Secure-colab.'];
	}

	get size(): number {
		return this.#entries.size;
	}

	/** The current generation; a render records it at the start and passes it to `store`. */
	get generation(): number {
		return this.#generation;
	}

	setEnabled(enabled: boolean): void {
		this.#enabled = enabled;
		if (!enabled) this.invalidate();
	}

	/** True when this request carries a session cookie, so it must be rendered fresh. */
	hasSession(cookieHeader: string | null | undefined): boolean {
		if (!cookieHeader) return false;
		for (const part of cookieHeader.split(';')) {
			const name = part.trim().split('=', 1)[0] ?? '';
			if (this.sessionCookiePrefixes.some((prefix) => name.startsWith(prefix))) return true;
		}
		return false;
	}

	/** Whether a request may be answered from, or stored in, the cache. */
	isCacheableRequest(method: string, cookieHeader: string | null | undefined): boolean {
		return (
			this.#enabled && (method === 'GET' || method === 'HEAD') && !this.hasSession(cookieHeader)
		);
	}

	get(key: string): CachedPage | undefined {
		const page = this.#entries.get(key);
		if (page) {
			// Map keeps insertion order: re-inserting marks this page as most recently used.
			this.#entries.delete(key);
			this.#entries.set(key, page);
		}
		return page;
	}

	/**
	 * Keeps a rendered page if it is safe to share and nothing changed since `generation` was
	 * read. Returns whether it was stored.
	 */
	store(key: string, generation: number, page: CachedPage): boolean {
		if (!this.#enabled || generation !== this.#generation) return false;
		if (page.status !== 200 || page.body.length > this.maxBytes) return false;
		for (const [name, value] of page.headers) {
			const lower = name.toLowerCase();
			if (lower === 'set-cookie') return false;
			if (lower === 'cache-control' && /private|no-store/i.test(value)) return false;
		}
		this.#entries.delete(key);
		this.#entries.set(key, page);
		while (this.#entries.size > this.maxEntries) {
			const oldest = this.#entries.keys().next().value;
			if (oldest === undefined) break;
			this.#entries.delete(oldest);
		}
		return true;
	}

	/** Drops every page and refuses renders already under way. */
	invalidate(): void {
		this.#generation++;
		this.#entries.clear();
	}

	/**
	 * Answers a node request from the cache when it can. Returns false to let SvelteKit handle it.
	 * Kept free of allocations beyond the lookup: this is the hot path for most readers.
	 */
	serve(req: IncomingMessage, res: ServerResponse): boolean {
		const method = req.method ?? 'GET';
		if (!this.isCacheableRequest(method, req.headers.cookie)) return false;
		const page = this.get(req.url ?? '/');
		if (!page) {
			this.misses++;
			return false;
		}
		this.hits++;
		res.statusCode = page.status;
		for (const [name, value] of page.headers) res.setHeader(name, value);
		res.setHeader('x-colab-cache', 'hit');
		res.setHeader('content-length', page.body.length);
		if (method === 'HEAD') res.end();
		else res.end(page.body);
		return true;
	}
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
