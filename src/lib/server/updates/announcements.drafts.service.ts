import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { nowIso } from '../ids';
import { assertCan, type Actor } from '../auth/auth.permissions';
import type { FieldErrors, FormValues } from '../forms';
import { utcToLocal } from '../events/event-time';
import { canSendAnnouncements } from './announcements.permissions';
import type { AnnouncementDraftInput } from './announcements.schema';
import { checkAnnouncement } from './announcements.service';
import { findAnnouncement } from './announcements.repository';
import {
	cancelScheduled,
	countUnsent,
	listUnsent,
	upsertDraft
} from './announcements.drafts.repository';

const REFUSED = 'Only curators and administrators can write announcements.';
export const UNSENT_PAGE_SIZE = 20;

export type SaveDraftResult =
	| { ok: true; id: string }
	| { ok: false; reason: 'invalid'; errors: FieldErrors }
	| { ok: false; reason: 'not-a-draft'; id: string };

/**
 * Saves an announcement as a draft, to finish later (by this curator or another). Only the
 * title is needed; topics must still be offered. A draft already sent or scheduled is left as
 * it is.
 */
export async function saveAnnouncementDraft(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	input: AnnouncementDraftInput,
	timeZone: string,
	now = nowIso()
): Promise<SaveDraftResult> {
	assertCan(canSendAnnouncements(actor), REFUSED);
	const checked = await checkAnnouncement(db, input, timeZone, now);
	if (!checked.ok && checked.errors.topics)
		return { ok: false, reason: 'invalid', errors: { topics: checked.errors.topics } };
	const saved = await upsertDraft(db, {
		id: input.draft,
		title: input.title,
		body: input.body,
		topics: JSON.stringify(input.topics),
		// The chosen send time is kept when it is a real one; it is checked again on sending.
		send_at: checked.ok ? checked.sendAt : now,
		created_by: actor.id,
		created_at: now
	});
	return saved
		? { ok: true, id: input.draft }
		: { ok: false, reason: 'not-a-draft', id: input.draft };
}

function parseKeys(json: string): string[] {
	try {
		const value: unknown = JSON.parse(json);
		return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
	} catch {
		return [];
	}
}

/** A draft as the form shows it again, or undefined when it is not a draft (any more). */
export async function draftFormValues(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	id: string,
	timeZone: string,
	now = nowIso()
): Promise<FormValues | undefined> {
	assertCan(canSendAnnouncements(actor), REFUSED);
	if (!/^[A-Za-z0-9_-]{22}$/.test(id)) return undefined;
	const row = await findAnnouncement(db, id);
	if (row?.status !== 'draft') return undefined;
	const later = row.send_at > now;
	const local = utcToLocal(row.send_at, timeZone);
	return {
		draft: row.id,
		title: row.title,
		body: row.body,
		topics: parseKeys(row.topics),
		when: later ? 'later' : 'now',
		sendAt: later ? `${local.date}T${local.time}` : ''
	};
}

export type CancelResult = { ok: true; title: string } | { ok: false; reason: 'not-scheduled' };

/**
 * Cancels a scheduled announcement before it goes out. Once a sender has started on it (or it
 * is sent) it cannot be cancelled.
 */
export async function cancelAnnouncement(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	id: string
): Promise<CancelResult> {
	assertCan(canSendAnnouncements(actor), REFUSED);
	if (!/^[A-Za-z0-9_-]{1,40}$/.test(id)) return { ok: false, reason: 'not-scheduled' };
	const row = await findAnnouncement(db, id);
	if (!row || !(await cancelScheduled(db, id))) return { ok: false, reason: 'not-scheduled' };
	return { ok: true, title: row.title };
}

export interface UnsentAnnouncement {
	id: string;
	title: string;
	status: 'draft' | 'scheduled';
	sendAt: string;
}

/** Drafts and scheduled announcements, a page at a time: scheduled ones first, soonest first. */
export async function listDraftsAndScheduled(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	page: number,
	size = UNSENT_PAGE_SIZE
): Promise<{ items: UnsentAnnouncement[]; total: number; totalPages: number }> {
	assertCan(canSendAnnouncements(actor), REFUSED);
	const [total, rows] = await Promise.all([
		countUnsent(db),
		listUnsent(db, { offset: (page - 1) * size, limit: size })
	]);
	return {
		items: rows.map((r) => ({
			id: r.id,
			title: r.title,
			status: r.status === 'scheduled' ? 'scheduled' : 'draft',
			sendAt: r.send_at
		})),
		total,
		totalPages: Math.max(1, Math.ceil(total / size))
	};
}
