import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseForm, valueOf } from './forms';

const schema = z.object({
	name: z.string().trim().min(1, 'Enter your name'),
	email: z.email('Enter an email address in the right format, like name@example.com'),
	password: z.string().min(10, 'Your password must be at least 10 characters'),
	topics: z.array(z.string()).max(2, 'Choose up to 2 topics')
});

function form(entries: Array<[string, string]>): FormData {
	const data = new FormData();
	for (const [k, v] of entries) data.append(k, v);
	return data;
}

describe('parseForm', () => {
	it('returns typed data when everything is valid', () => {
		const result = parseForm(
			schema,
			form([
				['name', ' Sam '],
				['email', 'sam@example.org'],
				['password', 'correct horse battery'],
				['topics', 'a']
			]),
			{ listFields: ['topics'], omit: ['password'] }
		);
		expect(result.ok).toBe(true);
		if (result.ok) {
			expect(result.data).toEqual({
				name: 'Sam',
				email: 'sam@example.org',
				password: 'correct horse battery',
				topics: ['a']
			});
			expect(result.values.password).toBeUndefined();
		}
	});

	it('gives one message per field, keeps what was typed, and never echoes secrets', () => {
		const result = parseForm(
			schema,
			form([
				['name', ''],
				['email', 'not-an-email'],
				['password', 'short'],
				['topics', 'a'],
				['topics', 'b'],
				['topics', 'c']
			]),
			{ listFields: ['topics'], omit: ['password'] }
		);
		expect(result.ok).toBe(false);
		if (!result.ok) {
			expect(result.errors).toEqual({
				name: 'Enter your name',
				email: 'Enter an email address in the right format, like name@example.com',
				password: 'Your password must be at least 10 characters',
				topics: 'Choose up to 2 topics'
			});
			expect(valueOf(result.values, 'email')).toBe('not-an-email');
			expect(result.values.topics).toEqual(['a', 'b', 'c']);
			expect(result.values.password).toBeUndefined();
		}
	});

	it('treats a missing checkbox group as an empty list', () => {
		const result = parseForm(
			schema,
			form([
				['name', 'Sam'],
				['email', 'sam@example.org'],
				['password', 'correct horse battery']
			]),
			{ listFields: ['topics'] }
		);
		expect(result.ok && result.data.topics).toEqual([]);
	});
});
