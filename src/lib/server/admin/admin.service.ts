import type { Kysely, Transaction } from 'kysely';
import { assertCan, type Actor } from '../auth/auth.permissions';
import { ROLES, type Role } from '../auth/auth.types';
import type { DB } from '../db/schema';
import { newId, nowIso } from '../ids';
import { canManageRoles } from './admin.permissions';
import {
	countByRole,
	findAuditEntries,
	findAuditEntriesAbout,
	findPeople,
	findPerson,
	insertAuditEntry,
	lockAdministrators,
	updateRole,
	type AuditRow,
	type PersonRow
} from './admin.repository';

/** What the audit log calls work done from the command line. */
export const COMMAND_LINE_NAME = 'Command line';
/** What the audit log calls someone who has since deleted their account. */
export const FORMER_MEMBER_NAME = 'Former member';

export interface Page<T> {
	items: T[];
	total: number;
	/** 1-based, clamped to the pages that exist. */
	page: number;
	perPage: number;
	pageCount: number;
}

function clampPerPage(perPage: number | undefined): number {
	return Math.min(Math.max(Math.trunc(perPage ?? 25) || 25, 1), 100);
}

/** Fetches a page; a page past the end (rows went away meanwhile) shows the last one instead. */
async function pageOf<R, T>(
	options: { page?: number; perPage?: number },
	fetch: (limit: number, offset: number) => Promise<{ rows: R[]; total: number }>,
	map: (row: R) => T
): Promise<Page<T>> {
	const perPage = clampPerPage(options.perPage);
	let page = Math.max(Math.trunc(options.page ?? 1) || 1, 1);
	let result = await fetch(perPage, (page - 1) * perPage);
	const pageCount = Math.max(Math.ceil(result.total / perPage), 1);
	if (page > pageCount) {
		page = pageCount;
		result = await fetch(perPage, (page - 1) * perPage);
	}
	return { items: result.rows.map(map), total: result.total, page, perPage, pageCount };
}

export interface Person {
	id: string;
	name: string;
	email: string;
	role: Role;
	emailVerified: boolean;
	createdAt: string;
}

function toRole(value: string): Role {
	return ROLES.includes(value as Role) ? (value as Role) : 'member';
}

function toPerson(row: PersonRow): Person {
	return {
		id: row.id,
		name: row.name,
		email: row.email,
		role: toRole(row.role),
		emailVerified: Boolean(row.email_verified),
		createdAt: row.created_at
	};
}

/**
 * People for the admin list, by name, a page at a time, optionally searched (name or email)
 * and filtered by role. The caller (the admin route) checks that the person may see it.
 */
export async function listPeople(
	db: Kysely<DB>,
	options: { page?: number; perPage?: number; search?: string; role?: Role } = {}
): Promise<Page<Person>> {
	const search = options.search?.trim() || undefined;
	return pageOf(
		options,
		(limit, offset) => findPeople(db, { limit, offset, search, role: options.role }),
		toPerson
	);
}

/** How many people hold each role, every role listed (for the admin overview). */
export async function countPeopleByRole(db: Kysely<DB>): Promise<Record<Role, number>> {
	const counts: Record<Role, number> = { member: 0, curator: 0, administrator: 0 };
	for (const row of await countByRole(db)) counts[toRole(row.role)] += row.n;
	return counts;
}

/** One person and the latest audit entries about them, for the admin person page. */
export async function getPerson(
	db: Kysely<DB>,
	userId: string
): Promise<{ person: Person; history: AuditEntry[] } | undefined> {
	const row = await findPerson(db, userId);
	if (!row) return undefined;
	const history = await findAuditEntriesAbout(db, userId, 20);
	return { person: toPerson(row), history: history.map(toAuditEntry) };
}

export type ChangeRoleResult =
	| { ok: true; changed: boolean; person: Person; previousRole: Role }
	| { ok: false; reason: 'invalid-role' | 'not-found' | 'last-administrator' };

/**
 * Changes a person's site-wide role and records who did it, and when, in the audit log, in one
 * transaction. Administrators only. Refuses to demote the last administrator, since nobody
 * could manage the site afterwards. Sessions are left alone: roles are read on every request,
 * so the change applies from the person's next page.
 */
export async function changeRole(
	db: Kysely<DB>,
	actor: Actor | null | undefined,
	userId: string,
	role: string
): Promise<ChangeRoleResult> {
	assertCan(canManageRoles(actor), 'Only administrators can change roles.');
	if (!ROLES.includes(role as Role)) return { ok: false, reason: 'invalid-role' };
	const newRole = role as Role;
	return db.transaction().execute(async (trx): Promise<ChangeRoleResult> => {
		const administrators = await lockAdministrators(trx);
		const row = await findPerson(trx, userId);
		if (!row) return { ok: false, reason: 'not-found' };
		const person = toPerson(row);
		const previousRole = toRole(row.role);
		if (row.role === newRole) return { ok: true, changed: false, person, previousRole };
		if (row.role === 'administrator' && administrators.filter((id) => id !== userId).length === 0) {
			return { ok: false, reason: 'last-administrator' };
		}
		await updateRole(trx, userId, newRole);
		await recordAudit(trx, {
			actor: actor ?? null,
			action: 'user.role_changed',
			target: { type: 'user', id: userId },
			detail: { from: previousRole, to: newRole }
		});
		return { ok: true, changed: true, person: { ...person, role: newRole }, previousRole };
	});
}

/** A value the audit log's detail may hold: ids, names of things, numbers, flags. */
export type AuditValue = string | number | boolean | null | AuditValue[];

export interface AuditInput {
	/** Who acted: a person, the command line, or null for someone who must not be named. */
	actor: Actor | null;
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

function actorFields(actor: Actor | null): { actor_id: string | null; actor_name: string } {
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

const ROLE_NAMES: Record<Role, string> = {
	member: 'member',
	curator: 'curator',
	administrator: 'administrator'
};

function roleName(value: unknown): string {
	return typeof value === 'string' && value in ROLE_NAMES ? ROLE_NAMES[value as Role] : 'unknown';
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
 * The audit log, newest first, a page at a time. The caller (the admin route) checks that the
 * person may read it.
 */
export async function listAudit(
	db: Kysely<DB>,
	options: { page?: number; perPage?: number } = {}
): Promise<Page<AuditEntry>> {
	return pageOf(options, (limit, offset) => findAuditEntries(db, { limit, offset }), toAuditEntry);
}
