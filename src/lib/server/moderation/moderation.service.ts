import type { Kysely, Transaction } from 'kysely';
import { recordAudit } from '../audit/audit.service';
import { assertCan, type Actor } from '../auth/auth.permissions';
import { changeContent } from '../cache/content-version';
import type { DB } from '../db/schema';
import { newId, nowIso } from '../ids';
import { enqueueMail } from '../mail/outbox';
import { notify } from '../notifications/notifications.service';
import { refreshPostSearch } from '../posts/posts.search';
import { consumeRateLimit, type RateLimitRule } from '../rate-limit/rate-limit.service';
import { Refusal, refusable } from '../refusals';
import { decisionMail, type ModerationSite } from './moderation.mails';
import { canModerate, canReport } from './moderation.permissions';
import {
	countOpenItems,
	countOpenReporters,
	findItem,
	findReportTarget,
	findSuspensionEnd,
	findHiddenAmong,
	findTargetsForQueue,
	findUserContact,
	insertReport,
	insertSuspension,
	listOpenItems,
	listOpenReportsFor,
	recordDecision,
	recordReportOnItem,
	isHiddenItem,
	setHidden
} from './moderation.repository';
import type { DecisionInput, ReportInput, SuspensionInput } from './moderation.schema';
import { readHideAfterReports } from './moderation.settings';
import type { ModerationDecision, ReportableKind, ReportReason } from './moderation.tables';

/** Reports one person may send: 20 an hour. */
export const REPORT_RATE: RateLimitRule = { limit: 20, windowSeconds: 3600 };
export const QUEUE_PAGE_SIZE = 20;

export type ReportRefusal = 'not-found' | 'already-reported' | 'rate-limited';

/** What the person is told, per reason. */
export const REPORT_REFUSALS: Record<ReportRefusal, string> = {
	'not-found': 'We could not find that. It may have been deleted.',
	'already-reported':
		'You have already reported this. Thank you: a curator will look at it. You do not need to report it again.',
	'rate-limited':
		'You have sent a lot of reports in a short time. Please wait an hour and try again.'
};

const MAY_NOT_REPORT = 'Sign in to report something.';
const MAY_NOT_MODERATE = 'Only curators can moderate.';

const findTarget = findReportTarget;

/** Whether a curator or enough reports have hidden this video (the post page leaves it out). */
export function isVideoHidden(db: Kysely<DB>, videoId: string): Promise<boolean> {
	return isHiddenItem(db, 'video', videoId);
}

type ModeratedCommentKind = 'idea-comment' | 'amendment-comment';

/** Whether moderation has hidden this comment on an idea or an amendment (its author may not edit it). */
export function isCommentHidden(
	db: Kysely<DB> | Transaction<DB>,
	kind: ModeratedCommentKind,
	id: string
): Promise<boolean> {
	return isHiddenItem(db, kind, id);
}

/**
 * Of these comments of one kind (on ideas, on amendments), the ones moderation has hidden: their
 * pages show a line saying so in place of the words. One query.
 */
export function hiddenByModeration(
	db: Kysely<DB> | Transaction<DB>,
	kind: ModeratedCommentKind,
	ids: readonly string[]
): Promise<Set<string>> {
	return findHiddenAmong(db, kind, ids);
}

/** What the report page shows about the thing being reported. */
export async function findReportable(
	db: Kysely<DB>,
	kind: ReportableKind,
	id: string,
	now = nowIso()
): Promise<{ title: string; path: string } | undefined> {
	if (!/^[A-Za-z0-9_-]{1,40}$/.test(id)) return undefined;
	const target = await findTarget(db, kind, id, now);
	return target?.public && target.path ? { title: target.title, path: target.path } : undefined;
}

/** Hides or shows a thing, and search follows in the same transaction (a hidden post is unfindable). */
async function hideOrShow(
	trx: Transaction<DB>,
	kind: ReportableKind,
	id: string,
	hiddenAt: string | null
): Promise<void> {
	await setHidden(trx, kind, id, hiddenAt);
	if (kind === 'post') await refreshPostSearch(trx, id);
}

/**
 * Someone signed in reports a post, a comment or a video. When enough different people have
 * reported it (a setting, 3 by default), it is hidden until a curator decides.
 */
export async function reportContent(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	target: { kind: ReportableKind; id: string },
	input: ReportInput,
	now = nowIso()
): Promise<{ ok: true; hidden: boolean } | { ok: false; reason: ReportRefusal }> {
	assertCan(canReport(actor), MAY_NOT_REPORT);
	const found = await findTarget(db, target.kind, target.id, now);
	if (!found?.public) return { ok: false, reason: 'not-found' };
	const limited = await consumeRateLimit(db, `report:user:${actor.id}`, REPORT_RATE);
	if (!limited.ok) return { ok: false, reason: 'rate-limited' };
	const threshold = await readHideAfterReports(db);
	return refusable(
		() =>
			changeContent(db, async (trx) => {
				await insertReport(trx, {
					id: newId(),
					kind: target.kind,
					target_id: target.id,
					reporter_id: actor.id,
					reason: input.reason,
					note: input.note || null,
					created_at: now,
					resolved_at: null
				});
				await recordReportOnItem(
					trx,
					{ kind: target.kind, targetId: target.id, authorId: found.authorId },
					now
				);
				const reporters = await countOpenReporters(trx, target.kind, target.id);
				const hide = reporters >= threshold && !found.hiddenAt;
				if (hide) await hideOrShow(trx, target.kind, target.id, now);
				return { ok: true as const, hidden: hide };
			}),
		'already-reported' as const
	);
}

/** Whether the member may not post or comment now (a curator suspended them). */
export async function isSuspendedFromPosting(
	db: Kysely<DB> | Transaction<DB>,
	userId: string,
	now = nowIso()
): Promise<boolean> {
	return (await findSuspensionEnd(db, userId, now)) !== null;
}

/** When the member's suspension from posting ends, or null when they are not suspended. */
export async function postingSuspendedUntil(
	db: Kysely<DB> | Transaction<DB>,
	userId: string,
	now = nowIso()
): Promise<string | null> {
	return findSuspensionEnd(db, userId, now);
}

/** What the queue says of a thing deleted since it was reported. */
const GONE: Record<ReportableKind, { title: string; path: string; body: null }> = {
	post: { title: 'A post that was deleted', path: '/blog', body: null },
	comment: { title: 'A comment that was deleted', path: '/blog', body: null },
	video: { title: 'A video that was removed', path: '/blog', body: null },
	'idea-comment': { title: 'A comment on an idea that was deleted', path: '/ideas', body: null },
	'amendment-comment': {
		title: 'A comment on an amendment that was deleted',
		path: '/statement',
		body: null
	}
};

export interface QueueEntry {
	kind: ReportableKind;
	id: string;
	title: string;
	/** Its page, or null when there is none to open (the idea it was on was removed). */
	path: string | null;
	/** The reported words, for the curator to read (escaped where shown). */
	body: string | null;
	authorId: string | null;
	authorName: string | null;
	hidden: boolean;
	lastReportedAt: string;
	reportCount: number;
	reasons: { reason: ReportReason; count: number }[];
	notes: string[];
}

/** The moderation queue for curators: reported things, with counts by reason and notes. */
export async function listModerationQueue(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	page = 1,
	size = QUEUE_PAGE_SIZE
): Promise<{ entries: QueueEntry[]; total: number; totalPages: number }> {
	assertCan(canModerate(actor), MAY_NOT_MODERATE);
	const total = await countOpenItems(db);
	const items = await listOpenItems(db, { limit: size, offset: (page - 1) * size });
	const things = items.map((i) => ({ kind: i.kind, targetId: i.target_id }));
	const [reports, targets] = await Promise.all([
		listOpenReportsFor(db, things),
		findTargetsForQueue(db, things, nowIso())
	]);
	const entries = items.map((item): QueueEntry => {
		const mine = reports.filter((r) => r.kind === item.kind && r.target_id === item.target_id);
		const counts = new Map<ReportReason, number>();
		for (const r of mine) counts.set(r.reason, (counts.get(r.reason) ?? 0) + 1);
		const target = targets.get(`${item.kind}:${item.target_id}`);
		const { title, path, body } = target ?? GONE[item.kind];
		return {
			kind: item.kind,
			id: item.target_id,
			title,
			path,
			body,
			authorId: item.author_id,
			authorName: item.author_name ?? null,
			hidden: !!item.hidden_at,
			lastReportedAt: item.last_reported_at,
			reportCount: mine.length,
			reasons: [...counts].map(([reason, count]) => ({ reason, count })),
			notes: mine.map((r) => r.note).filter((n): n is string => !!n)
		};
	});
	return { entries, total, totalPages: Math.max(1, Math.ceil(total / size)) };
}

const DECISIONS: Record<DecisionInput['decision'], ModerationDecision> = {
	hide: 'hidden',
	restore: 'restored',
	dismiss: 'dismissed',
	warn: 'warned'
};

/** The thing as the author's notification names it: “your post …”, “your comment on …”. */
function yourThing(thing: { kind: ReportableKind; title: string }): string {
	if (thing.kind === 'post') return `your post “${thing.title}”`;
	// A comment's or video's title already names what it is on: “A comment on “…””.
	if (thing.kind !== 'video') return thing.title.replace(/^A comment/, 'your comment');
	return thing.title.replace(/^The video/, 'the video');
}

/** How a decision reads in the author's notifications (the email says why). */
const DECISION_TITLES: Record<ModerationDecision | 'suspended', (what: string) => string> = {
	hidden: (what) => `A curator hid ${what}. We have emailed you why.`,
	restored: (what) => `A curator restored ${what}.`,
	dismissed: (what) => `A curator looked at reports about ${what} and left it as it is.`,
	warned: (what) => `A curator sent you a warning about ${what}. We have emailed you why.`,
	suspended: () => 'A curator paused your posting for a while. We have emailed you why.'
};

/**
 * Tells the author what a curator decided and why: by email, always, and in their
 * notifications, in the same transaction as the decision.
 */
export async function tellAuthorOfDecision(
	trx: Transaction<DB>,
	site: ModerationSite,
	authorId: string | null,
	decision: ModerationDecision | 'suspended',
	thing: { kind: ReportableKind; id: string; title: string; path: string | null },
	message: string,
	suspendedUntil?: string
): Promise<boolean> {
	if (!authorId) return false;
	const author = await findUserContact(trx, authorId);
	if (!author) return false;
	await enqueueMail(trx, {
		...decisionMail(site, author, decision, thing, message, suspendedUntil),
		userId: author.id
	});
	await notify(trx, {
		recipientId: author.id,
		kind: 'content-decision',
		subjectKey: `${thing.kind}:${thing.id}`,
		title: DECISION_TITLES[decision](yourThing(thing)),
		url: decision === 'suspended' || !thing.path ? '/notifications' : thing.path
	});
	return true;
}

export type DecisionRefusal = 'not-in-queue';

/** A curator hides, restores, dismisses the reports about, or warns the author of a thing. */
export async function decideOnReport(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	site: ModerationSite,
	input: DecisionInput,
	now = nowIso()
): Promise<{ ok: true; decision: ModerationDecision } | { ok: false; reason: DecisionRefusal }> {
	assertCan(canModerate(actor), MAY_NOT_MODERATE);
	const decision = DECISIONS[input.decision];
	return refusable(() =>
		changeContent(db, async (trx) => {
			const item = await findItem(trx, input.kind, input.id);
			if (!item || item.status !== 'open') throw new Refusal('not-in-queue' as const);
			const target = await findTarget(trx, input.kind, input.id, now);
			const thing = {
				kind: input.kind,
				id: input.id,
				title: target?.title ?? 'Something you wrote',
				path: target?.path ?? null
			};
			if (decision === 'hidden' && !item.hidden_at)
				await hideOrShow(trx, input.kind, input.id, now);
			if (decision === 'restored') await hideOrShow(trx, input.kind, input.id, null);
			const reports = await recordDecision(
				trx,
				{ kind: input.kind, targetId: input.id },
				decision,
				actor.id,
				now
			);
			await recordAudit(trx, {
				actor,
				action: `moderation.${decision}`,
				target: { type: input.kind, id: input.id },
				detail: { reports, authorId: item.author_id }
			});
			await tellAuthorOfDecision(trx, site, item.author_id, decision, thing, input.message);
			return { ok: true as const, decision };
		})
	);
}

export type SuspensionRefusal = 'no-author' | 'self';

/** A curator suspends a reported thing's author from posting and commenting for some days. */
export async function suspendFromPosting(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	site: ModerationSite,
	input: SuspensionInput,
	now = nowIso()
): Promise<{ ok: true; until: string } | { ok: false; reason: SuspensionRefusal }> {
	assertCan(canModerate(actor), MAY_NOT_MODERATE);
	if (input.userId === actor.id) return { ok: false, reason: 'self' };
	const item = await findItem(db, input.kind, input.id);
	// Only the author of something in the queue can be suspended from here.
	if (!item || item.author_id !== input.userId) return { ok: false, reason: 'no-author' };
	const until = new Date(Date.parse(now) + input.days * 86_400_000).toISOString();
	const target = await findTarget(db, input.kind, input.id, now);
	await db.transaction().execute(async (trx) => {
		await insertSuspension(trx, {
			id: newId(),
			user_id: input.userId,
			ends_at: until,
			created_by: actor.id,
			created_at: now
		});
		await recordAudit(trx, {
			actor,
			action: 'moderation.suspended',
			target: { type: 'user', id: input.userId },
			detail: { days: input.days, kind: input.kind, id: input.id }
		});
		await tellAuthorOfDecision(
			trx,
			site,
			input.userId,
			'suspended',
			{
				kind: input.kind,
				id: input.id,
				title: target?.title ?? 'Something you wrote',
				path: target?.path ?? null
			},
			input.message,
			until
		);
	});
	return { ok: true, until };
}
