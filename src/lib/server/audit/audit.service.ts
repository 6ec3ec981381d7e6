import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import { newId, nowIso } from '../ids';
import {
	findAuditEntries,
	findAuditEntriesAbout,
	insertAuditEntry,
	type AuditRow
} from './audit.repository';

/** What the audit log calls work done from the command line. */
export const COMMAND_LINE_NAME = 'Command line';
/** What the audit log calls someone who has since deleted their account. */
export const FORMER_MEMBER_NAME = 'Former member';

/**
 * Who acted, as far as the log needs to know: a person (a signed-in `SessionUser` fits) or the
 * command line (`SYSTEM_ACTOR`). Spelt out here so the log depends on no part of accounts.
 */
export type AuditActor = { id: string; name: string } | { system: true };

/** A value the audit log's detail may hold: ids, names of things, numbers, flags. */
export type AuditValue = string | number | boolean | null | AuditValue[];

export interface AuditInput {
	/** Who acted: a person, the command line, or null for someone who must not be named. */
	actor: AuditActor | null;
	/** `<thing>.<verb in the past tense>`, e.g. "user.role_changed". */
	action: string;
	target?: { type: string; id: string | null };
	/** Ids and values only. Never secrets, and no free text about a person. */
	detail?: Record<string, AuditValue | Record<string, AuditValue>>;
}

/** Key names that suggest a secret; recording one is a programming error. */
const SECRET_KEY = /pass|token|secret|hash|cookie/i;

function checkDetail(value: unknown, path: string): void {
	if (value === null || typeof value !== 'object') return;
	for (const [key, inner] of Object.entries(value)) {
		if (SECRET_KEY.test(key)) throw new Error(`Audit detail must not hold secrets (${path}${key})`);
		checkDetail(inner, `${path}${key}.`);
	}
}

function actorFields(actor: AuditActor | null): { actor_id: string | null; actor_name: string } {
	if (!actor) return { actor_id: null, actor_name: FORMER_MEMBER_NAME };
	if ('system' in actor) return { actor_id: null, actor_name: COMMAND_LINE_NAME };
	return { actor_id: actor.id, actor_name: actor.name };
}

/**
 * Records an administrative action in the audit log. Pass the transaction of the change itself,
 * so the entry exists exactly when the change does. For every feature to use.
 */
export async function recordAudit(
	trx: Kysely<DB> | Transaction<DB>,
	input: AuditInput
): Promise<void> {
	if (!/^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)+$/.test(input.action)) {
		throw new Error(`Audit action "${input.action}" should look like "thing.verbed"`);
	}
	checkDetail(input.detail, '');
	await insertAuditEntry(trx, {
		id: newId(),
		...actorFields(input.actor),
		action: input.action,
		target_type: input.target?.type ?? null,
		target_id: input.target?.id ?? null,
		detail: input.detail ? JSON.stringify(input.detail) : null,
		created_at: nowIso()
	});
}

export interface AuditEntry {
	id: string;
	createdAt: string;
	actorId: string | null;
	actorName: string;
	action: string;
	targetType: string | null;
	targetId: string | null;
	/** The person's current name when the entry is about someone who still has an account. */
	targetName: string | null;
	detail: Record<string, unknown>;
	/** The entry in one plain-English sentence, without the actor or time. */
	summary: string;
}

function parseDetail(detail: string | null): Record<string, unknown> {
	if (!detail) return {};
	try {
		const value: unknown = JSON.parse(detail);
		return value && typeof value === 'object' && !Array.isArray(value)
			? (value as Record<string, unknown>)
			: {};
	} catch {
		return {};
	}
}

// The site-wide roles (auth.types.ts) by name; a role the log does not know reads "unknown".
const ROLE_NAMES: Record<string, string> = {
	member: 'member',
	curator: 'curator',
	administrator: 'administrator'
};

function roleName(value: unknown): string {
	return typeof value === 'string' && value in ROLE_NAMES
		? (ROLE_NAMES[value] ?? 'unknown')
		: 'unknown';
}

/** A number from an entry's detail with its noun ("3 people"); anything else counts as 0. */
function count(value: unknown, one: string, many: string): string {
	const n = typeof value === 'number' && Number.isFinite(value) ? value : 0;
	return `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
}

/** One sentence for an entry. Unknown actions still read sensibly. */
export function summariseAuditEntry(entry: {
	action: string;
	targetType: string | null;
	targetName: string | null;
	detail: Record<string, unknown>;
}): string {
	const who = entry.targetName ?? (entry.targetType === 'user' ? 'a former member' : null);
	switch (entry.action) {
		case 'user.role_changed':
			return `Changed the role of ${who ?? 'someone'} from ${roleName(entry.detail.from)} to ${roleName(entry.detail.to)}`;
		case 'user.created':
			return `Created an account for ${who ?? 'someone'} as ${roleName(entry.detail.role)}`;
		case 'account.deleted':
			return 'Deleted their own account';
		case 'organisation.deleted':
			return 'Deleted an organisation whose only member deleted their account';
		case 'organisation.admin_handed_over':
			return 'Made the longest-standing member an admin of an organisation whose only admin deleted their account';
		case 'mail.retried':
			return 'Sent a failed email again';
		case 'updates.imported':
			return `Imported email update subscribers: ${count(entry.detail.imported, 'person', 'people')} imported, ${count(entry.detail.rejected, 'line', 'lines')} with a mistake, ${count(entry.detail.skipped, 'line', 'lines')} left out`;
		case 'updates.exported':
			return `Downloaded the email update subscribers (${count(entry.detail.rows, 'row', 'rows')})`;
		case 'updates.address_blocked':
			return 'Blocked an address from email updates';
		default: {
			const thing = entry.targetType ? ` (${entry.targetType})` : '';
			return `${entry.action}${who ? ` – ${who}` : thing}`;
		}
	}
}

function toAuditEntry(row: AuditRow): AuditEntry {
	const detail = parseDetail(row.detail);
	const entry = {
		id: row.id,
		createdAt: row.created_at,
		actorId: row.actor_id,
		actorName: row.actor_name,
		action: row.action,
		targetType: row.target_type,
		targetId: row.target_id,
		targetName: row.target_name,
		detail
	};
	return { ...entry, summary: summariseAuditEntry(entry) };
}

/**
 * Entries of the audit log, newest first, from `offset`, with how many there are in all. The
 * caller checks that the person may read the log.
 */
export async function readAuditEntries(
	db: Kysely<DB>,
	page: { limit: number; offset: number }
): Promise<{ rows: AuditEntry[]; total: number }> {
	const { rows, total } = await findAuditEntries(db, page);
	return { rows: rows.map(toAuditEntry), total };
}

/** The latest entries about one person, newest first. The caller checks who may read them. */
export async function readAuditEntriesAbout(
	db: Kysely<DB>,
	userId: string,
	limit: number
): Promise<AuditEntry[]> {
	return (await findAuditEntriesAbout(db, userId, limit)).map(toAuditEntry);
}
