import zlib from 'node:zlib';
import type { Handle, RequestEvent } from '@sveltejs/kit';
import { chooseEncoding, DYNAMIC_COMPRESSION, type Coding } from '../http/compression';
import { brotliOptions, pageCache, type PageCache } from './page-cache';

/**
 * Shared renders of busy pages for signed-in members, with each member's own parts filled in.
 *
 * A signed-in page cannot come from the page cache: it carries the member's unread count, and
 * on a post page their own comments' Edit and Delete. Rendering the whole page for every view
 * costs tens of milliseconds when it holds many comments. So a page that opts in (a
 * `SharedPageRule`) is rendered once as a **stand-in member** who has no notifications and
 * wrote nothing: the same page every plain member sees, except for a few marked **slots**. Each
 * view then takes that render, fills the slots for the real member (their count, their own
 * comments' actions) and sends it. Nothing personal is ever in the shared render, because it
 * was made for nobody.
 *
 * - Only people whose page is exactly the stand-in's plus slots are served this way; the rule
 *   says who (`fits`): a post's author, curators, a member who may not comment, a query such
 *   as `?edit=` or `?reply=` all get SvelteKit's full render, as before.
 * - A render is shared only while nothing changed: it records the page cache's generation
 *   before rendering, as the page cache does, so any write that invalidates pages for visitors
 *   (`changeContent`) drops these too, on every instance. And it lives at most `maxAgeMs`.
 * - Slots are HTML comments that user content cannot contain: Markdown is sanitised (comments
 *   removed) and plain text is escaped, so `<!--` never reaches the page from a person.
 * - Two members whose own parts are alike (the same count, no comments of their own) get the
 *   very same page, so each filled page is kept compressed, by what went into it (`key`): most
 *   views cost a session read, the rule's check, the count, and a copy of bytes.
 * - The page must send no script (`csr = false`): hydration data would carry the stand-in.
 * - The member's session must be settled (no refreshed cookie to send): `locals.sessionSettled`.
 */

/** What the render of a shared page tells its rule (read back when filling slots). */
export type SharedRenderNotes = Record<string, unknown>;

/** The signed-in person, as the session handle puts them in `locals` (cache imports no feature). */
type SessionUser = NonNullable<App.Locals['user']>;

export interface SharedPageRule {
	/** The route (`event.route.id`), e.g. `/blog/[slug]`. */
	routeId: string;
	/** The query strings that may be shared (others, such as `?edit=`, render in full). */
	acceptsQuery(search: URLSearchParams): boolean;
	/**
	 * Whether this member's page is the stand-in's plus slots, given what the render noted.
	 * May read the database (one small indexed query at most: it runs on every view).
	 */
	fits(event: RequestEvent, user: SessionUser, notes: SharedRenderNotes): Promise<boolean>;
	/** This member's own parts of the page. */
	own(user: SessionUser, notes: SharedRenderNotes): OwnParts;
}

/**
 * A member's own parts of a shared page: `fill` puts them in the shared HTML; `key` names them,
 * the same for two members exactly when `fill` gives the same page for both.
 */
export interface OwnParts {
	key: string;
	fill(html: string): string;
}

/** The slots every page has (the header's unread count), filled for every shared page. */
export type LayoutSlots = (user: SessionUser) => Promise<OwnParts>;

/** The member the shared render is made for: no name shown, no notifications, wrote nothing. */
export const STAND_IN_MEMBER: SessionUser = Object.freeze({
	id: '\u0000shared-render',
	name: 'Member',
	email: '',
	emailVerified: true,
	role: 'member'
});

import { slotEnd } from '$lib/slots';

export { slot, slotEnd } from '$lib/slots';

/**
 * Replaces each named slot with its HTML: a stretch (`slot(name)` … `slotEnd(name)`) as a
 * whole, or a lone `slot(name)` marker. Slots without a fill stay as they are. One pass over
 * the page, left to right, for all of them.
 */
export function fillSlots(html: string, fills: Map<string, string>): string {
	if (!fills.size) return html;
	const OPEN = '<!--colab-slot:';
	const parts: string[] = [];
	let from = 0;
	for (let start = html.indexOf(OPEN); start >= 0; start = html.indexOf(OPEN, from)) {
		const nameEnd = html.indexOf('-->', start);
		if (nameEnd < 0) break;
		const name = html.slice(start + OPEN.length, nameEnd);
		const afterOpen = nameEnd + 3;
		const fill = fills.get(name);
		if (fill === undefined) {
			parts.push(html.slice(from, afterOpen));
			from = afterOpen;
			continue;
		}
		const close = slotEnd(name);
		const closeAt = html.indexOf(close, afterOpen);
		const nextOpen = html.indexOf(OPEN, afterOpen);
		const isStretch = closeAt >= 0 && (nextOpen < 0 || closeAt < nextOpen);
		parts.push(html.slice(from, start), fill);
		from = isStretch ? closeAt + close.length : afterOpen;
	}
	parts.push(html.slice(from));
	return parts.join('');
}

/** Headers of a render that are about that one response, not the page (the rest are kept). */
const NOT_KEPT = new Set([
	'set-cookie',
	'content-length',
	'content-encoding',
	'etag',
	'vary',
	'cache-control',
	'date',
	'x-request-id'
]);

interface Template {
	html: string;
	/** The render's own headers (Content-Type, the Content-Security-Policy…), minus NOT_KEPT. */
	headers: [string, string][];
	notes: SharedRenderNotes;
	generation: number;
	storedAt: number;
	/** Filled pages, compressed, by their parts' keys and coding (a few per page). */
	filled: Map<string, Buffer>;
}

/** A response header set on pages served from a shared render (`x-colab-render: shared`). */
export const SHARED_HEADER = 'x-colab-render';

/** Pages whose notes are kept (a few hundred bytes each). */
const NOTES_KEPT = 1000;

/** Filled pages kept per shared render. */
const FILLED_KEPT = 16;

function encode(html: string, coding: Coding): Buffer {
	const body = Buffer.from(html);
	if (coding === 'br') {
		return zlib.brotliCompressSync(
			body,
			brotliOptions(DYNAMIC_COMPRESSION.brotliQuality, body.length)
		);
	}
	if (coding === 'gzip') return zlib.gzipSync(body, { level: DYNAMIC_COMPRESSION.gzipLevel });
	return body;
}

export interface SharedPagesOptions {
	rules: SharedPageRule[];
	layoutSlots: LayoutSlots;
	cache?: () => PageCache;
	/**
	 * Shared renders kept at once, oldest out first (each with up to FILLED_KEPT compressed
	 * filled copies: about 0.5 MB for a post with 50 comments, so 50 of them stay near 25 MB).
	 */
	maxEntries?: number;
	maxAgeMs?: number;
	now?: () => number;
}

export interface SharedPages {
	handle: Handle;
	/** Shared renders kept now (for specs). */
	readonly size: number;
	/** Views served from a shared render, and shared renders made (for specs and the bench). */
	hits: number;
	renders: number;
}

/**
 * The handle, placed after the session handle. Off whenever the page cache is off, so
 * PAGE_CACHE=off measures SvelteKit's rendering alone.
 *
 * The first view of a page after a start (or after its notes are forgotten) is rendered for
 * the member as usual, and the render notes what the rule needs to know (whose post it is, who
 * wrote which comment). From then on, a member the rule says fits gets the shared render.
 */
export function createSharedPages(options: SharedPagesOptions): SharedPages {
	const cache = options.cache ?? pageCache;
	const maxEntries = options.maxEntries ?? 50;
	const maxAgeMs = options.maxAgeMs ?? 60_000;
	const now = options.now ?? Date.now;
	const rules = new Map(options.rules.map((rule) => [rule.routeId, rule]));
	const templates = new Map<string, Template>();
	/** The notes of each page's latest render, shared or not: enough to judge who fits. */
	const known = new Map<string, SharedRenderNotes>();

	function keep<T>(map: Map<string, T>, key: string, value: T, limit = maxEntries): void {
		map.delete(key);
		map.set(key, value);
		if (map.size > limit) map.delete(map.keys().next().value!);
	}

	function current(key: string, generation: number): Template | undefined {
		const template = templates.get(key);
		if (!template) return undefined;
		if (template.generation !== generation || now() - template.storedAt > maxAgeMs) {
			templates.delete(key);
			return undefined;
		}
		return template;
	}

	async function personalised(
		event: RequestEvent,
		template: Template,
		user: SessionUser,
		rule: SharedPageRule
	): Promise<Response> {
		const page = rule.own(user, template.notes);
		const layout = await options.layoutSlots(user);
		const coding = chooseEncoding(event.request.headers.get('accept-encoding') ?? undefined);
		const key = `${coding}\u0000${layout.key}\u0000${page.key}`;
		let body = template.filled.get(key);
		if (!body) {
			body = encode(layout.fill(page.fill(template.html)), coding);
			keep(template.filled, key, body, FILLED_KEPT);
		}
		const headers = new Headers(template.headers);
		headers.set('cache-control', 'private, no-store');
		headers.set('vary', 'Accept-Encoding');
		// Says how the page was made, for operators and the journeys that check it.
		headers.set(SHARED_HEADER, 'shared');
		if (coding !== 'identity') headers.set('content-encoding', coding);
		return new Response(body as Uint8Array<ArrayBuffer>, { status: 200, headers });
	}

	/** Renders for the member as usual, noting what the rule will need next time. */
	async function renderNoting(
		event: RequestEvent,
		resolve: Parameters<Handle>[0]['resolve'],
		key: string
	) {
		event.locals.sharedRender = { standIn: false, notes: {} };
		const response = await resolve(event);
		const render = event.locals.sharedRender;
		event.locals.sharedRender = null;
		if (response.status === 200 && render) keep(known, key, render.notes, NOTES_KEPT);
		return response;
	}

	const shared: SharedPages = {
		hits: 0,
		renders: 0,
		get size() {
			return templates.size;
		},
		handle: async ({ event, resolve }) => {
			const user = event.locals.user;
			const rule = event.route.id ? rules.get(event.route.id) : undefined;
			const pages = cache();
			if (
				!rule ||
				!user ||
				user.role !== 'member' ||
				!event.locals.sessionSettled ||
				!pages.enabled ||
				event.request.method !== 'GET' ||
				event.isSubRequest ||
				event.url.pathname.endsWith('/__data.json') ||
				!rule.acceptsQuery(event.url.searchParams)
			) {
				return resolve(event);
			}
			const key = `${event.request.headers.get('host') ?? ''}|${event.url.pathname}${event.url.search}`;
			const generation = pages.generation;
			const template = current(key, generation);
			if (template) {
				if (!(await rule.fits(event, user, template.notes))) return resolve(event);
				shared.hits++;
				return personalised(event, template, user, rule);
			}
			const notes = known.get(key);
			if (!notes || !(await rule.fits(event, user, notes))) {
				return renderNoting(event, resolve, key);
			}
			// Make the shared render as the stand-in, keep it, and fill it for this member.
			event.locals.user = STAND_IN_MEMBER;
			event.locals.sharedRender = { standIn: true, notes: {} };
			let response: Response;
			try {
				response = await resolve(event);
			} finally {
				event.locals.user = user;
			}
			const render = event.locals.sharedRender;
			event.locals.sharedRender = null;
			const contentType = response.headers.get('content-type') ?? '';
			if (response.status !== 200 || !contentType.startsWith('text/html') || !render) {
				// Not a page to share (gone since, say): forget it and let the member's own render
				// answer, on this same address.
				known.delete(key);
				await response.body?.cancel();
				return new Response(null, {
					status: 307,
					headers: { location: event.url.pathname + event.url.search, 'cache-control': 'no-store' }
				});
			}
			shared.renders++;
			const made: Template = {
				html: await response.text(),
				headers: [...response.headers].filter(([name]) => !NOT_KEPT.has(name.toLowerCase())),
				notes: render.notes,
				generation,
				storedAt: now(),
				filled: new Map()
			};
			if (generation === pages.generation) keep(templates, key, made);
			keep(known, key, render.notes, NOTES_KEPT);
			if (!(await rule.fits(event, user, made.notes))) {
				return new Response(null, {
					status: 307,
					headers: { location: event.url.pathname + event.url.search, 'cache-control': 'no-store' }
				});
			}
			return personalised(event, made, user, rule);
		}
	};
	return shared;
}
