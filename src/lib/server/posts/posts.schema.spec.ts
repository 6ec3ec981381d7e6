import { describe, expect, it } from 'vitest';
import { parseForm } from '../forms';
import { POST_BODY_MAX, postSchema } from './posts.schema';

function form(fields: Record<string, string | string[]>): FormData {
	const data = new FormData();
	for (const [name, value] of Object.entries(fields))
		for (const v of Array.isArray(value) ? value : [value]) data.append(name, v);
	return data;
}

describe('the post form', () => {
	it('takes a title, a body and themes, and keeps everything typed when something is wrong', () => {
		const ok = parseForm(postSchema, form({ title: ' Hi ', body: 'Text', themes: ['a', 'b'] }), {
			listFields: ['themes']
		});
		expect(ok.ok && ok.data).toMatchObject({ title: 'Hi', body: 'Text', themes: ['a', 'b'] });
		const bad = parseForm(postSchema, form({ title: '', body: '' }), { listFields: ['themes'] });
		expect(!bad.ok && bad.errors).toMatchObject({ title: 'Enter a title', body: 'Write the post' });
	});

	it('refuses a body over the limit with the limit in the message, never cutting it', () => {
		const long = 'a'.repeat(POST_BODY_MAX + 1);
		const result = parseForm(postSchema, form({ title: 'T', body: long }));
		expect(!result.ok && result.errors.body).toBe('The post must be 100,000 characters or fewer');
		expect(!result.ok && result.values.body).toBe(long);
	});

	it('refuses a form whose hidden honeypot box was filled in (people never see it)', () => {
		const result = parseForm(
			postSchema,
			form({ title: 'T', body: 'B', website: 'http://spam.test' })
		);
		expect(result.ok).toBe(false);
		expect(!result.ok && result.errors.website).toBeDefined();
	});
});
