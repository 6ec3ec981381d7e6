import { sql, type Kysely, type Transaction } from 'kysely';
import { isPostgres } from '../db/database';
import type { DB } from '../db/schema';
import { nowIso } from '../ids';
import type { Role } from '../auth/auth.types';
import type { NewAuditEntry } from './admin.tables';

type Db = Kysely<DB> | Transaction<DB>;

/** One row of the people list: enough to recognise someone and change their role. */
export interface PersonRow {
	id: string;
	name: string;
	email: string;
	role: string;
	email_verified: boolean | number;
	created_at: string;
}

/** `text` for a LIKE pattern that matches it literally anywhere (\ escapes % and _). */
export function containsPattern(text: string): string {
	return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * People ordered by name (then id, so pages never overlap), optionally only one role and only
 * names or emails containing `search`. Two queries: the page and the count. The role filter
 * and the order use app_user_role_idx (role, name) or app_user_name_idx (name); a search has
 * to read every name, which is fine for the tens of thousands of people an instance has.
 */
export async function findPeople(
	db: Db,
	options: { limit: number; offset: number; search?: string; role?: Role }
): Promise<{ rows: PersonRow[]; total: number }> {
	let query = db.selectFrom('app_user');
	if (options.role) query = query.where('role', '=', options.role);
	if (options.search) {
		const pattern = containsPattern(options.search);
		query = query.where((eb) =>
			eb.or([
				eb(sql`lower(name)`, 'like', sql`${pattern} escape '\\'`),
				eb(sql`lower(email)`, 'like', sql`${pattern} escape '\\'`)
			])
		);
	}
	const [rows, count] = await Promise.all([
		query
			.select(['id', 'name', 'email', 'role', 'email_verified', 'created_at'])
			.orderBy('name')
			.orderBy('id')
			.limit(options.limit)
			.offset(options.offset)
			.execute(),
		query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
	]);
	return { rows, total: Number(count.n) };
}

export async function findPerson(db: Db, id: string): Promise<PersonRow | undefined> {
	return db
		.selectFrom('app_user')
		.select(['id', 'name', 'email', 'role', 'email_verified', 'created_at'])
		.where('id', '=', id)
		.executeTakeFirst();
}

/**
 * The administrators' rows, locked until the transaction ends on PostgreSQL, so two
 * administrators demoting each other at the same moment cannot both succeed. (SQLite has one
 * writer at a time, so its transactions cannot interleave that way.)
 */
export async function lockAdministrators(trx: Transaction<DB>): Promise<string[]> {
	let query = trx.selectFrom('app_user').select('id').where('role', '=', 'administrator');
	if (isPostgres(trx)) query = query.forUpdate();
	const rows = await query.execute();
	return rows.map((r) => r.id);
}

export async function updateRole(db: Db, userId: string, role: Role): Promise<void> {
	await db
		.updateTable('app_user')
		.set({ role, updated_at: nowIso() })
		.where('id', '=', userId)
		.execute();
}

export async function insertAuditEntry(db: Db, entry: NewAuditEntry): Promise<void> {
	await db.insertInto('audit_log').values(entry).execute();
}

/** An audit entry with the current name of the person it is about (when it is about one). */
export interface AuditRow {
	id: string;
	actor_id: string | null;
	actor_name: string;
	action: string;
	target_type: string | null;
	target_id: string | null;
	target_name: string | null;
	detail: string | null;
	created_at: string;
}

function auditQuery(db: Db) {
	return db
		.selectFrom('audit_log')
		.leftJoin('app_user as target', (join) =>
			join.onRef('target.id', '=', 'audit_log.target_id').on('audit_log.target_type', '=', 'user')
		)
		.select([
			'audit_log.id',
			'audit_log.actor_id',
			'audit_log.actor_name',
			'audit_log.action',
			'audit_log.target_type',
			'audit_log.target_id',
			'target.name as target_name',
			'audit_log.detail',
			'audit_log.created_at'
		]);
}

/** The log, newest first (audit_log_created_idx), with one count. */
export async function findAuditEntries(
	db: Db,
	page: { limit: number; offset: number }
): Promise<{ rows: AuditRow[]; total: number }> {
	const [rows, count] = await Promise.all([
		auditQuery(db)
			.orderBy('audit_log.created_at', 'desc')
			.orderBy('audit_log.id', 'desc')
			.limit(page.limit)
			.offset(page.offset)
			.execute(),
		db
			.selectFrom('audit_log')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow()
	]);
	return { rows, total: Number(count.n) };
}

/** Entries about one person (their role changes…), newest first. */
export async function findAuditEntriesAbout(
	db: Db,
	userId: string,
	limit: number
): Promise<AuditRow[]> {
	return auditQuery(db)
		.where('audit_log.target_type', '=', 'user')
		.where('audit_log.target_id', '=', userId)
		.orderBy('audit_log.created_at', 'desc')
		.orderBy('audit_log.id', 'desc')
		.limit(limit)
		.execute();
}

/** How many people hold each role (one grouped query over app_user_role_idx). */
export async function countByRole(db: Db): Promise<Array<{ role: string; n: number }>> {
	const rows = await db
		.selectFrom('app_user')
		.select(['role', (eb) => eb.fn.countAll<number>().as('n')])
		.groupBy('role')
		.execute();
	return rows.map((r) => ({ role: r.role, n: Number(r.n) }));
}
