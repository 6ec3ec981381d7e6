import type { SearchRegistration } from '../search/search.registry';
import { assertDistinctKinds } from '../search/search.registry';
import { EVENT_SEARCH, TALK_SEARCH } from '../events/events.search';
import { ORGANISATION_SEARCH } from '../organisations/organisations.search';
import { PROFILE_SEARCH } from '../profiles/profiles.search';
import { CHAMPION_SEARCH } from '../champions/champions.search';
import { CASE_STUDY_SEARCH } from '../library/case-studies.search';
import { PILOT_SEARCH } from '../pilots/pilots.search';
import { POST_SEARCH } from '../posts/posts.search';
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
	EVENT_SEARCH,
	TALK_SEARCH,
	ORGANISATION_SEARCH,
	PROFILE_SEARCH,
	// Writing and practice
	POST_SEARCH,
	CASE_STUDY_SEARCH,
	PILOT_SEARCH,
	CHAMPION_SEARCH,
	// Deciding together
	STATEMENT_SEARCH,
	IDEA_SEARCH,
	DECISION_SEARCH,
	ENQUIRY_SEARCH
];

assertDistinctKinds(SEARCH_REGISTRATIONS);
