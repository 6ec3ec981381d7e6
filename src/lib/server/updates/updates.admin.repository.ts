import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import type { NewUpdateSubscriber, SubscriberStatus, SuppressionReason } from './updates.tables';

type Db = Kysely<DB> | Transaction<DB>;

/** Rows per statement: well inside PostgreSQL's 65,535 parameters and SQLite's limits. */
const CHUNK = 500;

function chunks<T>(items: readonly T[]): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
	return out;
}

/** The status of each of these addresses that has a subscriber row (one query per 500). */
export async function findStatusesByEmail(
	db: Db,
	emails: readonly string[]
): Promise<Map<string, SubscriberStatus>> {
	const found = new Map<string, SubscriberStatus>();
	for (const part of chunks(emails)) {
		const rows = await db
			.selectFrom('update_subscriber')
			.select(['email', 'status'])
			.where('email', 'in', part)
			.execute();
		for (const row of rows) found.set(row.email, row.status);
	}
	return found;
}

/** The suppression of each of these hashes that is on the list (one query per 500). */
export async function findSuppressions(
	db: Db,
	hashes: readonly string[]
): Promise<Map<string, SuppressionReason>> {
	const found = new Map<string, SuppressionReason>();
	for (const part of chunks(hashes)) {
		const rows = await db
			.selectFrom('update_suppression')
			.select(['email_hash', 'reason'])
			.where('email_hash', 'in', part)
			.execute();
		for (const row of rows) found.set(row.email_hash, row.reason);
	}
	return found;
}

/** New subscribers and their topics, 500 rows a statement (call inside a transaction). */
export async function insertSubscribersWithTopics(
	db: Db,
	rows: readonly NewUpdateSubscriber[],
	topics: readonly string[]
): Promise<void> {
	for (const part of chunks(rows)) {
		await db.insertInto('update_subscriber').values(part).execute();
	}
	const links = rows.flatMap((r) => topics.map((topic) => ({ subscriber_id: r.id, topic })));
	for (const part of chunks(links)) {
		await db.insertInto('update_subscriber_topic').values(part).execute();
	}
}

/** How many subscribers there are of each status, and suppressed addresses of each reason. */
export async function countByStatus(db: Db): Promise<{
	statuses: Array<{ status: SubscriberStatus; count: number }>;
	suppressions: Array<{ reason: SuppressionReason; count: number }>;
}> {
	const [statuses, suppressions] = await Promise.all([
		db
			.selectFrom('update_subscriber')
			.select(['status', (eb) => eb.fn.countAll<string | number>().as('count')])
			.groupBy('status')
			.execute(),
		db
			.selectFrom('update_suppression')
			.select(['reason', (eb) => eb.fn.countAll<string | number>().as('count')])
			.groupBy('reason')
			.execute()
	]);
	return {
		statuses: statuses.map((r) => ({ status: r.status, count: Number(r.count) })),
		suppressions: suppressions.map((r) => ({ reason: r.reason, count: Number(r.count) }))
	};
}

export interface ExportRow {
	id: string;
	email: string;
	status: SubscriberStatus;
	blocked: boolean;
	consented_at: string | null;
	consent_method: string | null;
	consent_detail: string | null;
	created_at: string;
	topics: string[];
}

/** One page of subscribers for the export, in id order after `after`, with their topics. */
export async function listSubscribersPage(
	db: Db,
	page: { after?: string; limit: number }
): Promise<ExportRow[]> {
	let query = db
		.selectFrom('update_subscriber as s')
		.leftJoin('update_suppression as x', 'x.email_hash', 's.email_hash')
		.select([
			's.id',
			's.email',
			's.status',
			'x.reason',
			's.consented_at',
			's.consent_method',
			's.consent_detail',
			's.created_at'
		]);
	if (page.after) query = query.where('s.id', '>', page.after);
	const rows = await query.orderBy('s.id').limit(page.limit).execute();
	if (!rows.length) return [];
	const topics = await db
		.selectFrom('update_subscriber_topic')
		.select(['subscriber_id', 'topic'])
		.where(
			'subscriber_id',
			'in',
			rows.map((r) => r.id)
		)
		.orderBy('topic')
		.execute();
	const byId = new Map<string, string[]>();
	for (const t of topics)
		byId.set(t.subscriber_id, [...(byId.get(t.subscriber_id) ?? []), t.topic]);
	return rows.map(({ reason, ...r }) => ({
		...r,
		blocked: reason === 'blocked',
		topics: byId.get(r.id) ?? []
	}));
}
