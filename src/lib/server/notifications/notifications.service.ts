import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { readConfig } from '../config';
import { newId, nowIso } from '../ids';
import { enqueueMail } from '../mail/outbox';
import { assertCan, type Actor } from '../auth/auth.permissions';
import {
	DEFAULT_EMAIL_FREQUENCY,
	NOTIFICATION_KINDS,
	findKind,
	type NotificationKindKey
} from './notifications.kinds';
import { notificationMail, summaryMail, type NotificationsSite } from './notifications.mails';
import { canManageNotificationsOf } from './notifications.permissions';
import type { NotificationSettingsInput } from './notifications.schema';
import type { EmailFrequency, EmailState } from './notifications.tables';

/**
 * What a feature passes to `notify`.
 *
 * - `recipientId`: the member's account id (people without an account get no notifications).
 * - `kind`: a key registered in notifications.kinds.ts.
 * - `subjectKey`: what it is about, e.g. `event:<id>` or `comment:<id>`. While the member has
 *   not read it, more notifications of the same kind and subject become one, counted.
 * - `title`: one plain sentence for the member, e.g. `Sam replied to your comment on “Planning
 *   day”`. The latest one is shown when several are grouped.
 * - `url`: a path on this site (`/events/planning-day`), never one carrying a secret.
 * - `actorId`: who caused it; nobody is notified of what they did themselves.
 */
export interface NotifyInput {
	recipientId: string;
	kind: NotificationKindKey;
	subjectKey: string;
	title: string;
	url: string;
	actorId?: string | null;
}

/** What `notify` did, for specs and callers that count. */
export type NotifyOutcome = 'skipped' | 'site' | 'site-and-email' | 'email';

let mailSite: NotificationsSite | undefined;

/** The site that mails sent at once link to (hooks set it at start; otherwise the config's). */
export function setNotificationsSite(site: NotificationsSite): void {
	mailSite = site;
}

function siteForMail(): NotificationsSite {
	if (!mailSite) {
		const config = readConfig();
		mailSite = { siteName: config.siteName, origin: config.origin };
	}
	return mailSite;
}

/**
 * Tells a member of something, following their choices for its kind: a row on
 * /notifications, an email queued now, or a line in tomorrow's summary. Pass the caller's
 * transaction (or the database), so the notification exists if and only if the change does:
 *
 *     await notify(trx, { recipientId, kind: 'comment-reply', subjectKey: `comment:${id}`,
 *       title: `${name} replied to your comment on “${post}”`, url: `/posts/${slug}#c-${id}`,
 *       actorId: actor.id });
 */
export async function notify(
	db: Kysely<DB>,
	input: NotifyInput,
	now = nowIso()
): Promise<NotifyOutcome> {
	const kind = findKind(input.kind);
	if (!kind) throw new Error(`Unknown notification kind: ${input.kind}`);
	// Shown as a link: only a path on this site, never another site or a script.
	if (!/^\/(?![/\\])/.test(input.url)) throw new Error(`Not a path on this site: ${input.url}`);
	if (input.actorId && input.actorId === input.recipientId) return 'skipped';
	const member = await db
		.selectFrom('app_user as u')
		.leftJoin('notification_preference as p', (join) =>
			join.onRef('p.user_id', '=', 'u.id').on('p.kind', '=', kind.key)
		)
		.leftJoin('notification_setting as s', 's.user_id', 'u.id')
		.select(['u.id', 'u.name', 'u.email', 'p.site', 'p.email as by_email', 's.email_frequency'])
		.where('u.id', '=', input.recipientId)
		.executeTakeFirst();
	if (!member) return 'skipped';
	const onSite = member.site === null ? kind.defaults.site : member.site === 1;
	const byEmail = member.by_email === null ? kind.defaults.email : member.by_email === 1;
	if (!onSite && !byEmail) return 'skipped';
	const frequency = member.email_frequency ?? DEFAULT_EMAIL_FREQUENCY;
	const emailState: EmailState = !byEmail ? 'none' : frequency === 'daily' ? 'pending' : 'sent';
	// A row only for email, already sent, has nothing left to show or send: it is done.
	const readAt = !onSite && emailState !== 'pending' ? now : null;
	const row = await db
		.insertInto('notification')
		.values({
			id: newId(),
			recipient_id: input.recipientId,
			kind: kind.key,
			subject_key: input.subjectKey,
			title: input.title,
			url: input.url,
			actor_id: input.actorId ?? null,
			count: 1,
			on_site: onSite ? 1 : 0,
			email_state: emailState,
			read_at: readAt,
			created_at: now,
			updated_at: now
		})
		.onConflict((oc) =>
			oc
				.columns(['recipient_id', 'kind', 'subject_key'])
				.where('read_at', 'is', null)
				.doUpdateSet({
					count: sql<number>`notification.count + 1`,
					title: input.title,
					url: input.url,
					actor_id: input.actorId ?? null,
					on_site: onSite ? 1 : 0,
					read_at: readAt,
					updated_at: now,
					...(emailState === 'none' ? {} : { email_state: emailState })
				})
		)
		.returning(['count'])
		.executeTakeFirstOrThrow();
	if (emailState === 'sent') {
		await enqueueMail(
			db,
			notificationMail(
				siteForMail(),
				{ email: member.email, name: member.name, userId: member.id },
				{ kind: kind.key, title: input.title, url: input.url, count: Number(row.count) }
			)
		);
	}
	return onSite ? (emailState === 'none' ? 'site' : 'site-and-email') : 'email';
}

/** The header's number: one indexed count of a member's unread notifications. */
export async function countUnread(db: Kysely<DB>, userId: string): Promise<number> {
	const row = await db
		.selectFrom('notification')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('recipient_id', '=', userId)
		.where('read_at', 'is', null)
		.where('on_site', '=', 1)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

export const NOTIFICATIONS_PAGE_SIZE = 20;

export interface NotificationView {
	id: string;
	kind: string;
	title: string;
	url: string;
	count: number;
	/** "3 new replies", when several were grouped. */
	grouped: string | null;
	/** Unread until this view: shown as new. */
	isNew: boolean;
	updatedAt: string;
}

/**
 * A page of a member's notifications, newest first. The unread ones shown are marked read
 * (seen now), so the header's count goes down as the member reads.
 */
export async function viewNotifications(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	recipientId: string,
	page: number,
	now = nowIso()
): Promise<{ items: NotificationView[]; totalPages: number; unread: number }> {
	assertCan(canManageNotificationsOf(actor, recipientId), 'These notifications are not yours.');
	return db.transaction().execute(async (trx) => {
		const total = await trx
			.selectFrom('notification')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('recipient_id', '=', recipientId)
			.where('on_site', '=', 1)
			.executeTakeFirstOrThrow();
		const rows = await trx
			.selectFrom('notification')
			.select(['id', 'kind', 'title', 'url', 'count', 'read_at', 'updated_at'])
			.where('recipient_id', '=', recipientId)
			.where('on_site', '=', 1)
			.orderBy('updated_at', 'desc')
			.orderBy('id', 'desc')
			.limit(NOTIFICATIONS_PAGE_SIZE)
			.offset((page - 1) * NOTIFICATIONS_PAGE_SIZE)
			.execute();
		const unreadShown = rows.filter((r) => r.read_at === null).map((r) => r.id);
		if (unreadShown.length) await markRead(trx, recipientId, unreadShown, now);
		return {
			items: rows.map((r) => {
				const count = Number(r.count);
				return {
					id: r.id,
					kind: r.kind,
					title: r.title,
					url: r.url,
					count,
					grouped: count > 1 ? (findKind(r.kind)?.many(count) ?? null) : null,
					isNew: r.read_at === null,
					updatedAt: String(r.updated_at)
				};
			}),
			totalPages: Math.max(1, Math.ceil(Number(total.n) / NOTIFICATIONS_PAGE_SIZE)),
			unread: await countUnread(trx, recipientId)
		};
	});
}

/** Marks rows read (only the recipient's own). Seen on the site, they leave the summary too. */
async function markRead(db: Kysely<DB>, recipientId: string, ids: string[] | 'all', now: string) {
	let query = db
		.updateTable('notification')
		.set({
			read_at: now,
			email_state: sql<EmailState>`case when email_state = 'pending' then 'none' else email_state end`
		})
		.where('recipient_id', '=', recipientId)
		.where('read_at', 'is', null)
		.where('on_site', '=', 1);
	if (ids !== 'all') query = query.where('id', 'in', ids);
	const result = await query.executeTakeFirst();
	return Number(result.numUpdatedRows);
}

/** "Mark all read": every unread notification of the member's. */
export async function markAllRead(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	recipientId: string,
	now = nowIso()
): Promise<number> {
	assertCan(canManageNotificationsOf(actor, recipientId), 'These notifications are not yours.');
	return markRead(db, recipientId, 'all', now);
}

export interface NotificationSettingsView {
	frequency: EmailFrequency;
	kinds: Array<{ key: string; label: string; description: string; site: boolean; email: boolean }>;
}

/** A member's choices, each kind's default where they have not chosen. */
export async function viewNotificationSettings(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	userId: string
): Promise<NotificationSettingsView> {
	assertCan(canManageNotificationsOf(actor, userId), 'These settings are not yours.');
	const [choices, setting] = await Promise.all([
		db
			.selectFrom('notification_preference')
			.select(['kind', 'site', 'email'])
			.where('user_id', '=', userId)
			.execute(),
		db
			.selectFrom('notification_setting')
			.select('email_frequency')
			.where('user_id', '=', userId)
			.executeTakeFirst()
	]);
	const chosen = new Map(choices.map((c) => [c.kind, c]));
	return {
		frequency: setting?.email_frequency ?? DEFAULT_EMAIL_FREQUENCY,
		kinds: NOTIFICATION_KINDS.map((k) => {
			const c = chosen.get(k.key);
			return {
				key: k.key,
				label: k.label,
				description: k.description,
				site: c ? c.site === 1 : k.defaults.site,
				email: c ? c.email === 1 : k.defaults.email
			};
		})
	};
}

/** Saves a member's choices: each kind per channel, and how email comes. One transaction. */
export async function saveNotificationSettings(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	userId: string,
	input: NotificationSettingsInput,
	now = nowIso()
): Promise<void> {
	assertCan(canManageNotificationsOf(actor, userId), 'These settings are not yours.');
	const site = new Set(input.site);
	const email = new Set(input.email);
	await db.transaction().execute(async (trx) => {
		for (const k of NOTIFICATION_KINDS) {
			const values = { site: site.has(k.key) ? 1 : 0, email: email.has(k.key) ? 1 : 0 };
			await trx
				.insertInto('notification_preference')
				.values({ user_id: userId, kind: k.key, ...values, updated_at: now })
				.onConflict((oc) =>
					oc.columns(['user_id', 'kind']).doUpdateSet({ ...values, updated_at: now })
				)
				.execute();
		}
		await trx
			.insertInto('notification_setting')
			.values({
				user_id: userId,
				email_frequency: input.frequency,
				last_summary_at: null,
				updated_at: now
			})
			.onConflict((oc) =>
				oc.column('user_id').doUpdateSet({ email_frequency: input.frequency, updated_at: now })
			)
			.execute();
		// Rows waiting for a summary of a kind now switched off by email are not sent.
		const off = NOTIFICATION_KINDS.filter((k) => !email.has(k.key)).map((k) => k.key);
		if (off.length) {
			await trx
				.updateTable('notification')
				.set({ email_state: 'none' })
				.where('recipient_id', '=', userId)
				.where('email_state', '=', 'pending')
				.where('kind', 'in', off)
				.execute();
		}
	});
}

/** The hour (UTC) after which each day's summaries go out. */
export const SUMMARY_HOUR_UTC = 7;
const SUMMARY_BATCH = 200;

/** The latest summary time at or before `now`: today's at SUMMARY_HOUR_UTC, or yesterday's. */
export function summaryMoment(now: Date): string {
	const moment = new Date(
		Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), SUMMARY_HOUR_UTC)
	);
	if (moment > now) moment.setUTCDate(moment.getUTCDate() - 1);
	return moment.toISOString();
}

/**
 * Sends each member with notifications waiting one summary mail, at most once a day. Each
 * member's summary is claimed by a conditional update of their `last_summary_at` and their
 * rows by one from 'pending' to 'sent', in the mail's transaction: with several instances
 * (or a restart mid-run) nobody gets a summary twice or a notification in two summaries.
 */
export async function sendDailySummaries(
	db: Kysely<DB>,
	site: NotificationsSite,
	now = new Date()
): Promise<{ summaries: number }> {
	const moment = summaryMoment(now);
	const nowText = now.toISOString();
	let summaries = 0;
	let after = '';
	for (;;) {
		const due = await db
			.selectFrom('notification as n')
			.leftJoin('notification_setting as s', 's.user_id', 'n.recipient_id')
			.select('n.recipient_id')
			.distinct()
			.where('n.email_state', '=', 'pending')
			.where('n.recipient_id', '>', after)
			.where((eb) =>
				eb.or([eb('s.last_summary_at', 'is', null), eb('s.last_summary_at', '<', moment)])
			)
			.orderBy('n.recipient_id')
			.limit(SUMMARY_BATCH)
			.execute();
		for (const { recipient_id } of due) {
			if (await sendSummaryTo(db, site, recipient_id, moment, nowText)) summaries++;
		}
		if (due.length < SUMMARY_BATCH) break;
		after = due.at(-1)!.recipient_id;
	}
	return { summaries };
}

async function sendSummaryTo(
	db: Kysely<DB>,
	site: NotificationsSite,
	userId: string,
	moment: string,
	now: string
): Promise<boolean> {
	return db.transaction().execute(async (trx) => {
		await trx
			.insertInto('notification_setting')
			.values({
				user_id: userId,
				email_frequency: DEFAULT_EMAIL_FREQUENCY,
				last_summary_at: null,
				updated_at: now
			})
			.onConflict((oc) => oc.column('user_id').doNothing())
			.execute();
		const claimed = await trx
			.updateTable('notification_setting')
			.set({ last_summary_at: now })
			.where('user_id', '=', userId)
			.where((eb) => eb.or([eb('last_summary_at', 'is', null), eb('last_summary_at', '<', moment)]))
			.executeTakeFirst();
		if (Number(claimed.numUpdatedRows) === 0) return false;
		const rows = await trx
			.updateTable('notification')
			.set({
				email_state: 'sent',
				// A row only waiting for email (site off) is done once mailed.
				read_at: sql<string | null>`case when on_site = 0 then ${now} else read_at end`
			})
			.where('recipient_id', '=', userId)
			.where('email_state', '=', 'pending')
			.returning(['kind', 'title', 'url', 'count', 'updated_at'])
			.execute();
		if (!rows.length) return false;
		const member = await trx
			.selectFrom('app_user')
			.select(['id', 'name', 'email'])
			.where('id', '=', userId)
			.executeTakeFirstOrThrow();
		rows.sort((a, b) => String(b.updated_at).localeCompare(String(a.updated_at)));
		await enqueueMail(
			trx,
			summaryMail(
				site,
				{ email: member.email, name: member.name, userId: member.id },
				rows.map((r) => ({ kind: r.kind, title: r.title, url: r.url, count: Number(r.count) }))
			)
		);
		return true;
	});
}
