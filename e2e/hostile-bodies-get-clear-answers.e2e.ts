import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import { test, expect, type Page } from '@playwright/test';
import { sql } from 'kysely';
import { expectAccessible } from './fixtures';
import { addPerson, openServerDatabase, throwawayPostgres } from './support/direct-database';
import { startColab, type RunningServer } from './support/server';
import type { Database } from '../src/lib/server/db/database';

/**
 * Someone sends CoLab a body it cannot read (a script, a broken client, an attacker), or one
 * with control characters in it, or one far too large. Every form action on every page, found
 * by walking src/routes (so a new form is covered without editing this file), answers with a
 * clear 4xx and never a 500, on SQLite and on PostgreSQL. The body guard
 * (src/lib/server/http/body-guard.ts) is the one place that makes this so.
 */

const ROUTES = path.resolve('src/routes');
const UNREADABLE = 'We could not read the form you sent.';
const TOO_LARGE = /^What you sent was too large\. The most we accept at once is 512 KB\.$/;
const OVER_LIMIT = 600 * 1024;

interface Action {
	/** The page's path pattern, e.g. /events/[id]/cancel. */
	route: string;
	name: string;
}

/** Every page with form actions, and each action's name, read from the route files. */
function discoverActions(): Action[] {
	const found: Action[] = [];
	const walk = (dir: string) => {
		for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) walk(full);
			else if (entry.name === '+page.server.ts') {
				const route =
					'/' +
					path
						.relative(ROUTES, dir)
						.split(path.sep)
						.filter((part) => part && !/^\(.*\)$/.test(part))
						.join('/');
				for (const name of actionNames(fs.readFileSync(full, 'utf8'))) found.push({ route, name });
			}
		}
	};
	walk(ROUTES);
	return found.sort((a, b) => `${a.route} ${a.name}`.localeCompare(`${b.route} ${b.name}`));
}

/** The keys of `export const actions = { … }`: the names at the object's top level. */
function actionNames(source: string): string[] {
	const start = source.search(/export const actions\b/);
	if (start < 0) return [];
	const code = source.slice(start).replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '');
	const open = code.indexOf('{');
	let depth = 0;
	let topLevel = '';
	for (let i = open; i < code.length; i++) {
		const char = code[i];
		if (char === '{') depth++;
		if (char === '}' && --depth === 0) break;
		if (depth === 1 && char !== '{') topLevel += char;
		else if (depth === 2 && char === '{') topLevel += '…';
	}
	// A key starts a line and is followed by `:` (`name: async (event) => …`), by its parameters
	// and body (`async name(event) { … }`), or by nothing (`{ name, other }`).
	const key = /^\s*(?:async\s+)?([A-Za-z_$][\w$]*)\s*(?::|\([^)]*\)\s*…|,?\s*$)/gm;
	const names = [...topLevel.matchAll(key)].map((match) => match[1]!);
	return [...new Set(names)];
}

/** Every page path pattern (for the address checks). */
function discoverPages(): string[] {
	const pages: string[] = [];
	const walk = (dir: string) => {
		for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
			if (entry.isDirectory()) walk(path.join(dir, entry.name));
			else if (entry.name === '+page.svelte')
				pages.push('/' + path.relative(ROUTES, dir).split(path.sep).filter(Boolean).join('/'));
		}
	};
	walk(ROUTES);
	return pages;
}

interface Answer {
	status: number;
	headers: http.IncomingHttpHeaders;
	text: string;
}

/**
 * One request on its own connection, as a client that does not reuse connections would send it.
 * (A reused keep-alive connection can be closed by the server just as the next request leaves,
 * which no server can prevent; browsers retry, Node's fetch does not, so it would make noise.)
 * `chunks` are sent one by one without a Content-Length. The answer counts from the moment it
 * arrives, even if the server stopped reading an upload it had already refused.
 */
function request(
	url: string,
	options: { method?: string; headers?: Record<string, string>; body?: Buffer; chunks?: Buffer[] }
): Promise<Answer> {
	return new Promise((resolve, reject) => {
		const headers = { ...options.headers };
		if (options.body) headers['content-length'] = String(options.body.length);
		const outgoing = http.request(url, { method: options.method ?? 'GET', headers, agent: false });
		let answered = false;
		const timer = setTimeout(() => {
			outgoing.destroy();
			reject(new Error(`${options.method ?? 'GET'} ${url}: no complete answer within 20 s`));
		}, 20_000);
		outgoing.on('response', (incoming) => {
			answered = true;
			const parts: Buffer[] = [];
			incoming.on('data', (part: Buffer) => parts.push(part));
			incoming.on('end', () => {
				clearTimeout(timer);
				resolve({
					status: incoming.statusCode ?? 0,
					headers: incoming.headers,
					text: Buffer.concat(parts).toString()
				});
			});
			incoming.on('error', reject);
		});
		outgoing.on('error', (failure) => {
			if (!answered) reject(new Error(`${options.method ?? 'GET'} ${url}: ${failure.message}`));
		});
		if (options.chunks) {
			for (const chunk of options.chunks) outgoing.write(chunk);
			outgoing.end();
		} else outgoing.end(options.body);
	});
}

interface World {
	server: RunningServer;
	/** The server's database, reached as another instance would (to add people). */
	database: Database;
	/** Real values for route parameters, by the segment before them and the parameter's name. */
	params: Record<string, string>;
	drop?: () => Promise<void>;
}

async function startWorld(engine: 'sqlite' | 'postgres'): Promise<World | undefined> {
	let drop: (() => Promise<void>) | undefined;
	// The limit is set, not left to its default (which makes room for a picture), so the bodies
	// sent over it stay small.
	const env: NodeJS.ProcessEnv = { MAIL_WORKER: 'off', BODY_SIZE_LIMIT: '512K' };
	if (engine === 'postgres') {
		const database = await throwawayPostgres();
		if (!database) return undefined;
		env.DATABASE_URL = database.url;
		drop = database.drop;
	}
	const server = await startColab(env, ['--demo']);
	const database = openServerDatabase(server);
	{
		const first = async (query: string) => {
			const { rows } = await sql<{ v: string }>`${sql.raw(query)}`.execute(database.db);
			return rows[0]?.v ?? 'none';
		};
		const params = {
			'events/id': await first('select id as v from event order by starts_at desc limit 1'),
			'assessments/id': await first('select id as v from assessment order by id limit 1'),
			'people/id': await first(
				"select id as v from app_user where email = 'priya@demo.colab.example'"
			),
			'organisations/slug': await first('select slug as v from organisation order by slug limit 1'),
			'answer/code': await first('select share_code as v from assessment order by id limit 1'),
			'respond/key': await first('select id as v from assessment_response order by id limit 1'),
			'pilots/slug': await first('select slug as v from pilot order by slug limit 1'),
			'entries/id': await first('select id as v from pilot_entry order by id limit 1'),
			'amendments/id': await first(
				"select id as v from statement_amendment where status = 'open' order by id limit 1"
			)
		};
		return { server, database, params, drop };
	}
}

/** A concrete path for a pattern; parameters without demo data get a value that matches nothing. */
function fill(pattern: string, params: Record<string, string>, value?: string): string {
	const parts = pattern.split('/');
	return parts
		.map((part, i) => {
			const match = /^\[(\w+)\]$/.exec(part);
			if (!match) return part;
			if (value !== undefined) return value;
			return encodeURIComponent(params[`${parts[i - 1]}/${match[1]}`] ?? `no-such-${match[1]}`);
		})
		.join('/');
}

/** Runs jobs a few at a time: enough to be quick, few enough for a two-core machine. */
async function inParallel<T>(items: T[], limit: number, job: (item: T) => Promise<void>) {
	let next = 0;
	await Promise.all(
		Array.from({ length: limit }, async () => {
			while (next < items.length) await job(items[next++]!);
		})
	);
}

interface HostileBody {
	label: string;
	/** Whether the guard must refuse it when the action reads it (NUL bodies are cleaned, not refused). */
	refused: 'unreadable' | 'too-large' | false;
	contentType: string;
	body?: Buffer;
	/** Sent chunked, with no Content-Length. */
	chunks?: Buffer[];
}

/** Field names and starting values of the page's form for this action, as a browser would send. */
function formFields(html: string, action: string): [string, string][] {
	for (const [, attributes, inside] of html.matchAll(/<form([^>]*)>([\s\S]*?)<\/form>/g)) {
		const target = /action="([^"]*)"/.exec(attributes!)?.[1] ?? '';
		const name = /\?\/([\w$]+)/.exec(target)?.[1] ?? 'default';
		if (!/method="post"/i.test(attributes!) || name !== action) continue;
		const fields: [string, string][] = [];
		for (const [tag] of inside!.matchAll(/<(?:input|textarea|select)\b[^>]*>/g)) {
			const field = /\bname="([^"]+)"/.exec(tag)?.[1];
			if (!field) continue;
			const type = /\btype="([^"]+)"/.exec(tag)?.[1] ?? 'text';
			const value = /\bvalue="([^"]*)"/.exec(tag)?.[1];
			const texty = !['hidden', 'checkbox', 'radio', 'submit'].includes(type) || !value;
			// Each kind of field carries a NUL: typed text, and the values of hidden fields and choices.
			fields.push([field, texty ? 'Note\u0000 from a test' : `${value}\u0000`]);
		}
		return fields;
	}
	return [];
}

async function hostileBodies(fields: [string, string][]): Promise<HostileBody[]> {
	const withNul: [string, string][] = fields.length ? fields : [['note', 'a\u0000b']];
	const multipart = new FormData();
	for (const [name, value] of withNul) multipart.append(name, value);
	multipart.append('picture', new Blob(['not a picture']), 'ph\u0000oto.png');
	// The bytes and boundary a browser would send for that form.
	const encoded = new Request('http://localhost/', { method: 'POST', body: multipart });
	const chunk = Buffer.from('a'.repeat(64 * 1024));
	return [
		{
			label: 'text/plain',
			refused: 'unreadable',
			contentType: 'text/plain',
			body: Buffer.from('email=a@example.test')
		},
		{
			label: 'multipart with no boundary',
			refused: 'unreadable',
			contentType: 'multipart/form-data',
			body: Buffer.from('--x\r\nContent-Disposition: form-data; name="email"\r\n\r\na\r\n--x--\r\n')
		},
		{
			label: 'multipart with no closing boundary',
			refused: 'unreadable',
			contentType: 'multipart/form-data; boundary=x',
			body: Buffer.from('--x\r\nContent-Disposition: form-data; name="email"\r\n\r\na@example.test')
		},
		{
			label: 'NUL in every field (url-encoded)',
			refused: false,
			contentType: 'application/x-www-form-urlencoded',
			body: Buffer.from(new URLSearchParams([...withNul, ['n\u0000ame', 'x']]).toString())
		},
		{
			label: 'NUL in every field and a file name (multipart)',
			refused: false,
			contentType: encoded.headers.get('content-type')!,
			body: Buffer.from(await encoded.arrayBuffer())
		},
		{
			label: 'over the size limit, with Content-Length',
			refused: 'too-large',
			contentType: 'application/x-www-form-urlencoded',
			body: Buffer.from(`note=${'a'.repeat(OVER_LIMIT)}`)
		},
		{
			label: 'over the size limit, chunked without Content-Length',
			refused: 'too-large',
			contentType: 'application/x-www-form-urlencoded',
			chunks: [Buffer.from('note='), ...Array(Math.ceil(OVER_LIMIT / chunk.length)).fill(chunk)]
		}
	];
}

interface Session {
	cookie: string;
}

/** A new administrator, signed in through the sign-in form: one per action, as some sign out. */
async function newAdministrator(world: World, label: string): Promise<Session> {
	const { server, database } = world;
	const email = `hostile-${label.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}@example.test`;
	const password = 'hostile-bodies-password';
	await addPerson(database, { name: 'Hostile Tester', email, password, role: 'administrator' });
	// One sign-in per action, all from this machine's address: more than the sign-in limit for
	// one address allows (which has its own specs), so the count starts again each time.
	await database.db.deleteFrom('rate_limit').where('key', 'like', 'sign-in:%').execute();
	const response = await request(`${server.url}/sign-in`, {
		method: 'POST',
		headers: { origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
		body: Buffer.from(new URLSearchParams({ email, password }).toString())
	});
	const cookie = (response.headers['set-cookie'] ?? [])
		.map((line) => line.split(';')[0]!)
		.filter((pair) => pair.includes('session'))
		.join('; ');
	expect(cookie, `signing in ${email} gave a session`).not.toBe('');
	return { cookie };
}

interface Outcome {
	action: string;
	body: string;
	as: string;
	accept: string;
	status: number;
	message: string;
}

async function send(
	server: RunningServer,
	url: string,
	hostile: HostileBody,
	session: Session | undefined,
	accept: 'text/html' | 'application/json'
): Promise<{ status: number; message: string; html: string }> {
	const headers: Record<string, string> = { origin: server.url, accept };
	if (hostile.contentType) headers['content-type'] = hostile.contentType;
	if (session) headers.cookie = session.cookie;
	const response = await request(url, {
		method: 'POST',
		headers,
		body: hostile.body,
		chunks: hostile.chunks
	});
	const text = response.text;
	if (accept === 'application/json') {
		let message: string;
		try {
			const result = JSON.parse(text) as { error?: { message?: string }; data?: string };
			message = result.error?.message ?? (result.data ? 'form refused with its own message' : '');
		} catch {
			message = text;
		}
		return { status: response.status, message, html: '' };
	}
	const summary = /class="error-summary"[\s\S]*?<li>(?:<!--[^>]*-->)*([^<]+)/.exec(text)?.[1];
	const heading = /<h1[^>]*>([^<]+)/.exec(text)?.[1];
	return { status: response.status, message: (summary ?? heading ?? '').trim(), html: text };
}

async function walkEveryAction(world: World): Promise<Outcome[]> {
	const { server, params } = world;
	const actions = discoverActions();
	const outcomes: Outcome[] = [];
	await inParallel(actions, 4, async (action) => {
		const label = `${action.route} ?/${action.name}`;
		const session = await newAdministrator(world, label);
		const pagePath = fill(action.route, params);
		const page = await request(`${server.url}${pagePath}`, { headers: { cookie: session.cookie } });
		const bodies = await hostileBodies(formFields(page.text, action.name));
		const target = `${server.url}${pagePath}${action.name === 'default' ? '' : `?/${action.name}`}`;
		// Every body as a page form sends it (the answer is a page), then the unreadable ones as an
		// enhanced form sends them (the answer is JSON). Signed in throughout, so the action gets
		// as far as reading its body; a sign-out action (which reads none) signs out last.
		const attempts: [Session, 'text/html' | 'application/json', HostileBody[]][] = [
			[session, 'text/html', bodies],
			[session, 'application/json', bodies.filter((body) => body.refused === 'unreadable')]
		];
		for (const [who, accept, sent] of attempts) {
			for (const hostile of sent) {
				const answer = await send(server, target, hostile, who, accept);
				const outcome: Outcome = {
					action: label,
					body: hostile.label,
					as: who ? 'administrator' : 'visitor',
					accept,
					status: answer.status,
					message: answer.message
				};
				outcomes.push(outcome);
				const where = JSON.stringify(outcome);
				expect(answer.status, where).toBeLessThan(500);
				if (answer.status >= 400) expect(answer.message, where).not.toBe('');
				// The page form's answer: the error page with its summary, and a way back.
				if (hostile.refused && answer.status === 400 && accept === 'text/html') {
					if (answer.message === UNREADABLE) {
						expect(answer.html, where).toContain('class="error-summary"');
						expect(answer.html, where).toContain(`href="${pagePath}">Go back to the form`);
					}
				}
				if (hostile.refused === 'too-large' && answer.status === 413) {
					expect(answer.message, where).toMatch(TOO_LARGE);
				}
				if (hostile.refused === 'unreadable' && answer.status === 413) {
					throw new Error(`a small body was called too large: ${where}`);
				}
			}
		}
	});
	return outcomes;
}

/** Every page, with each parameter and a few query values carrying a NUL. */
async function visitEveryAddressWithNul(world: World): Promise<void> {
	const { server } = world;
	const session = await newAdministrator(world, 'addresses');
	const paths = discoverPages().flatMap((pattern) => [
		...(pattern.includes('[') ? [fill(pattern, world.params, 'a%00b')] : []),
		`${fill(pattern, world.params)}?q=%00&format=a%00&band=%00&page=%00&next=%2F%00`
	]);
	await inParallel(paths, 4, async (pathname) => {
		for (const cookie of [session.cookie, '']) {
			const response = await request(`${server.url}${pathname}`, {
				headers: cookie ? { cookie } : {}
			});
			expect(response.status, `GET ${pathname} ${cookie ? 'signed in' : 'visitor'}`).toBeLessThan(
				500
			);
		}
	});
}

function summarise(outcomes: Outcome[]): string {
	const refused = outcomes.filter((o) => o.message === UNREADABLE || TOO_LARGE.test(o.message));
	const reached = new Set(refused.map((o) => o.action));
	const all = new Set(outcomes.map((o) => o.action));
	const byStatus = new Map<number, number>();
	for (const o of outcomes) byStatus.set(o.status, (byStatus.get(o.status) ?? 0) + 1);
	return (
		`${outcomes.length} requests to ${all.size} actions; the guard refused ${refused.length}, ` +
		`in ${reached.size} actions; statuses ${JSON.stringify(Object.fromEntries(byStatus))}; ` +
		`actions that never read a hostile body: ${[...all].filter((a) => !reached.has(a)).join(', ')}`
	);
}

test.describe.configure({ mode: 'parallel' });

test('the walk finds every form action in src/routes', () => {
	const actions = discoverActions();
	// Spot checks that the parser reads each shape of actions object in the routes.
	const names = actions.map((a) => `${a.route} ${a.name}`);
	expect(names).toEqual(
		expect.arrayContaining([
			'/sign-in default',
			'/events/[id]/cancel default',
			'/events/[id] register',
			'/events/[id] claim',
			'/account/sessions everywhere',
			'/assessments/respond/[key] submit',
			'/assessments/check results'
		])
	);
	const files = fs
		.readFileSync(path.join(ROUTES, 'events/[id]/+page.server.ts'), 'utf8')
		.match(/^\t[a-zA-Z]+: async/gm);
	expect(actions.filter((a) => a.route === '/events/[id]')).toHaveLength(files!.length);
});

for (const engine of ['sqlite', 'postgres'] as const) {
	test.describe(`on ${engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'}`, () => {
		let world: World | undefined;

		test.beforeAll(async () => {
			test.setTimeout(180_000);
			world = await startWorld(engine);
		});

		test.afterAll(async () => {
			await world?.database.close();
			await world?.server.stop();
			await world?.drop?.();
		});

		test('every form action answers every hostile body with a clear 4xx, never a 500', async () => {
			test.skip(!world, 'PostgreSQL is not reachable');
			// A guard against hangs: about a minute alone, several on a busy two-core machine.
			test.setTimeout(360_000);
			const t0 = Date.now();
			const outcomes = await walkEveryAction(world!);
			const summary = `${summarise(outcomes)}; ${Math.round((Date.now() - t0) / 1000)} s`;
			test.info().annotations.push({ type: engine, description: summary });
			console.log(`${engine}: ${summary}`);
			expect(outcomes.filter((o) => o.status >= 500)).toEqual([]);
			// The guard is reached: every action that reads its body refused the unreadable ones.
			expect(outcomes.filter((o) => o.message === UNREADABLE).length).toBeGreaterThan(100);
			expect(outcomes.filter((o) => TOO_LARGE.test(o.message)).length).toBeGreaterThan(50);
		});

		test('a NUL in any address gives a page or a clear 4xx, never a 500', async () => {
			test.skip(!world, 'PostgreSQL is not reachable');
			await visitEveryAddressWithNul(world!);
		});
	});
}

test.describe('in a browser', () => {
	let server: RunningServer;
	test.beforeAll(async () => {
		server = await startColab({ MAIL_WORKER: 'off', BODY_SIZE_LIMIT: '512K' });
	});
	test.afterAll(async () => server?.stop());

	/** Sends the sign-in page's form as text/plain, as a broken or hostile client might. */
	async function sendUnreadableForm(page: Page) {
		await page.goto(`${server.url}/sign-in`);
		await page.waitForLoadState('networkidle');
		await page.evaluate(() => {
			const form = document.createElement('form');
			form.method = 'post';
			form.enctype = 'text/plain';
			form.action = '/sign-in';
			const field = document.createElement('input');
			field.name = 'email';
			field.value = 'sam@example.test';
			form.append(field);
			document.body.append(form);
			form.submit();
		});
	}

	for (const width of [1280, 390]) {
		test(`a form the server cannot read shows what went wrong and the way back, at ${width} px`, async ({
			page
		}) => {
			await page.setViewportSize({ width, height: 900 });
			await sendUnreadableForm(page);
			await expect(page).toHaveTitle('Error: your form was not sent');
			await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your form was not sent');
			const summary = page.getByRole('alert');
			await expect(summary).toContainText('There is a problem');
			await expect(summary).toContainText(UNREADABLE);
			await expect(page.getByText('fill it in again and send it')).toBeVisible();
			await expectAccessible(page);
			await page.getByRole('link', { name: 'Go back to the form' }).click();
			await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in');
		});
	}

	test('a form too large to send says so and says what to do', async ({ page }) => {
		await page.setViewportSize({ width: 390, height: 900 });
		await page.goto(`${server.url}/sign-in`);
		await page.waitForLoadState('networkidle');
		await page.evaluate((size) => {
			const form = document.createElement('form');
			form.method = 'post';
			form.action = '/sign-in';
			const field = document.createElement('textarea');
			field.name = 'email';
			field.value = 'a'.repeat(size);
			form.append(field);
			document.body.append(form);
			form.submit();
		}, OVER_LIMIT);
		await expect(page.getByRole('alert')).toContainText(
			'What you sent was too large. The most we accept at once is 512 KB.'
		);
		await expect(page.getByText('shorten the text, or send it in parts')).toBeVisible();
		await expectAccessible(page);
	});
});
