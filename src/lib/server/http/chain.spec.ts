import type { Handle, RequestEvent, ResolveOptions } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { chainHandles } from './chain';

const event = () => ({ locals: {}, url: new URL('http://localhost/') }) as unknown as RequestEvent;

/** A resolve that records what reached it and answers with a plain page. */
function recordingResolve() {
	const calls: { event: RequestEvent; options: ResolveOptions | undefined }[] = [];
	const resolve = (e: RequestEvent, options?: ResolveOptions) => {
		calls.push({ event: e, options });
		return new Response('page');
	};
	return { calls, resolve };
}

describe('chainHandles', () => {
	it('runs handles outside in on the way in and inside out on the way back', async () => {
		const order: string[] = [];
		const named =
			(name: string): Handle =>
			async ({ event, resolve }) => {
				order.push(`${name} in`);
				const response = await resolve(event);
				order.push(`${name} out`);
				response.headers.append('x-order', name);
				return response;
			};
		const { calls, resolve } = recordingResolve();
		const response = await chainHandles(
			named('a'),
			named('b'),
			named('c')
		)({
			event: event(),
			resolve
		});
		expect(order).toEqual(['a in', 'b in', 'c in', 'c out', 'b out', 'a out']);
		expect(response.headers.get('x-order')).toBe('c, b, a');
		expect(calls).toHaveLength(1);
	});

	it('passes the same event object through, so locals set outside are seen inside', async () => {
		const original = event();
		let seen: RequestEvent | undefined;
		const { calls, resolve } = recordingResolve();
		await chainHandles(
			({ event, resolve }) => {
				event.locals.requestId = 'outer';
				return resolve(event);
			},
			({ event, resolve }) => {
				seen = event;
				return resolve(event);
			}
		)({ event: original, resolve });
		expect(seen).toBe(original);
		expect(calls[0]?.event).toBe(original);
		expect(original.locals.requestId).toBe('outer');
	});

	it('lets a handle answer without calling the rest', async () => {
		const { calls, resolve } = recordingResolve();
		const response = await chainHandles(
			() => new Response('early', { status: 403 }),
			() => {
				throw new Error('must not run');
			}
		)({ event: event(), resolve });
		expect(response.status).toBe(403);
		expect(calls).toHaveLength(0);
	});

	it('with no handles, resolves directly', async () => {
		const { calls, resolve } = recordingResolve();
		const response = await chainHandles()({ event: event(), resolve });
		expect(await response.text()).toBe('page');
		expect(calls).toHaveLength(1);
	});

	it('merges resolve options as sequence does: inner transform first, outer filter and preload win', async () => {
		const { calls, resolve } = recordingResolve();
		const outerFilter = () => true;
		const innerFilter = () => false;
		const innerPreload = () => false;
		await chainHandles(
			({ event, resolve }) =>
				resolve(event, {
					transformPageChunk: ({ html }) => `outer(${html})`,
					filterSerializedResponseHeaders: outerFilter
				}),
			({ event, resolve }) => resolve(event),
			({ event, resolve }) =>
				resolve(event, {
					transformPageChunk: async ({ html }) => `inner(${html})`,
					filterSerializedResponseHeaders: innerFilter,
					preload: innerPreload
				})
		)({ event: event(), resolve });
		const options = calls[0]?.options;
		expect(await options?.transformPageChunk?.({ html: 'x', done: true })).toBe('outer(inner(x))');
		expect(options?.filterSerializedResponseHeaders).toBe(outerFilter);
		expect(options?.preload).toBe(innerPreload);
	});

	it('passes one handle’s options on unchanged and none when nobody gives any', async () => {
		const { calls, resolve } = recordingResolve();
		const only = { transformPageChunk: ({ html }: { html: string }) => html.toUpperCase() };
		const pass: Handle = ({ event, resolve }) => resolve(event);
		await chainHandles(
			pass,
			({ event, resolve }) => resolve(event, only),
			pass
		)({
			event: event(),
			resolve
		});
		await chainHandles(pass, pass)({ event: event(), resolve });
		expect(calls[0]?.options).toBe(only);
		expect(calls[1]?.options).toBeUndefined();
	});
});
