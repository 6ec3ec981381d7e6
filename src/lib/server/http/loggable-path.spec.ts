import { describe, expect, it } from 'vitest';
import { loggablePath } from './loggable-path';

describe('loggablePath', () => {
	it('leaves out private codes and emailed tokens', () => {
		expect(loggablePath('/assessments/respond/tXIR9h75abc')).toBe('/assessments/respond/…');
		expect(loggablePath('/assessments/respond/tXIR9h75abc/__data.json')).toBe(
			'/assessments/respond/…/__data.json'
		);
		expect(loggablePath('/assessments/answer/invitation/secret-token')).toBe(
			'/assessments/answer/invitation/…'
		);
		expect(loggablePath('/assessments/answer/share-code')).toBe('/assessments/answer/…');
		expect(loggablePath('/events/places/abc.def')).toBe('/events/places/…');
		expect(loggablePath('/organisations/invites/tok')).toBe('/organisations/invites/…');
	});

	it('keeps every other path as it is', () => {
		expect(loggablePath('/assessments/abc/results')).toBe('/assessments/abc/results');
		expect(loggablePath('/events/123')).toBe('/events/123');
		expect(loggablePath('/')).toBe('/');
	});
});
