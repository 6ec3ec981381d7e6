import { z } from 'zod';
import { ROLES } from '../auth/auth.types';

/** How many rows a page of the people list or the audit log shows. */
export const PER_PAGE = 25;

/** A page number from the address bar; anything odd means page 1. */
const pageNumber = z.coerce.number().int().min(1).max(1_000_000).catch(1);

/** How much of a search the people list uses. */
export const PEOPLE_SEARCH_MAX = 100;

/**
 * The people list's filters, read from the query string. Unknown or odd values fall back to
 * "no filter" rather than an error: a hand-edited address should still show a list.
 */
export const peopleFilterSchema = z.object({
	page: pageNumber,
	// Searched for its first 100 characters; the page keeps and shows all that was typed.
	search: z
		.string()
		.catch('')
		.transform((s) => s.trim().slice(0, PEOPLE_SEARCH_MAX) || undefined),
	role: z.enum(ROLES).optional().catch(undefined)
});
export type PeopleFilter = z.output<typeof peopleFilterSchema>;

export const pageSchema = z.object({ page: pageNumber });

/** The "change role" form on the people list and a person's page. */
export const changeRoleSchema = z.object({
	userId: z.string().trim().min(1, 'Choose a person').max(100),
	role: z.enum(ROLES, { error: 'Choose a role' })
});
export type ChangeRoleInput = z.output<typeof changeRoleSchema>;

/** The query string as a plain object zod can read (the first value of each name). */
export function queryValues(params: URLSearchParams): Record<string, string> {
	const values: Record<string, string> = {};
	for (const [name, value] of params) values[name] ??= value;
	return values;
}
