import type { SharedPageRule } from '../cache/shared-pages';

/**
 * The comparison of two versions (`/statement/compare?from=&to=`) for signed-in members: it has
 * nothing of the member's own but the header, and versions never change, so every plain member
 * gets one shared render (cache/shared-pages.ts), dropped with the page cache when content
 * changes. Visitors get it from the page cache.
 */
export const statementComparisonRule: SharedPageRule = {
	routeId: '/statement/compare',
	acceptsQuery: (search) => {
		for (const key of search.keys()) if (key !== 'from' && key !== 'to') return false;
		return true;
	},
	fits: async () => true,
	own: () => ({ key: '', fill: (html) => html })
};
