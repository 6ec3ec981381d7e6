import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { allErrors, parseForm, validFields, valueOf, wholeNumber } from './forms';

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

describe('wholeNumber', () => {
	const places = wholeNumber({
		label: 'Number of places',
		min: 1,
		max: 10_000,
		empty: null,
		emptyHint: 'or leave it empty for no limit'
	});
	const hours = wholeNumber({ label: 'Hours', min: 1, max: 168, tooSmall: 'At least 1 hour' });
	const message = (schema: typeof places | typeof hours, typed: string | undefined) =>
		schema.safeParse(typed).error?.issues.map((i) => i.message);

	it('reads whole numbers, with spaces around and thousands separators', () => {
		expect(places.parse(' 20 ')).toBe(20);
		expect(places.parse('1,000')).toBe(1000);
		expect(places.parse('1 000')).toBe(1000);
		expect(places.parse('')).toBeNull();
		expect(places.parse(undefined)).toBeNull();
	});

	it('says what the box takes, in words, for anything else', () => {
		const range = [
			'Number of places must be a whole number from 1 to 10,000, or leave it empty for no limit'
		];
		for (const typed of ['-5', '0', '2.5', 'ten', '10001', '1,00', '1e3']) {
			expect(message(places, typed), typed).toEqual(range);
		}
	});

	it('uses its own words below the minimum, and asks for a required number', () => {
		expect(message(hours, '-5')).toEqual(['At least 1 hour']);
		expect(message(hours, '169')).toEqual(['Hours must be a whole number from 1 to 168']);
		expect(message(hours, '')).toEqual(['Enter hours']);
	});
});

describe('every message at once', () => {
	it('keeps the fields that are fine on their own, for the checks that come after', () => {
		const result = parseForm(
			schema,
			form([
				['name', ' Sam '],
				['email', 'not-an-address'],
				['password', 'short']
			]),
			{ listFields: ['topics'] }
		);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.partial).toEqual({ name: 'Sam', topics: [] });
		expect(validFields(schema, { name: '', email: 'sam@example.org' })).toEqual({
			email: 'sam@example.org'
		});
	});

	it('merges messages in the order of the form, the schema’s first for a field', () => {
		expect(
			Object.entries(
				allErrors(
					schema,
					{ password: 'Too short', name: 'Enter your name' },
					{ topics: 'Later check', name: 'Ignored', form: 'Something went wrong' }
				)
			)
		).toEqual([
			['form', 'Something went wrong'],
			['name', 'Enter your name'],
			['password', 'Too short'],
			['topics', 'Later check']
		]);
	});
});
