import { plural } from '$lib/plural';

/**
 * The kinds of notification members can get, and what each starts as. A feature adds its kind
 * here (one entry) and calls `notify` from notifications.service.ts inside its own transaction.
 * Members switch each kind on or off per channel at /account/notifications; a member with no
 * choice saved gets `defaults`.
 */
export interface NotificationKind {
	/** Stored in the database: never rename one. */
	key: string;
	/** For the settings page, e.g. "Replies to your comments". */
	label: string;
	/** One plain sentence under the label: when it comes. */
	description: string;
	/** How several grouped notifications read, e.g. "3 new replies". */
	many(count: number): string;
	/**
	 * What a member gets until they choose. Site on for every kind. Email off where the feature
	 * already sends its own email about the same thing (nobody gets two mails for one change).
	 */
	defaults: { site: boolean; email: boolean };
}

export const NOTIFICATION_KINDS = [
	{
		key: 'comment-reply',
		label: 'Replies to your comments',
		description: 'When someone replies to a comment you wrote.',
		many: (n) => plural(n, 'new reply', 'new replies'),
		defaults: { site: true, email: true }
	},
	{
		key: 'content-decision',
		label: 'Decisions on what you posted',
		description:
			'When a curator approves, hides or restores something you posted. The curator’s reasons always come by email too.',
		many: (n) => plural(n, 'decision', 'decisions'),
		// Moderation and post reviews email their reasons themselves, so no second email.
		defaults: { site: true, email: false }
	},
	{
		key: 'event-changed',
		label: 'Changes to events you registered for',
		description:
			'When an event you have a place at, or are waiting for, changes its time or place. The event also emails you each change.',
		many: (n) => plural(n, 'change', 'changes'),
		defaults: { site: true, email: false }
	},
	{
		key: 'event-cancelled',
		label: 'Events you registered for being cancelled',
		description:
			'When an event you have a place at, or are waiting for, is cancelled. The event also emails you.',
		many: (n) => plural(n, 'cancellation', 'cancellations'),
		defaults: { site: true, email: false }
	},
	{
		key: 'talk-decision',
		label: 'Decisions on talks you offered',
		description: 'When the host accepts or declines a talk you offered. The event also emails you.',
		many: (n) => plural(n, 'decision', 'decisions'),
		defaults: { site: true, email: false }
	},
	{
		key: 'champion-request',
		label: 'Ask a champion',
		description:
			'When someone asks you as a champion, when a request you made or hold changes, and when curators decide on your offer to be a champion. A new request to you always comes by email too.',
		many: (n) => plural(n, 'update on a request', 'updates on requests'),
		// A new request is emailed by the champions feature itself, so no second email.
		defaults: { site: true, email: false }
	},
	{
		key: 'invitation',
		label: 'Invitations',
		description:
			'When someone invites you to join an organisation or to run a co-production check with them. The invitation itself comes by email too.',
		many: (n) => plural(n, 'invitation', 'invitations'),
		defaults: { site: true, email: false }
	},
	{
		key: 'case-study-involvement',
		label: 'Being named in a case study',
		description:
			'When someone names you as involved in a case study and asks whether your name may be shown.',
		many: (n) => plural(n, 'case study', 'case studies'),
		defaults: { site: true, email: true }
	},
	{
		key: 'pilot-entry',
		label: 'New entries in pilots you follow',
		description:
			'When the team of a pilot you follow writes a new entry in its log. You stop hearing if you can no longer read the pilot.',
		many: (n) => plural(n, 'new entry', 'new entries'),
		defaults: { site: true, email: true }
	},
	{
		key: 'idea-support',
		label: 'Support for your ideas',
		description: 'When someone adds their support to an idea you posted.',
		many: (n) => plural(n, 'new supporter', 'new supporters'),
		// A popular idea could bring many in a day: shown on the site, not emailed, unless asked.
		defaults: { site: true, email: false }
	},
	{
		key: 'idea-comment',
		label: 'Comments on your ideas',
		description: 'When someone comments on an idea you posted.',
		many: (n) => plural(n, 'new comment', 'new comments'),
		defaults: { site: true, email: true }
	},
	{
		key: 'idea-stage',
		label: 'Ideas you posted or support moving on',
		description:
			'When an idea you posted or support moves to another stage (gathering support, happening, done or not now), with the note saying why.',
		many: (n) => plural(n, 'change', 'changes'),
		defaults: { site: true, email: true }
	},
	{
		key: 'statement-amendment',
		label: 'Your amendments to the shared statement',
		description:
			'When an amendment you proposed is agreed (and in a new version), not agreed, or outdated because its clause changed.',
		many: (n) => plural(n, 'amendment decided', 'amendments decided'),
		// A few a year at most, and the author waits for them: worth an email.
		defaults: { site: true, email: true }
	},
	{
		key: 'statement-version',
		label: 'New versions of the shared statement you endorsed',
		description:
			'When the shared statement you (or an organisation you signed for) endorsed has a new version, so you can endorse it again.',
		many: (n) => plural(n, 'new version', 'new versions'),
		// Rare, and the endorsement of the newest version depends on it.
		defaults: { site: true, email: true }
	},
	{
		key: 'decision-invited',
		label: 'Decisions you are asked to take part in',
		description:
			'When a decision is put to you: to all members, your organisation, an event you registered for, or a group you were named in.',
		many: (n) => plural(n, 'decision to take part in', 'decisions to take part in'),
		// A decision to all members reaches everyone: the daily summary carries it, not a mail each.
		defaults: { site: true, email: true }
	},
	{
		key: 'decision-reminder',
		label: 'Reminders to respond to a decision',
		description:
			'Once, a day before a decision you were asked to take part in closes, if you have not responded yet.',
		many: (n) => plural(n, 'decision closing soon', 'decisions closing soon'),
		// Sent at most once per decision, and its whole point is to reach people not on the site.
		defaults: { site: true, email: true }
	},
	{
		key: 'decision-outcome',
		label: 'Outcomes of decisions',
		description: 'When the outcome of a decision you were asked to take part in is published.',
		many: (n) => plural(n, 'outcome', 'outcomes'),
		defaults: { site: true, email: true }
	}
] as const satisfies readonly NotificationKind[];

export type NotificationKindKey = (typeof NOTIFICATION_KINDS)[number]['key'];

export const KIND_KEYS: readonly NotificationKindKey[] = NOTIFICATION_KINDS.map((k) => k.key);

/** The kind with this key, or undefined (rows of a kind since removed still show). */
export function findKind(key: string): NotificationKind | undefined {
	return NOTIFICATION_KINDS.find((k) => k.key === key);
}

/** Email at once or in one daily summary: daily until a member chooses, so nobody is flooded. */
export const EMAIL_FREQUENCIES = ['immediate', 'daily'] as const;
export const DEFAULT_EMAIL_FREQUENCY = 'daily';
