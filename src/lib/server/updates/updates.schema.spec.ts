import { describe, expect, it } from 'vitest';
import { parseForm, toFormData } from '../forms';
import { TOPIC_LIST_FIELDS, signUpForUpdatesSchema } from './updates.schema';

function signUp(values: Record<string, string | string[]>) {
	return parseForm(signUpForUpdatesSchema, toFormData(values), { listFields: TOPIC_LIST_FIELDS });
}

describe('the sign-up form', () => {
	it('takes an address and one or more topics, lower-cased and trimmed', () => {
		const form = signUp({ email: '  Ada@Example.TEST ', topics: ['events', 'announcements'] });
		expect(form).toMatchObject({
			ok: true,
			data: { email: 'ada@example.test', topics: ['events', 'announcements'] }
		});
		expect(signUp({ email: 'ada@example.test', topics: 'events' })).toMatchObject({
			ok: true,
			data: { topics: ['events'] }
		});
	});

	it('refuses malformed and hostile addresses with a message beside the field, keeping them', () => {
		for (const email of [
			'',
			'ada',
			'ada@',
			'@example.test',
			'ada@example.test\r\nBcc: eve@example.test',
			'"><script>alert(1)</script>@example.test',
			'ada@example.test, eve@example.test',
			`${'a'.repeat(250)}@example.test`
		]) {
			const form = signUp({ email, topics: ['events'] });
			expect(form.ok, email).toBe(false);
			if (form.ok) continue;
			expect(form.errors.email, email).toMatch(/^(Enter|Email address must)/);
			expect(form.values.email).toBe(email);
		}
	});

	it('asks for a topic when none is chosen, keeping the address', () => {
		const form = signUp({ email: 'ada@example.test' });
		expect(form).toMatchObject({
			ok: false,
			errors: { topics: 'Choose at least one topic, so we know what to send you' },
			values: { email: 'ada@example.test' }
		});
	});
});
