import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import type { NewAuditEntry } from './audit.tables';

type Db = Kysely<DB> | Transaction<DB>;

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
