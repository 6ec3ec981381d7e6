import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RequestEvent } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { originCheckHandle } from './origin-check';

const ORIGIN = 'https://colab.example.test';
const UNSUBSCRIBE = /^\/updates\/unsubscribe\/[A-Za-z0-9_-]{20,100}$/;
const TOKEN = 'a'.repeat(43);

async function post(
	path: string,
	headers: Record<string, string>,
	method = 'POST'
): Promise<{ status: number; reached: boolean; body: string }> {
	let reached = false;
	const request = new Request(ORIGIN + path, { method, headers, body: 'x=1' });
	const event = { request, url: new URL(request.url) } as unknown as RequestEvent;
	const response = await originCheckHandle([UNSUBSCRIBE])({
		event,
		resolve: () => {
			reached = true;
			return new Response('ok');
		}
	});
	return { status: response.status, reached, body: await response.text() };
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('the origin check', () => {
	it('lets a form post from this site through', async () => {
		expect(await post('/sign-in', { ...FORM, origin: ORIGIN })).toMatchObject({ reached: true });
	});

	it('refuses form posts from another site, or with no origin, as SvelteKit does', async () => {
		for (const headers of [
			{ ...FORM, origin: 'https://evil.example' },
			FORM,
			{ 'content-type': 'multipart/form-data; boundary=x', origin: 'null' },
			{ 'content-type': 'TEXT/PLAIN', origin: 'https://evil.example' }
		]) {
			const answer = await post('/account/data/delete', headers);
			expect(answer).toMatchObject({ status: 403, reached: false });
			expect(answer.body).toBe('Cross-site POST form submissions are forbidden');
		}
		expect(
			await post('/sign-in', { ...FORM, origin: 'https://x.example' }, 'DELETE')
		).toMatchObject({ status: 403 });
	});

	it('lets a JSON post through (no browser form can send one across sites)', async () => {
		expect(
			await post('/x', { 'content-type': 'application/json', origin: 'https://evil.example' })
		).toMatchObject({ reached: true });
	});

	it('lets one-click unsubscribe through from a mail program, and nothing next to it', async () => {
		expect(await post(`/updates/unsubscribe/${TOKEN}`, FORM)).toMatchObject({ reached: true });
		expect(
			await post(`/updates/unsubscribe/${TOKEN}`, { ...FORM, origin: 'https://mail.example' })
		).toMatchObject({ reached: true });
		for (const path of [
			`/updates/unsubscribe/${TOKEN}/more`,
			`/updates/unsubscribe/short`,
			`/updates/preferences/${TOKEN}`,
			`/updates`,
			`/x/updates/unsubscribe/${TOKEN}`
		]) {
			expect(await post(path, FORM), path).toMatchObject({ status: 403, reached: false });
		}
		expect(await post(`/updates/unsubscribe/${TOKEN}`, FORM, 'PUT')).toMatchObject({
			status: 403
		});
	});

	it('is on: SvelteKit’s own check is off only because the hooks run this one', () => {
		const root = join(import.meta.dirname, '../../../..');
		const config = readFileSync(join(root, 'svelte.config.js'), 'utf8');
		const hooks = readFileSync(join(root, 'src/hooks.server.ts'), 'utf8');
		expect(config).toMatch(/trustedOrigins: \['\*'\]/);
		expect(hooks).toMatch(/originCheckHandle\(\[ONE_CLICK_UNSUBSCRIBE_PATH\]\)/);
	});
});
