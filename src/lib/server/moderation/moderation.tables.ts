import type { Insertable, Selectable } from 'kysely';

/**
 * What can be reported: a blog post, a comment on one, a post's video, a comment on an idea, and
 * a comment on an amendment to the shared statement. Posts and blog comments carry their own
 * `hidden_at`; the others are hidden through `moderation_item.hidden_at` alone.
 */
export const REPORTABLE_KINDS = [
	'post',
	'comment',
	'video',
	'idea-comment',
	'amendment-comment'
] as const;
export type ReportableKind = (typeof REPORTABLE_KINDS)[number];

export const REPORT_REASONS = ['spam', 'offensive', 'personal-information', 'other'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

export type ModerationDecision = 'hidden' | 'restored' | 'dismissed' | 'warned';

export interface ContentReportTable {
	id: string;
	kind: ReportableKind;
	target_id: string;
	reporter_id: string;
	reason: ReportReason;
	note: string | null;
	created_at: string;
	resolved_at: string | null;
}

export interface ModerationItemTable {
	kind: ReportableKind;
	target_id: string;
	author_id: string | null;
	status: 'open' | 'decided';
	hidden_at: string | null;
	open_reports: number;
	last_reported_at: string;
	decision: ModerationDecision | null;
	decided_by: string | null;
	decided_at: string | null;
}

export interface PostingSuspensionTable {
	id: string;
	user_id: string;
	ends_at: string;
	created_by: string | null;
	created_at: string;
}

export type ContentReport = Selectable<ContentReportTable>;
export type NewContentReport = Insertable<ContentReportTable>;
export type ModerationItem = Selectable<ModerationItemTable>;
export type PostingSuspension = Selectable<PostingSuspensionTable>;

export interface ModerationTables {
	content_report: ContentReportTable;
	moderation_item: ModerationItemTable;
	posting_suspension: PostingSuspensionTable;
}
