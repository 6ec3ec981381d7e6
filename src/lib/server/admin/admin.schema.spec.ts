import { describe, expect, it } from 'vitest';
import { PEOPLE_SEARCH_MAX, peopleFilterSchema } from './admin.schema';

describe("the people list's filters", () => {
	it('searches for the first 100 characters of a long search, rather than dropping it', () => {
		const long = `priya ${'x'.repeat(150)}`;
		expect(peopleFilterSchema.parse({ search: `  ${long}  ` }).search).toBe(
			long.slice(0, PEOPLE_SEARCH_MAX)
		);
		expect(peopleFilterSchema.parse({ search: '   ' }).search).toBeUndefined();
		expect(peopleFilterSchema.parse({ search: ['a', 'b'] }).search).toBeUndefined();
	});
});
