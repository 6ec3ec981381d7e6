import type { Migration } from 'kysely';
import * as foundation from './2026-11-26-01-foundation';
import * as accounts from './2026-11-26-02-accounts';
import * as mail from './2026-11-26-03-mail';
import * as profilesOrganisations from './2026-11-26-04-profiles-organisations';
import * as admin from './2026-11-26-05-admin';
import * as events from './2026-11-26-06-events';
import * as assessments from './2026-11-26-07-assessments';
import * as assessmentOwnerInvitations from './2026-11-26-08-assessment-owner-invitations';
import * as signInNotifications from './2026-11-26-09-sign-in-notifications';
import * as mailClaims from './2026-12-02-01-mail-claims';
import * as eventListIndexes from './2026-12-02-02-event-list-indexes';
import * as pictures from './2026-12-02-12-pictures';
import * as formatLooks from './2026-12-02-13-format-looks';
import * as mailAtRest from './2026-12-02-16-mail-at-rest';
import * as updates from './2026-12-02-17-updates';
import * as updatesImport from './2026-12-02-18-updates-import';
import * as announcements from './2026-12-02-19-announcements';
import * as digest from './2026-12-03-20-digest';
import * as notifications from './2026-12-03-21-notifications';
import * as posts from './2026-12-03-22-posts';
import * as commentsModeration from './2026-12-03-23-comments-moderation';
import * as videos from './2026-12-03-24-videos';
import * as libraryVocabulary from './2026-12-03-25-library-vocabulary';
import * as caseStudies from './2026-12-03-26-case-studies';
import * as pilots from './2026-12-03-27-pilots';
import * as blogRest from './2026-12-03-28-blog-rest';
import * as champions from './2026-12-03-29-champions';
import * as decisions from './2026-12-03-30-decisions';
import * as statements from './2026-12-03-31-statements';
import * as ideas from './2026-12-03-32-ideas';
import * as enquiries from './2026-12-03-33-enquiries';
import * as enquiriesCoding from './2026-12-03-35-enquiries-coding';
import * as search from './2026-12-03-37-search';
import * as searchVisibleFrom from './2026-12-03-38-search-visible-from';
import * as searchPrefixes from './2026-12-03-39-search-prefixes';
import * as searchTitleIndex from './2026-12-03-40-search-title-index';
import * as searchFacets from './2026-12-03-41-search-facets';

/**
 * Every migration, by dated name. Listed by hand (not read from disk) so the same list works in
 * the built server, the CLI and the tests. Add new ones at the end; never edit an old one.
 */
export const migrations: Record<string, Migration> = {
	'2026-11-26-01-foundation': foundation,
	'2026-11-26-02-accounts': accounts,
	'2026-11-26-03-mail': mail,
	'2026-11-26-04-profiles-organisations': profilesOrganisations,
	'2026-11-26-05-admin': admin,
	'2026-11-26-06-events': events,
	'2026-11-26-07-assessments': assessments,
	'2026-11-26-08-assessment-owner-invitations': assessmentOwnerInvitations,
	'2026-11-26-09-sign-in-notifications': signInNotifications,
	'2026-12-02-01-mail-claims': mailClaims,
	'2026-12-02-02-event-list-indexes': eventListIndexes,
	'2026-12-02-12-pictures': pictures,
	'2026-12-02-13-format-looks': formatLooks,
	'2026-12-02-16-mail-at-rest': mailAtRest,
	'2026-12-02-17-updates': updates,
	'2026-12-02-18-updates-import': updatesImport,
	'2026-12-02-19-announcements': announcements,
	'2026-12-03-20-digest': digest,
	'2026-12-03-21-notifications': notifications,
	'2026-12-03-22-posts': posts,
	'2026-12-03-23-comments-moderation': commentsModeration,
	'2026-12-03-24-videos': videos,
	'2026-12-03-25-library-vocabulary': libraryVocabulary,
	'2026-12-03-26-case-studies': caseStudies,
	'2026-12-03-27-pilots': pilots,
	'2026-12-03-28-blog-rest': blogRest,
	'2026-12-03-29-champions': champions,
	'2026-12-03-30-decisions': decisions,
	'2026-12-03-31-statements': statements,
	'2026-12-03-32-ideas': ideas,
	'2026-12-03-33-enquiries': enquiries,
	'2026-12-03-35-enquiries-coding': enquiriesCoding,
	'2026-12-03-37-search': search,
	'2026-12-03-38-search-visible-from': searchVisibleFrom,
	'2026-12-03-39-search-prefixes': searchPrefixes,
	'2026-12-03-40-search-title-index': searchTitleIndex,
	'2026-12-03-41-search-facets': searchFacets
};
