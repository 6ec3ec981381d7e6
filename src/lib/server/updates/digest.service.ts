import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { nowIso } from '../ids';
import { enqueueMail } from '../mail/outbox';
import { assertCan, type Actor } from '../auth/auth.permissions';
import { readSetting, writeSetting } from '../settings/settings.repository';
import { recordAudit } from '../audit/audit.service';
import { eventsForDigest, type DigestEvent } from '../events/events.digest.service';
import { listPostsPublishedSince, type DigestPost } from '../posts/posts.digest.service';
import type { FieldErrors } from '../forms';
import { composeUpdateMail, listUpdateRecipients } from './updates.service';
import { listTopics, type UpdateTopic } from './updates.topics';
import type { UpdatesSite } from './updates.mails';
import { digestBody, digestMail, type DigestContent } from './digest.mails';
import { canManageDigest } from './digest.permissions';
import {
	DIGEST_DAY_SETTING,
	DIGEST_TIME_SETTING,
	latestDigestSlot,
	nextDigestSlot,
	readSchedule,
	type DigestSchedule
} from './digest.schedule';
import {
	advanceDigest,
	claimDigest,
	findDigest,
	findDigestBefore,
	insertDigestIfAbsent,
	listRecentDigests,
	markDigestSent,
	recordDigestDeliveries,
	selectTopicsOf
} from './digest.repository';
import type { UpdateDigest } from './digest.tables';

/** Subscribers looked at per transaction: a large list goes out a few hundred at a time. */
export const DIGEST_BATCH = 250;
/** A claim older than this was left by an instance that stopped; another takes it over. */
export const DIGEST_STALE_CLAIM_MS = 10 * 60_000;
const DAY_MS = 86_400_000;

/** Topic keys the digest reads (announcements go out on their own). */
export function isDigestTopic(key: string): boolean {
	return (
		key === 'events' || key === 'posts' || key.startsWith('format:') || key.startsWith('theme:')
	);
}

export async function readDigestSchedule(db: Kysely<DB>): Promise<DigestSchedule> {
	const [day, time] = await Promise.all([
		readSetting(db, DIGEST_DAY_SETTING),
		readSetting(db, DIGEST_TIME_SETTING)
	]);
	return readSchedule(day, time);
}

export type SaveScheduleResult = { ok: true } | { ok: false; errors: FieldErrors };

/** An administrator sets the day ('off' or 0–6) and time (HH:MM) of the digest. */
export async function saveDigestSchedule(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	input: { day: string; time: string }
): Promise<SaveScheduleResult> {
	assertCan(canManageDigest(actor), 'Only administrators can choose when the digest goes out.');
	const errors: FieldErrors = {};
	if (input.day !== 'off' && !/^[0-6]$/.test(input.day))
		errors.digest_day = 'Choose a day, or "Do not send it"';
	if (!/^([01]?\d|2[0-3]):[0-5]\d$/.test(input.time.trim()))
		errors.digest_time = 'Enter a time like 09:00 or 17:30 (24-hour clock)';
	if (Object.keys(errors).length) return { ok: false, errors };
	const time = input.time.trim().padStart(5, '0');
	await db.transaction().execute(async (trx) => {
		await writeSetting(trx, DIGEST_DAY_SETTING, input.day);
		await writeSetting(trx, DIGEST_TIME_SETTING, time);
		await recordAudit(trx, {
			actor: actor ?? null,
			action: 'settings.digest_changed',
			detail: { day: input.day, time }
		});
	});
	return { ok: true };
}

/** What the administrators' page shows: the schedule, the next send time and recent runs. */
export async function digestOverview(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	timeZone: string,
	now = nowIso()
): Promise<{ schedule: DigestSchedule; next: string | null; recent: UpdateDigest[] }> {
	assertCan(canManageDigest(actor), 'Only administrators can see the digest.');
	const schedule = await readDigestSchedule(db);
	return {
		schedule,
		next: nextDigestSlot(schedule, timeZone, now),
		recent: await listRecentDigests(db, 5)
	};
}

/** Everything new in a run's window, for everyone; each person gets the part their topics ask. */
interface WeekNews {
	added: DigestEvent[];
	comingUp: DigestEvent[];
	posts: DigestPost[];
}

/** One person's share of the week's news by their topics; null when nothing is new for them. */
export function chooseForTopics(news: WeekNews, topics: readonly string[]): DigestContent | null {
	const keys = new Set(topics);
	const allEvents = keys.has('events');
	const allPosts = keys.has('posts');
	const wantsEvent = (e: DigestEvent) => allEvents || keys.has(`format:${e.formatId}`);
	const newEvents = news.added.filter(wantsEvent);
	const newPosts = news.posts.filter(
		(p) => allPosts || p.themeIds.some((id) => keys.has(`theme:${id}`))
	);
	if (!newEvents.length && !newPosts.length) return null;
	return { newEvents, newPosts, comingUp: news.comingUp.filter(wantsEvent) };
}

export interface DigestRunOptions {
	batch?: number;
	/** Called after each batch commits (a spec stops a run here, as if its instance died). */
	afterBatch?: (done: number) => void | Promise<void>;
}

/**
 * Sends a week's digest if this caller wins the claim: the subscribers of any digest topic
 * (never a suppressed or unsubscribed address), a page at a time in id order from where the
 * run got to. Each page is one transaction holding a delivery row per person mailed (ON
 * CONFLICT DO NOTHING), their mail and the run's cursor, so nobody gets a week's digest twice,
 * even when a stopped sender's work is taken over. People with nothing new get nothing.
 * Returns how many mails it queued.
 */
export async function deliverDigest(
	db: Kysely<DB>,
	site: UpdatesSite,
	timeZone: string,
	week: string,
	now = nowIso(),
	options: DigestRunOptions = {}
): Promise<number> {
	const batch = options.batch ?? DIGEST_BATCH;
	const staleBefore = new Date(Date.parse(now) - DIGEST_STALE_CLAIM_MS).toISOString();
	if (!(await claimDigest(db, week, now, staleBefore))) return 0;
	// The claim is kept fresh in the caller's clock (`now` plus the time taken so far).
	const started = Date.now();
	const clock = () => new Date(Date.parse(now) + (Date.now() - started)).toISOString();
	const run = await findDigest(db, week);
	if (!run) return 0;
	const [events, posts, all] = await Promise.all([
		eventsForDigest(db, run.since_at, run.due_at),
		listPostsPublishedSince(db, run.since_at, run.due_at),
		listTopics(db)
	]);
	const news: WeekNews = { ...events, posts };
	const digestKeys = all.map((t) => t.key).filter(isDigestTopic);
	// The body depends only on a person's topics: built once per set of topics.
	const bodies = new Map<string, ReturnType<typeof digestBody> | null>();
	const bodyFor = (topics: string[]) => {
		const key = [...topics].sort().join('\n');
		if (!bodies.has(key)) {
			const content = chooseForTopics(news, topics);
			bodies.set(key, content ? digestBody(site, content, timeZone) : null);
		}
		return bodies.get(key) ?? null;
	};
	let after = run.cursor ?? undefined;
	let queued = 0;
	const nothingNew = !news.added.length && !news.posts.length;
	for (;;) {
		if (nothingNew) break;
		const page = await listUpdateRecipients(db, digestKeys, { after, limit: batch });
		if (!page.length) break;
		const last = page[page.length - 1]!.id;
		after = last;
		queued += await db.transaction().execute(async (trx) => {
			const topicsOf = await selectTopicsOf(
				trx,
				page.map((r) => r.id)
			);
			const wanted = page.flatMap((r) => {
				const topics = topicsOf.get(r.id) ?? [];
				const body = bodyFor(topics);
				return body ? [{ ...r, topics, body }] : [];
			});
			const fresh = await recordDigestDeliveries(
				trx,
				week,
				wanted.map((r) => r.id),
				now
			);
			let n = 0;
			for (const recipient of wanted) {
				if (!fresh.has(recipient.id)) continue;
				const labels: UpdateTopic[] = all.filter((t) => recipient.topics.includes(t.key));
				const mail = await composeUpdateMail(
					trx,
					site,
					recipient.id,
					(token) => digestMail(site, recipient.email, recipient.body, labels, token),
					now
				);
				await enqueueMail(trx, mail);
				n++;
			}
			await advanceDigest(trx, week, last, clock());
			return n;
		});
		await options.afterBatch?.(queued);
		if (page.length < batch) break;
	}
	await markDigestSent(db, week, clock());
	return queued;
}

/**
 * Makes (or finds) the run for the latest send time, unless the previous run was less than six
 * days before it (administrators moved the day). What counts as new starts where the previous
 * run's window ended, at most two weeks back.
 */
async function ensureRun(
	db: Kysely<DB>,
	slot: { week: string; dueAt: string },
	now: string
): Promise<boolean> {
	if (await findDigest(db, slot.week)) return true;
	const before = await findDigestBefore(db, slot.week);
	const due = Date.parse(slot.dueAt);
	if (before && Date.parse(before.due_at) > due - 6 * DAY_MS) return false;
	const since =
		before && Date.parse(before.due_at) >= due - 14 * DAY_MS
			? before.due_at
			: new Date(due - 7 * DAY_MS).toISOString();
	await insertDigestIfAbsent(db, {
		week: slot.week,
		since_at: since,
		due_at: slot.dueAt,
		created_at: now
	});
	return true;
}

/**
 * For the worker: when this week's send time has passed, sends the week's digest (or finishes
 * one a stopped instance left). Safe to call from every instance, as often as wanted.
 */
export async function sendDueDigest(
	db: Kysely<DB>,
	site: UpdatesSite,
	timeZone: string,
	now = nowIso(),
	options: DigestRunOptions = {}
): Promise<{ digestMails: number }> {
	const slot = latestDigestSlot(await readDigestSchedule(db), timeZone, now);
	if (!slot) return { digestMails: 0 };
	// Only the current week's slot: a digest missed for a whole week is not sent late.
	if (Date.parse(now) - Date.parse(slot.dueAt) >= 7 * DAY_MS) return { digestMails: 0 };
	if (!(await ensureRun(db, slot, now))) return { digestMails: 0 };
	const run = await findDigest(db, slot.week);
	if (!run || run.status === 'sent') return { digestMails: 0 };
	return { digestMails: await deliverDigest(db, site, timeZone, slot.week, now, options) };
}

export type SendNowResult =
	{ ok: true; mails: number; week: string } | { ok: false; reason: 'already-sent'; week: string };

/**
 * An administrator sends this week's digest now instead of waiting for its time: the week's
 * run starts at once (covering the week up to now) and the usual send time finds it done.
 */
export async function sendDigestNow(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	site: UpdatesSite,
	timeZone: string,
	now = nowIso()
): Promise<SendNowResult> {
	assertCan(canManageDigest(actor), 'Only administrators can send the digest.');
	const schedule = await readDigestSchedule(db);
	// Sent now, it counts as the week of the next send time (or today's, when it is off).
	const next = nextDigestSlot(schedule, timeZone, now);
	const week = next
		? latestDigestSlot(schedule, timeZone, next)!.week
		: new Date(now).toISOString().slice(0, 10);
	const existing = await findDigest(db, week);
	if (existing?.status === 'sent') return { ok: false, reason: 'already-sent', week };
	if (!existing) {
		const before = await findDigestBefore(db, week);
		const since =
			before && Date.parse(before.due_at) >= Date.parse(now) - 14 * DAY_MS
				? before.due_at
				: new Date(Date.parse(now) - 7 * DAY_MS).toISOString();
		await insertDigestIfAbsent(db, { week, since_at: since, due_at: now, created_at: now });
	}
	const mails = await deliverDigest(db, site, timeZone, week, now);
	await recordAudit(db, {
		actor: actor ?? null,
		action: 'updates.digest_sent_now',
		detail: { week, mails }
	});
	return { ok: true, mails, week };
}
