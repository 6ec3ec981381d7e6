import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { isUniqueViolation } from '../db/errors';
import { nowIso } from '../ids';
import { enqueueMail, type OutgoingMail } from '../mail/outbox';
import { assertCan, type Actor } from '../auth/auth.permissions';
import type { FieldErrors } from '../forms';
import { changeContent } from '../cache/content-version';
import { localToUtc } from '../events/event-time';
import { composeUpdateMail, listUpdateRecipients } from './updates.service';
import { listTopics, type UpdateTopic } from './updates.topics';
import type { UpdatesSite } from './updates.mails';
import type { UpdateAnnouncement } from './updates.tables';
import { announcementMail } from './announcements.mails';
import { canSendAnnouncements } from './announcements.permissions';
import type { AnnouncementInput } from './announcements.schema';
import {
	claimAnnouncement,
	countSentAnnouncements,
	findAnnouncement,
	insertAnnouncement,
	listDueAnnouncements,
	listSentAnnouncements,
	markSent,
	recordDeliveries,
	touchClaim
} from './announcements.repository';
import { scheduleDraft } from './announcements.drafts.repository';

/** Subscribers mailed per transaction: a large list goes out a few hundred at a time. */
export const ANNOUNCEMENT_BATCH = 250;
/** A claim older than this was left by an instance that stopped; another takes it over. */
const STALE_CLAIM_MS = 10 * 60_000;
export const ARCHIVE_PAGE_SIZE = 20;

const REFUSED = 'Only curators and administrators can send announcements.';

export type Checked =
	| { ok: true; topics: UpdateTopic[]; sendAt: string; later: boolean }
	| { ok: false; errors: FieldErrors };

/**
 * The checks after the schema: topics still offered, and a send time that is real and in the
 * future (in the site's time zone).
 */
export async function checkAnnouncement(
	db: Kysely<DB>,
	input: Pick<AnnouncementInput, 'topics' | 'when' | 'sendAt'>,
	timeZone: string,
	now = nowIso()
): Promise<Checked> {
	const errors: FieldErrors = {};
	const all = await listTopics(db);
	const chosen = new Set(input.topics);
	if (input.topics.some((k) => !all.some((t) => t.key === k)))
		errors.topics = 'One of the topics is no longer offered. Choose again from the list.';
	let sendAt = now;
	const later = input.when === 'later';
	if (later) {
		const match = /^(\d{4}-\d{2}-\d{2})T(\d{1,2}:\d{2})$/.exec(input.sendAt);
		const parsed = match?.[1] && match[2] ? localToUtc(match[1], match[2], timeZone) : null;
		if (!input.sendAt) errors.sendAt = 'Enter the date and time to send it';
		else if (!parsed || !parsed.ok)
			errors.sendAt = 'Enter a real date and time, like 2027-03-01 09:30';
		else if (parsed.iso <= now) errors.sendAt = 'The send time must be in the future';
		else sendAt = parsed.iso;
	}
	if (Object.keys(errors).length) return { ok: false, errors };
	return { ok: true, topics: all.filter((t) => chosen.has(t.key)), sendAt, later };
}

/** The email exactly as a subscriber gets it (with stand-in private links), for the preview. */
export function previewAnnouncement(
	actor: Actor | null | undefined,
	site: UpdatesSite,
	input: Pick<AnnouncementInput, 'draft' | 'title' | 'body'>,
	topics: UpdateTopic[]
): { subject: string; html: string; bodyHtml: string; text: string } {
	assertCan(canSendAnnouncements(actor), REFUSED);
	const mail = announcementMail(
		site,
		actor.email,
		{ id: input.draft, title: input.title, body: input.body },
		topics,
		'your-own-private-link'
	);
	const html = mail.html ?? '';
	// The inside of the email's <body>, to show within the page (all of it escaped or sanitised).
	// Its headings move down below the page's own "Preview" headings (h1 becomes h4).
	const bodyHtml = (/<body[^>]*>([\s\S]*)<\/body>/.exec(html)?.[1] ?? '').replace(
		/<(\/?)h([1-6])\b/g,
		(_, close: string, level: string) => `<${close}h${Math.min(6, Number(level) + 3)}`
	);
	return { subject: mail.subject, html, bodyHtml, text: mail.text };
}

/** Sends the announcement to the curator's own address only, marked as a test. */
export async function sendTestAnnouncement(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	site: UpdatesSite,
	input: Pick<AnnouncementInput, 'draft' | 'title' | 'body'>,
	topics: UpdateTopic[]
): Promise<string> {
	assertCan(canSendAnnouncements(actor), REFUSED);
	const mail: OutgoingMail = {
		...announcementMail(
			site,
			actor.email,
			{ id: input.draft, title: input.title, body: input.body },
			topics,
			null
		),
		userId: actor.id
	};
	await enqueueMail(db, mail);
	return actor.email;
}

export type SendResult =
	| { ok: true; id: string; scheduled: boolean; recipients: number }
	| { ok: false; reason: 'already-sent'; id: string };

/**
 * Saves the announcement and sends it now, or leaves it for the worker at its send time. The
 * form's `draft` id is the announcement's id, so a second press (or a second instance) finds
 * the first and sends nothing more.
 */
export async function sendAnnouncement(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	site: UpdatesSite,
	input: AnnouncementInput,
	checked: { topics: UpdateTopic[]; sendAt: string },
	now = nowIso()
): Promise<SendResult> {
	assertCan(canSendAnnouncements(actor), REFUSED);
	try {
		await insertAnnouncement(db, {
			id: input.draft,
			title: input.title,
			body: input.body,
			topics: JSON.stringify(checked.topics.map((t) => t.key)),
			status: 'scheduled',
			send_at: checked.sendAt,
			claimed_at: null,
			sent_at: null,
			created_by: actor.id,
			created_at: now
		});
	} catch (error) {
		if (!isUniqueViolation(error)) throw error;
		// A saved draft is sent (or scheduled) once: the update only changes a draft.
		const fromDraft = await scheduleDraft(db, input.draft, {
			title: input.title,
			body: input.body,
			topics: JSON.stringify(checked.topics.map((t) => t.key)),
			send_at: checked.sendAt
		});
		if (!fromDraft) return { ok: false, reason: 'already-sent', id: input.draft };
	}
	if (checked.sendAt > now) return { ok: true, id: input.draft, scheduled: true, recipients: 0 };
	const recipients = await deliverAnnouncement(db, site, input.draft, now);
	return { ok: true, id: input.draft, scheduled: false, recipients };
}

function parseKeys(json: string): string[] {
	try {
		const value: unknown = JSON.parse(json);
		return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
	} catch {
		return [];
	}
}

/**
 * Sends one due announcement, if this caller wins the claim: subscribers of its topics (never a
 * suppressed or unsubscribed address) a page at a time, each page in one transaction with a
 * delivery row per subscriber (ON CONFLICT DO NOTHING) and the mail, so nobody gets it twice
 * even when a stopped sender's work is taken over. Returns how many mails it queued.
 */
export async function deliverAnnouncement(
	db: Kysely<DB>,
	site: UpdatesSite,
	id: string,
	now = nowIso(),
	batch = ANNOUNCEMENT_BATCH
): Promise<number> {
	const staleBefore = new Date(Date.parse(now) - STALE_CLAIM_MS).toISOString();
	if (!(await claimAnnouncement(db, id, now, staleBefore))) return 0;
	const announcement = await findAnnouncement(db, id);
	if (!announcement) return 0;
	const keys = parseKeys(announcement.topics);
	const all = await listTopics(db);
	const topics = all.filter((t) => keys.includes(t.key));
	let after: string | undefined;
	let queued = 0;
	for (;;) {
		const page = await listUpdateRecipients(db, keys, { after, limit: batch });
		if (!page.length) break;
		after = page[page.length - 1]?.id;
		queued += await db.transaction().execute(async (trx) => {
			const fresh = await recordDeliveries(
				trx,
				id,
				page.map((r) => r.id),
				now
			);
			let n = 0;
			for (const recipient of page) {
				if (!fresh.has(recipient.id)) continue;
				const mail = await composeUpdateMail(
					trx,
					site,
					recipient.id,
					(token) => announcementMail(site, recipient.email, announcement, topics, token),
					now
				);
				await enqueueMail(trx, mail);
				n++;
			}
			return n;
		});
		await touchClaim(db, id, nowIso());
		if (page.length < batch) break;
	}
	await changeContent(db, (trx) => markSent(trx, id, nowIso()));
	return queued;
}

/** For the worker: sends every announcement whose time has come. */
export async function sendDueAnnouncements(
	db: Kysely<DB>,
	site: UpdatesSite,
	now = nowIso()
): Promise<{ announcementsSent: number; announcementMails: number }> {
	const staleBefore = new Date(Date.parse(now) - STALE_CLAIM_MS).toISOString();
	let announcementsSent = 0;
	let announcementMails = 0;
	for (const id of await listDueAnnouncements(db, now, staleBefore)) {
		const n = await deliverAnnouncement(db, site, id, now);
		announcementMails += n;
		if ((await findAnnouncement(db, id))?.status === 'sent') announcementsSent++;
	}
	return { announcementsSent, announcementMails };
}

export interface ArchivedAnnouncement {
	id: string;
	title: string;
	body: string;
	sentAt: string;
}

function archived(row: UpdateAnnouncement): ArchivedAnnouncement {
	return { id: row.id, title: row.title, body: row.body, sentAt: row.sent_at ?? row.send_at };
}

/** One page of the public archive, newest first. */
export async function listArchive(
	db: Kysely<DB>,
	page: number,
	size = ARCHIVE_PAGE_SIZE
): Promise<{ items: ArchivedAnnouncement[]; total: number; totalPages: number }> {
	const total = await countSentAnnouncements(db);
	const rows = await listSentAnnouncements(db, { offset: (page - 1) * size, limit: size });
	return { items: rows.map(archived), total, totalPages: Math.max(1, Math.ceil(total / size)) };
}

/** A sent announcement, or undefined (scheduled ones are not public yet). */
export async function findArchived(
	db: Kysely<DB>,
	id: string
): Promise<ArchivedAnnouncement | undefined> {
	if (!/^[A-Za-z0-9_-]{1,40}$/.test(id)) return undefined;
	const row = await findAnnouncement(db, id);
	return row?.status === 'sent' ? archived(row) : undefined;
}
