import type { RequestEvent } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { pageStatusHandle } from './page-status';

async function answer(options: {
	pageStatus?: number;
	isDataRequest?: boolean;
	rendered?: Response;
}): Promise<Response> {
	const event = {
		locals: {},
		isDataRequest: options.isDataRequest ?? false
	} as unknown as RequestEvent;
	return pageStatusHandle({
		event,
		resolve: async (e) => {
			// The load runs inside resolve and sets the status as it reads the query.
			if (options.pageStatus) e.locals.pageStatus = options.pageStatus;
			return (
				options.rendered ??
				new Response('<p>page</p>', { headers: { 'content-type': 'text/html', 'x-kept': '1' } })
			);
		}
	});
}

describe('a page that chose its status', () => {
	it('answers with that status, the page and its headers unchanged', async () => {
		const response = await answer({ pageStatus: 400 });
		expect(response.status).toBe(400);
		expect(await response.text()).toBe('<p>page</p>');
		expect(response.headers.get('x-kept')).toBe('1');
		expect(response.headers.get('content-type')).toBe('text/html');
	});

	it('leaves pages that chose nothing at 200', async () => {
		expect((await answer({})).status).toBe(200);
	});

	it("keeps 200 for a client-side navigation's data, which SvelteKit's client would read as a failure", async () => {
		expect((await answer({ pageStatus: 400, isDataRequest: true })).status).toBe(200);
	});

	it('leaves an answer that is not a rendered page as it was (a redirect, an error page)', async () => {
		const redirect = new Response(null, { status: 303, headers: { location: '/' } });
		const response = await answer({ pageStatus: 400, rendered: redirect });
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toBe('/');
		expect(
			(await answer({ pageStatus: 400, rendered: new Response('gone', { status: 404 }) })).status
		).toBe(404);
	});
});
