import { test, expect } from './fixtures';
import { addPerson, openServerDatabase, throwawayPostgres } from './support/direct-database';
import { startColab, type RunningServer } from './support/server';
import { sessionCookieFor } from './support/people';

// Most readers are not signed in, so CoLab keeps anonymous pages in memory (the page cache,
// src/lib/server/cache). These journeys run the built server and check from the outside that
// a repeat visit is served from memory, that a change reaches the next reader on every app
// instance within a second, and that nothing personal is ever kept or handed to anyone else.

/** One plain HTTP request, with exactly the headers given (no cookie jar, no redirects). */
async function get(
	url: string,
	headers: Record<string, string> = {}
): Promise<{ status: number; hit: boolean; body: string; headers: Headers }> {
	const response = await fetch(url, { headers, redirect: 'manual' });
	return {
		status: response.status,
		hit: response.headers.get('x-colab-cache') === 'hit',
		body: await response.text(),
		headers: response.headers
	};
}

const FIRST_RUN = 'Nobody has an account here yet';

/**
 * Polls `url` until its body stops containing `stale`; returns how long that took, in ms,
 * from `since`. Fails after `withinMs`.
 */
async function msUntilFresh(
	url: string,
	stale: string,
	since: number,
	withinMs: number
): Promise<number> {
	for (;;) {
		const { body } = await get(url);
		const elapsed = performance.now() - since;
		if (!body.includes(stale)) return elapsed;
		if (elapsed > withinMs)
			throw new Error(`${url} still served the old page after ${withinMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

test.describe('A visitor reading pages served from memory', () => {
	test('gets the same page from the cache on a second visit, still passing its own CSP', async ({
		colab,
		page,
		axe
	}) => {
		// A query string of its own, so no earlier journey in this worker has cached it yet.
		const address = `/privacy?visit=${Date.now()}`;
		const first = await get(`${colab.url}${address}`);
		const second = await get(`${colab.url}${address}`);
		expect(first.status).toBe(200);
		expect(first.hit).toBe(false);
		expect(second.status).toBe(200);
		expect(second.hit).toBe(true);
		expect(second.body).toBe(first.body);
		expect(second.headers.get('content-security-policy')).toBe(
			first.headers.get('content-security-policy')
		);
		const head = await fetch(`${colab.url}${address}`, { method: 'HEAD' });
		expect(head.headers.get('x-colab-cache')).toBe('hit');
		expect(await head.text()).toBe('');

		// In a browser, the cached copy runs its scripts under its CSP without complaint.
		const violations: string[] = [];
		page.on('console', (message) => {
			if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
		});
		const response = await page.goto(`${colab.url}${address}`);
		expect(response?.headers()['x-colab-cache']).toBe('hit');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Privacy notice');
		await axe(page);
		expect(violations).toEqual([]);
	});

	test('never gets a page kept from a request that carried a session cookie', async ({ colab }) => {
		// A page nobody has asked for anonymously yet.
		const url = `${colab.url}/accessibility?probe=session-cookie`;
		for (const cookie of [
			'colab.session_token=not-a-real-session',
			'theme=dark; __Secure-colab.session_token=not-a-real-session'
		]) {
			const personal = await get(url, { cookie });
			expect(personal.status).toBe(200);
			expect(personal.hit).toBe(false);
		}
		// Had either been kept, this would be a hit.
		expect((await get(url)).hit).toBe(false);
		expect((await get(url)).hit).toBe(true);
		// And the kept copy is not handed to a request with a session cookie either.
		expect((await get(url, { cookie: 'colab.session_token=x' })).hit).toBe(false);
		// A cookie that is not a session cookie does not stop the cache.
		expect((await get(url, { cookie: 'theme=dark' })).hit).toBe(true);
	});
});

test.describe('A signed-in member', () => {
	let server: RunningServer;
	test.beforeAll(async () => {
		// Its own instance: signing someone up changes the home page for everyone on it.
		server = await startColab();
	});
	test.afterAll(async () => {
		await server?.stop();
	});

	test('always gets a fresh page, and their page never reaches a visitor', async () => {
		const email = 'zephyrine.quill@example.test';
		const cookie = await sessionCookieFor(server, {
			name: 'Zephyrine Quill',
			email,
			password: 'a long enough password 42'
		});

		// The home page, signed in, twice: rendered fresh both times and never kept.
		const url = `${server.url}/?probe=signed-in`;
		for (let i = 0; i < 2; i++) {
			const mine = await get(url, { cookie });
			expect(mine.status).toBe(200);
			expect(mine.hit).toBe(false);
			expect(mine.body).toContain('Your account');
		}
		const visitor = await get(url);
		expect(visitor.hit).toBe(false);
		expect(visitor.body).not.toContain('Your account');
		expect(visitor.body).toContain('Sign in');
		// Now the visitor's copy is kept, and a signed-in member still never gets it. (Polled: the
		// server may still be noticing, up to 500 ms late, the person added above, which empties
		// its cache once more.)
		await expect.poll(async () => (await get(url)).hit, { timeout: 3000 }).toBe(true);
		const again = await get(url, { cookie });
		expect(again.hit).toBe(false);
		expect(again.body).toContain('Your account');

		// Their account page is theirs alone.
		const account = await get(`${server.url}/account`, { cookie });
		expect(account.status).toBe(200);
		expect(account.body).toContain(email);
		for (let i = 0; i < 2; i++) {
			const anonymous = await get(`${server.url}/account`);
			expect(anonymous.hit).toBe(false);
			expect(anonymous.body).not.toContain(email);
			expect(anonymous.status).not.toBe(200);
		}
	});
});

test.describe('Several app instances on one database', () => {
	/**
	 * Two instances answer from their caches; a person is added through a third connection (as
	 * the CLI or another instance would); both stop serving the old page within a second.
	 */
	async function bothInstancesSeeTheChange(a: RunningServer, b: RunningServer): Promise<void> {
		for (const server of [a, b]) {
			await get(`${server.url}/`);
			const cached = await get(`${server.url}/`);
			expect(cached.hit).toBe(true);
			expect(cached.body).toContain(FIRST_RUN);
		}
		const database = openServerDatabase(a);
		let committed: number;
		try {
			await addPerson(database, {
				name: 'Ada First',
				email: 'ada.first@example.test',
				password: 'a long enough password 42',
				role: 'administrator'
			});
			committed = performance.now();
		} finally {
			await database.close();
		}
		const ms = await Promise.all(
			[a, b].map((server) => msUntilFresh(`${server.url}/`, FIRST_RUN, committed, 1000))
		);
		console.log(
			`new content served by both instances ${ms.map((n) => n.toFixed(0)).join(' ms and ')} ms after the commit`
		);
		for (const server of [a, b]) {
			// The fresh page is kept again, and stays fresh.
			await get(`${server.url}/`);
			const cached = await get(`${server.url}/`);
			expect(cached.hit).toBe(true);
			expect(cached.body).not.toContain(FIRST_RUN);
		}
	}

	test('on PostgreSQL, a change reaches the next reader of every instance within a second', async () => {
		const postgres = await throwawayPostgres();
		test.skip(!postgres, 'PostgreSQL is not reachable (set TEST_DATABASE_URL)');
		if (!postgres) return;
		const servers: RunningServer[] = [];
		try {
			// One after the other, so only one applies the migrations.
			servers.push(await startColab({ DATABASE_URL: postgres.url }));
			servers.push(await startColab({ DATABASE_URL: postgres.url, MAIL_WORKER: 'off' }));
			await bothInstancesSeeTheChange(servers[0]!, servers[1]!);
		} finally {
			for (const server of servers) await server.stop();
			await postgres.drop();
		}
	});

	test('on SQLite, two processes sharing a data folder see a change within a second', async () => {
		const first = await startColab();
		let second: RunningServer | undefined;
		try {
			second = await startColab({ DATA_DIR: first.dataDir, MAIL_WORKER: 'off' });
			await bothInstancesSeeTheChange(first, second);
		} finally {
			await second?.stop();
			await first.stop();
		}
	});
});
