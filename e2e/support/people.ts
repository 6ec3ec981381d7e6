import { randomBytes } from 'node:crypto';
import type { Browser, Page } from '@playwright/test';
import { expect } from '@playwright/test';
import { addPerson, openServerDatabase } from './direct-database';
import { Mailbox } from './mailbox';
import type { RunningServer } from './server';

/**
 * People for journeys that need someone signed in. They are made the way an operator or a
 * newcomer would: with `npm run colab -- user:create` when the CLI has it, otherwise by
 * signing up through the pages and confirming the emailed link.
 */
export interface Person {
	name: string;
	email: string;
	password: string;
}

/** A unique, readable address for one journey's person. */
export function uniqueEmail(label: string): string {
	return `${label}-${randomBytes(4).toString('hex')}@example.test`;
}

export async function createPerson(
	env: { colab: RunningServer; mailbox: Mailbox; browser: Browser },
	wanted: { name: string; email?: string; role?: 'member' | 'curator' | 'administrator' }
): Promise<Person> {
	const person: Person = {
		name: wanted.name,
		email: wanted.email ?? uniqueEmail(wanted.name.split(' ')[0]!.toLowerCase()),
		password: `journey-${randomBytes(8).toString('hex')}`
	};
	const role = wanted.role ?? 'member';
	const cli = await env.colab.cli(
		[
			'user:create',
			'--email',
			person.email,
			'--name',
			person.name,
			'--role',
			role,
			'--password-stdin'
		],
		person.password + '\n'
	);
	if (cli.code === 0) return person;
	if (role !== 'member')
		throw new Error(`user:create failed (${cli.code}):\n${cli.stdout}\n${cli.stderr}`);

	// No user:create yet: sign up through the pages, as a newcomer would, in a separate context.
	const context = await env.browser.newContext({ baseURL: env.colab.url });
	const page = await context.newPage();
	await page.goto('/sign-up');
	await page.waitForLoadState('networkidle');
	await page.getByLabel('Your name').fill(person.name);
	await page.getByLabel('Email address').fill(person.email);
	await page.getByLabel('Password', { exact: true }).fill(person.password);
	await page.getByRole('button', { name: 'Create account' }).click();
	const mail = await env.mailbox.waitFor(person.email, /confirm/i);
	await page.goto(Mailbox.link(mail, /\/verify-email\?token=/));
	await expect(page).toHaveURL(/\/account/);
	await context.close();
	return person;
}

/**
 * Signs in through /sign-in (with `next` when given, so the site brings them back). Checks the
 * sign-in page with axe when `axe` is passed.
 */
export async function signIn(
	page: Page,
	person: Person,
	options: { next?: string; axe?: (page: Page) => Promise<void> } = {}
): Promise<void> {
	if (!/\/sign-in/.test(page.url()))
		await page.goto(
			options.next ? `/sign-in?next=${encodeURIComponent(options.next)}` : '/sign-in'
		);
	// Text typed before the page has hydrated can be lost, so wait until it has settled.
	await page.waitForLoadState('networkidle');
	if (options.axe) await options.axe(page);
	await page.getByLabel('Email address').fill(person.email);
	await page.getByLabel('Password', { exact: true }).fill(person.password);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page).not.toHaveURL(/\/sign-in/);
}

/**
 * Adds a person straight to the server's database and signs them in with a plain form POST,
 * as a browser without JavaScript would. Returns the Cookie header of their session, for
 * journeys that look at raw responses rather than at pages.
 */
export async function sessionCookieFor(
	server: RunningServer,
	person: { name: string; email: string; password: string }
): Promise<string> {
	const database = openServerDatabase(server);
	try {
		await addPerson(database, person);
	} finally {
		await database.close();
	}
	const response = await fetch(`${server.url}/sign-in`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			accept: 'text/html',
			origin: server.url
		},
		body: new URLSearchParams({ email: person.email, password: person.password }).toString()
	});
	expect(response.status).toBe(303);
	const cookie = response.headers
		.getSetCookie()
		.map((c) => c.split(';')[0])
		.join('; ');
	expect(cookie).toMatch(/(^|; )colab\.session_token=/);
	return cookie;
}
