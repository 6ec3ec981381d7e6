import type { Insertable, Selectable, Updateable } from 'kysely';
import type { AuthTables } from '../auth/auth.tables';
import type { MailTables } from '../mail/mail.tables';
import type { ProfilesTables } from '../profiles/profiles.tables';
import type { OrganisationsTables } from '../organisations/organisations.tables';
import type { AuditTables } from '../audit/audit.tables';
import type { EventsTables } from '../events/events.tables';
import type { AssessmentsTables } from '../assessments/assessments.tables';
import type { UploadsTables } from '../uploads/uploads.tables';
import type { UpdatesTables } from '../updates/updates.tables';
import type { PostsTables } from '../posts/posts.tables';
import type { NotificationsTables } from '../notifications/notifications.tables';
import type { DigestTables } from '../updates/digest.tables';
import type { VideosTables } from '../videos/videos.tables';
import type { CommentsTables } from '../comments/comments.tables';
import type { ModerationTables } from '../moderation/moderation.tables';
import type { LibraryTables } from '../library/library.tables';
import type { CaseStudiesTables } from '../library/case-studies.tables';
import type { PilotsTables } from '../pilots/pilots.tables';
import type { IdeasTables } from '../ideas/ideas.tables';
import type { ChampionsTables } from '../champions/champions.tables';
import type { StatementsTables } from '../statements/statements.tables';
import type { DecisionsTables } from '../decisions/decisions.tables';
import type { EnquiriesTables } from '../enquiries/enquiries.tables';
import type { SearchTables } from '../search/search.tables';

/**
 * The database's tables as TypeScript sees them. Timestamps are ISO-8601 UTC strings and
 * flags are 0/1 integers on both engines (see migrations/helpers.ts). Each feature declares
 * its own tables in `<feature>/<feature>.tables.ts` and adds them to `DB` below.
 */
export interface InstanceSettingTable {
	key: string;
	value: string;
}

export interface ContentVersionTable {
	id: number;
	version: number;
}

export interface RateLimitTable {
	key: string;
	count: number;
	window_started_at: string;
}

export type RateLimit = Selectable<RateLimitTable>;
export type NewRateLimit = Insertable<RateLimitTable>;
export type RateLimitUpdate = Updateable<RateLimitTable>;

export interface FoundationTables {
	instance_setting: InstanceSettingTable;
	content_version: ContentVersionTable;
	rate_limit: RateLimitTable;
}

/** Every table. A new feature adds its `…Tables` interface here. */
export type DB = FoundationTables &
	AuthTables &
	MailTables &
	ProfilesTables &
	OrganisationsTables &
	AuditTables &
	EventsTables &
	AssessmentsTables &
	UploadsTables &
	UpdatesTables &
	PostsTables &
	NotificationsTables &
	DigestTables &
	VideosTables &
	CommentsTables &
	ModerationTables &
	LibraryTables &
	CaseStudiesTables &
	PilotsTables &
	ChampionsTables &
	IdeasTables &
	StatementsTables &
	DecisionsTables &
	EnquiriesTables &
	SearchTables;
