import {
	appUser,
	authAccount,
	authSession,
	authVerification,
	rateLimit
} from './registrations/accounts';
import { auditLog } from './registrations/audit';
import { mailOutbox } from './registrations/mail';
import {
	organisation,
	organisationInvite,
	organisationMember
} from './registrations/organisations';
import { profile } from './registrations/profiles';
import { EVENTS_PERSONAL_DATA } from '../events/events.personal-data';
import { ASSESSMENTS_PERSONAL_DATA } from '../assessments/assessments.personal-data';
import { UPDATES_PERSONAL_DATA } from '../updates/updates.personal-data';
import { NOTIFICATIONS_PERSONAL_DATA } from '../notifications/notifications.personal-data';
import { VIDEOS_PERSONAL_DATA } from '../videos/videos.personal-data';
import { COMMENTS_PERSONAL_DATA } from '../comments/comments.personal-data';
import { MODERATION_PERSONAL_DATA } from '../moderation/moderation.personal-data';
import { POSTS_PERSONAL_DATA } from '../posts/posts.personal-data';
import { LIBRARY_PERSONAL_DATA } from '../library/library.personal-data';
import { PILOTS_PERSONAL_DATA } from '../pilots/pilots.personal-data';
import { CHAMPIONS_PERSONAL_DATA } from '../champions/champions.personal-data';
import { IDEAS_PERSONAL_DATA } from '../ideas/ideas.personal-data';
import { STATEMENTS_PERSONAL_DATA } from '../statements/statements.personal-data';
import { DECISIONS_PERSONAL_DATA } from '../decisions/decisions.personal-data';
import { REPORT_PERSONAL_DATA } from '../enquiries/report.personal-data';
import { CODING_PERSONAL_DATA } from '../enquiries/coding.personal-data';
import { ENQUIRIES_CORE_PERSONAL_DATA } from '../enquiries/enquiries.personal-data';
import type { PersonalDataRegistration } from './your-data.types';

/**
 * Every table that holds data about a person, and what "download my data" and "delete my
 * account" do with it. A new feature with such a table writes a `PersonalDataRegistration`
 * (see events/events.personal-data.ts) and adds it here; your-data.registry.spec.ts fails until it
 * does. Erasures run in this order, inside one transaction; app_user always goes last.
 */
export const PERSONAL_DATA: readonly PersonalDataRegistration[] = [
	// Organisations first: handing an organisation on needs to see who belongs to it.
	organisation,
	organisationMember,
	organisationInvite,
	// Events next: cancelling a host's events writes to the people registered for them.
	...EVENTS_PERSONAL_DATA,
	// Assessments before ownership goes: an assessment only its leaving owner had is theirs.
	...ASSESSMENTS_PERSONAL_DATA,
	...UPDATES_PERSONAL_DATA,
	...NOTIFICATIONS_PERSONAL_DATA,
	// Videos before posts: removing a post's video removes its file, which the post's row cascade
	// would not.
	...VIDEOS_PERSONAL_DATA,
	// Comments before the posts they hang on (the posts feature may remove those).
	...COMMENTS_PERSONAL_DATA,
	...MODERATION_PERSONAL_DATA,
	// Posts before the account: kept ones lose their author's name, removed ones their images.
	...POSTS_PERSONAL_DATA,
	// Case studies: named people's rows go; written ones are removed or kept without a name.
	...LIBRARY_PERSONAL_DATA,
	// Pilots: an owner hands over to their team before their own places on teams go.
	...PILOTS_PERSONAL_DATA,
	// Champions: requests asked, words on others' requests, then the offer itself.
	...CHAMPIONS_PERSONAL_DATA,
	// Ideas: comments and supports go; ideas are removed or kept without a name.
	...IDEAS_PERSONAL_DATA,
	// The shared statement: talk and support, then amendments and endorsements; it stays.
	...STATEMENTS_PERSONAL_DATA,
	// Decisions: responses to open ones go; closed ones keep their counts without the name.
	...DECISIONS_PERSONAL_DATA,
	// Enquiry reports (part C): the report stays with its enquiry, without the editor's name.
	...REPORT_PERSONAL_DATA,
	// Enquiries, coding: memos removed or kept without a name; the analysis kept without names.
	...CODING_PERSONAL_DATA,
	// Enquiries (core): off every team (the lead handed on), names unset on what they recorded.
	...ENQUIRIES_CORE_PERSONAL_DATA,
	profile,
	mailOutbox,
	auditLog,
	authSession,
	authAccount,
	authVerification,
	rateLimit,
	appUser
];
