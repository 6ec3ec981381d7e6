import type { SearchRegistration } from '../search/search.registry';
import { assertDistinctKinds } from '../search/search.registry';
import { DECISION_SEARCH } from '../decisions/decisions.search';
import { ENQUIRY_SEARCH } from '../enquiries/enquiries.search';
import { IDEA_SEARCH } from '../ideas/ideas.search';
import { STATEMENT_SEARCH } from '../statements/statements.search';

/**
 * Every kind of thing a person can find with search, and so everything `search:reindex`
 * rebuilds. A feature writes a `SearchRegistration` in its own `*.search.ts` (see
 * events/events.search.ts), refreshes its documents in the transaction of each change, and adds
 * the registration here. The order is the order of the type filter on /search.
 */
export const SEARCH_REGISTRATIONS: readonly SearchRegistration<any>[] = [
	// Deciding together
	STATEMENT_SEARCH,
	IDEA_SEARCH,
	DECISION_SEARCH,
	ENQUIRY_SEARCH
];

assertDistinctKinds(SEARCH_REGISTRATIONS);
