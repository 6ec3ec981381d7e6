import type { Kysely } from 'kysely';
import { readAuditEntries, readAuditEntriesAbout, type AuditEntry } from '../audit/audit.service';
import { ROLES, type Role } from '../auth/auth.types';
import type { DB } from '../db/schema';
import { countByRole, findPeople, findPerson, type PersonRow } from './admin.repository';

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
	const history = await readAuditEntriesAbout(db, userId, 20);
	return { person: toPerson(row), history };
}

/**
 * The audit log, newest first, a page at a time. The caller (the admin route) checks that the
 * person may read it.
 */
export async function listAudit(
	db: Kysely<DB>,
	options: { page?: number; perPage?: number } = {}
): Promise<Page<AuditEntry>> {
	return pageOf(
		options,
		(limit, offset) => readAuditEntries(db, { limit, offset }),
		(e) => e
	);
}
