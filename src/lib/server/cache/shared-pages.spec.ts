import zlib from 'node:zlib';
import type { RequestEvent } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import type { SessionUser } from '../auth/auth.types';
import { PageCache } from './page-cache';
import {
	createSharedPages,
	fillSlots,
	slot,
	slotEnd,
	STAND_IN_MEMBER,
	type SharedPageRule,
	type SharedRenderNotes
} from './shared-pages';

const ORIGIN = 'http://colab.test';

const ama: SessionUser = {
	id: 'ama',
	name: 'Ama',
	email: 'ama@example.org',
	emailVerified: true,
	role: 'member'
};
const ben: SessionUser = { ...ama, id: 'ben', name: 'Ben', email: 'ben@example.org' };
const cara: SessionUser = { ...ama, id: 'cara', name: 'Cara', role: 'curator' };

/**
 * A page like the post page: a header slot, one comment by Ama whose actions are a slot, and
 * the name of whoever it was rendered for (which must never be a real member's in a shared
 * render). Ben wrote the post, so it is not shared with him.
 */
function pageFor(user: SessionUser, standIn: boolean): string {
	const count = standIn ? slot('count') : `[${user.id} count]`;
	const actions = standIn
		? `${slot('actions-c1')}Reply Report${slotEnd('actions-c1')}`
		: user.id === 'ama'
			? 'Reply Delete'
			: 'Reply Report';
	return `<header>${count}</header><p>for ${user.name}</p><li>${actions}</li>`;
}

const rule: SharedPageRule = {
	routeId: '/blog/[slug]',
	acceptsQuery: (search) => [...search.keys()].every((key) => key === 'page'),
	fits: async (_event, user, notes) => notes.postAuthor !== user.id,
	own: (user, notes) =>
		(notes.commentAuthor as string) === user.id
			? { key: 'c1', fill: (html) => fillSlots(html, new Map([['actions-c1', 'Reply Delete']])) }
			: { key: '', fill: (html) => html }
};

function setUp(options: { cache?: PageCache; now?: () => number } = {}) {
	const cache = options.cache ?? new PageCache();
	const renders: { as: string; standIn: boolean | undefined }[] = [];
	const shared = createSharedPages({
		rules: [rule],
		layoutSlots: async (user) => ({
			key: user.id,
			fill: (html) => fillSlots(html, new Map([['count', `[${user.id} count]`]]))
		}),
		cache: () => cache,
		now: options.now
	});
	async function view(
		user: SessionUser | null,
		options: { path?: string; settled?: boolean; status?: number; encoding?: string } = {}
	): Promise<Response> {
		const path = options.path ?? '/blog/a-post';
		const headers: Record<string, string> = { host: 'colab.test' };
		if (options.encoding) headers['accept-encoding'] = options.encoding;
		const event = {
			request: new Request(`${ORIGIN}${path}`, { headers }),
			url: new URL(`${ORIGIN}${path}`),
			route: { id: path.startsWith('/blog/') ? '/blog/[slug]' : '/about' },
			isSubRequest: false,
			locals: { user, sessionId: user ? 's' : null, sessionSettled: options.settled ?? true }
		} as unknown as RequestEvent;
		return shared.handle({
			event,
			resolve: async (e) => {
				const as = e.locals.user!;
				const render = e.locals.sharedRender;
				renders.push({ as: as?.id ?? 'visitor', standIn: render?.standIn });
				if (render) {
					const notes: SharedRenderNotes = render.notes;
					notes.postAuthor = 'ben';
					notes.commentAuthor = 'ama';
				}
				return new Response(as ? pageFor(as, render?.standIn === true) : '<p>visitor</p>', {
					status: options.status ?? 200,
					headers: {
						'content-type': 'text/html; charset=utf-8',
						'content-security-policy': "default-src 'self'",
						'set-cookie': 'colab.session_token=refreshed'
					}
				});
			}
		});
	}
	return { cache, shared, renders, view };
}

describe('fillSlots', () => {
	it('replaces lone markers and marked stretches, and leaves slots it has no fill for', () => {
		const html = `a${slot('one')}b${slot('two')}old${slotEnd('two')}c${slot('three')}d`;
		const filled = fillSlots(
			html,
			new Map([
				['one', '1'],
				['two', '2']
			])
		);
		expect(filled).toBe(`a1b2c${slot('three')}d`);
	});

	it('leaves a page without slots as it is', () => {
		expect(fillSlots('<p>plain</p>', new Map([['x', 'y']]))).toBe('<p>plain</p>');
	});
});

describe('shared renders for members', () => {
	it('renders the first view for the member, then shares one render made for the stand-in', async () => {
		const { shared, renders, view } = setUp();
		// First view: the member's own render, which notes whose post and comments they are.
		expect(await (await view(ama)).text()).toBe(pageFor(ama, false));
		// Second: one render for the stand-in, filled in for Ama: her count and her Delete.
		const second = await view(ama);
		expect(await second.text()).toBe(
			'<header>[ama count]</header><p>for Member</p><li>Reply Delete</li>'
		);
		expect(second.headers.get('cache-control')).toBe('private, no-store');
		expect(second.headers.get('x-colab-render')).toBe('shared');
		// Another member: the same render, his own count, and Report on Ama's comment.
		const other = { ...ama, id: 'dan', name: 'Dan' };
		expect(await (await view(other)).text()).toBe(
			`<header>[dan count]</header><p>for Member</p><li>${slot('actions-c1')}Reply Report${slotEnd('actions-c1')}</li>`
		);
		expect(renders).toEqual([
			{ as: 'ama', standIn: false },
			{ as: STAND_IN_MEMBER.id, standIn: true }
		]);
		expect(shared.renders).toBe(1);
		expect(shared.hits).toBe(1);
	});

	it('renders in full for the post’s author, curators, visitors and unsettled sessions', async () => {
		const { renders, view } = setUp();
		await view(ama);
		await view(ama);
		renders.length = 0;
		expect(await (await view(ben)).text()).toBe(pageFor(ben, false));
		expect(await (await view(cara)).text()).toBe(pageFor(cara, false));
		expect(await (await view(null)).text()).toBe('<p>visitor</p>');
		expect(await (await view(ama, { settled: false })).text()).toBe(pageFor(ama, false));
		expect(renders.map((r) => r.as)).toEqual(['ben', 'cara', 'visitor', 'ama']);
	});

	it('renders in full for queries the rule does not share, and for other routes', async () => {
		const { renders, view } = setUp();
		await view(ama, { path: '/blog/a-post?edit=c1' });
		await view(ama, { path: '/blog/a-post?edit=c1' });
		await view(ama, { path: '/about' });
		await view(ama, { path: '/about' });
		expect(renders.every((r) => r.as === 'ama' && r.standIn !== true)).toBe(true);
		// ?page=2 is shared, under its own key.
		await view(ama, { path: '/blog/a-post?page=2' });
		await view(ama, { path: '/blog/a-post?page=2' });
		expect(renders.at(-1)).toEqual({ as: STAND_IN_MEMBER.id, standIn: true });
	});

	it('drops a shared render when content changes, and after its time', async () => {
		let clock = 0;
		const { cache, shared, view } = setUp({ now: () => clock });
		await view(ama);
		await view(ama);
		await view(ama);
		expect(shared.renders).toBe(1);
		cache.invalidate();
		await view(ama);
		expect(shared.renders).toBe(2);
		clock += 61_000;
		await view(ama);
		expect(shared.renders).toBe(3);
	});

	it('is off while the page cache is off', async () => {
		const cache = new PageCache();
		cache.setEnabled(false);
		const { renders, view } = setUp({ cache });
		await view(ama);
		await view(ama);
		expect(renders.map((r) => r.standIn)).toEqual([undefined, undefined]);
	});

	it('never shares a render that is not a page (a 404 for the stand-in sends the member back)', async () => {
		const { shared, renders, view } = setUp();
		await view(ama);
		const response = await view(ama, { status: 404 });
		expect(response.status).toBe(307);
		expect(response.headers.get('location')).toBe('/blog/a-post');
		expect(shared.size).toBe(0);
		// Forgotten: the next view is the member's own render.
		await view(ama);
		expect(renders.at(-1)).toEqual({ as: 'ama', standIn: false });
	});

	it('keeps the render’s page headers, never its cookies, and sends each member’s copy compressed', async () => {
		const { view } = setUp();
		await view(ama);
		const response = await view(ama, { encoding: 'gzip, deflate, br' });
		expect(response.headers.get('content-security-policy')).toBe("default-src 'self'");
		expect(response.headers.get('set-cookie')).toBeNull();
		expect(response.headers.get('content-encoding')).toBe('br');
		expect(response.headers.get('vary')).toBe('Accept-Encoding');
		const body = Buffer.from(await response.arrayBuffer());
		expect(zlib.brotliDecompressSync(body).toString()).toBe(
			'<header>[ama count]</header><p>for Member</p><li>Reply Delete</li>'
		);
		const gzip = await view(ama, { encoding: 'gzip' });
		expect(zlib.gunzipSync(Buffer.from(await gzip.arrayBuffer())).toString()).toContain(
			'[ama count]'
		);
	});

	it('makes each member’s page once and gives the same bytes to members alike', async () => {
		const { view } = setUp();
		await view(ama);
		const first = Buffer.from(await (await view(ama, { encoding: 'br' })).arrayBuffer());
		const again = Buffer.from(await (await view(ama, { encoding: 'br' })).arrayBuffer());
		expect(again.equals(first)).toBe(true);
		const dan = { ...ama, id: 'dan', name: 'Dan' };
		const his = zlib
			.brotliDecompressSync(Buffer.from(await (await view(dan, { encoding: 'br' })).arrayBuffer()))
			.toString();
		expect(his).toContain('[dan count]');
		expect(his).not.toContain('Delete');
	});
});
