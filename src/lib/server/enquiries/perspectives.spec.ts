import { describe, expect, it } from 'vitest';
import { attributeQuote, type Speaker } from './perspectives';

const priya: Speaker = {
	label: 'Priya',
	perspective: 'carer',
	consent_take_part: 1,
	consent_quote: 'name',
	withdrawn_at: null
};

describe('attributing a quote', () => {
	it('follows the speaker’s consent, and refuses when there is none', () => {
		expect(attributeQuote(priya)).toBe('Priya, a carer');
		expect(attributeQuote({ ...priya, consent_quote: 'perspective' })).toBe('a carer');
		expect(attributeQuote({ ...priya, consent_quote: 'none' })).toBeNull();
		expect(attributeQuote({ ...priya, consent_take_part: 0 })).toBeNull();
		expect(attributeQuote({ ...priya, withdrawn_at: '2026-12-03T10:00:00.000Z' })).toBeNull();
	});
});
