import { describe, expect, it } from 'vitest';
import { agree, plural } from './plural';

describe('plural', () => {
	it('uses the singular for exactly one, and the plural for none and for many', () => {
		expect(plural(1, 'event', 'events')).toBe('1 event');
		expect(plural(0, 'event', 'events')).toBe('0 events');
		expect(plural(2, 'person', 'people')).toBe('2 people');
		expect(plural(1, 'person', 'people')).toBe('1 person');
	});

	it('groups thousands', () => {
		expect(plural(12_000, 'place', 'places')).toBe('12,000 places');
	});

	it('picks the word that agrees with the count', () => {
		expect(`${plural(1, 'person', 'people')} ${agree(1, 'matches', 'match')}`).toBe(
			'1 person matches'
		);
		expect(`${plural(3, 'person', 'people')} ${agree(3, 'matches', 'match')}`).toBe(
			'3 people match'
		);
	});
});
