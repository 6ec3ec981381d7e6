import type { Kysely } from 'kysely';
import { readConfig } from '../config';
import type { Database } from '../db/database';
import type { DB } from '../db/schema';
import { createAuth } from './auth';
import {
	readSession,
	signUp,
	verifyEmail,
	type AccountsContext,
	type Client
} from './auth.service';
import type { SessionUser } from './auth.types';

/** For specs: the account use cases wired to a test database (no SvelteKit cookies). */
export function accountsFor(database: Database): AccountsContext {
	const config = readConfig({ ORIGIN: 'http://colab.test', SITE_NAME: 'CoLab Test' });
	const auth = createAuth({
		config,
		database,
		secret: 'spec-secret-that-is-long-enough-for-better-auth'
	});
	return { auth, db: database.db, site: { siteName: config.siteName, origin: config.origin } };
}

/** A visitor with no cookies, from `ip`. */
export function visitor(ip = '192.0.2.10'): Client {
	return { headers: new Headers(), ip };
}

/** A client carrying the session cookie from a better-auth response's Set-Cookie headers. */
export function clientWithCookies(headers: Headers, ip = '192.0.2.10'): Client {
	const cookie = headers
		.getSetCookie()
		.map((c) => c.split(';', 1)[0])
		.join('; ');
	return { headers: new Headers({ cookie }), ip };
}

/** Mail waiting in the outbox for `to`, oldest first. */
export async function mailTo(db: Kysely<DB>, to: string) {
	return db
		.selectFrom('mail_outbox')
		.selectAll()
		.where('to_address', '=', to)
		.orderBy('created_at')
		.execute();
}

/** The token in the first link to `path` in a mail's text. */
export function tokenFrom(text: string, path: string): string {
	const match = new RegExp(`https?://[^\\s]+${path.replace(/\//g, '\\/')}\\?token=([^\\s&]+)`).exec(
		text
	);
	if (!match?.[1]) throw new Error(`no ${path} link in:\n${text}`);
	return decodeURIComponent(match[1]);
}

/** Signs up and confirms through the real use cases, returning a client signed in as them. */
export async function confirmedMember(
	ctx: AccountsContext,
	email: string,
	password: string,
	name = 'Sam Member'
): Promise<{ client: Client; user: SessionUser }> {
	await signUp(ctx, visitor(), { name, email, password });
	const [mail] = await mailTo(ctx.db, email);
	await verifyEmail(ctx, visitor(), tokenFrom(mail!.text_body, '/verify-email'));
	const { headers } = await ctx.auth.api.signInEmail({
		body: { email, password },
		returnHeaders: true
	});
	const client = clientWithCookies(headers);
	const session = await readSession(ctx.auth, client.headers);
	if (!session) throw new Error('not signed in');
	return { client, user: session.user };
}
