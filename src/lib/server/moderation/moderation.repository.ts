import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema';
import type {
	ModerationDecision,
	NewContentReport,
	ReportableKind,
	ReportReason
} from './moderation.tables';

type Db = Kysely<DB> | Transaction<DB>;

/** A reported thing as moderation sees it, whatever its kind. */
export interface ReportTarget {
	kind: ReportableKind;
	id: string;
	authorId: string | null;
	/** A short label for the queue and emails: the post's title, or the comment's post. */
	title: string;
	/** Where it is read on the site; null when that page is gone for everyone (its idea was removed). */
	path: string | null;
	/** The words themselves (a post's or comment's Markdown), for curators only. */
	body: string | null;
	hiddenAt: string | null;
	/** Whether people can see it at all (published post, comment on one; never a deleted one). */
	public: boolean;
}

type Loader = (db: Db, ids: string[], now: string) => Promise<ReportTarget[]>;

const isPublished = (post: { status: string; published_at: string | null }, now: string) =>
	post.status === 'published' && !!post.published_at && post.published_at <= now;

/**
 * Each kind's things by id, with what moderation needs: one query a kind, for the report page
 * (one id) and the queue (a page of them). Posts and blog comments are hidden on their own
 * rows; the other kinds only through `moderation_item`.
 */
const LOADERS: Record<ReportableKind, Loader> = {
	post: async (db, ids, now) => {
		const posts = await db
			.selectFrom('post')
			.select(['id', 'slug', 'title', 'body', 'author_id', 'status', 'published_at', 'hidden_at'])
			.where('id', 'in', ids)
			.execute();
		return posts.map((post) => ({
			kind: 'post',
			id: post.id,
			authorId: post.author_id,
			title: post.title,
			path: `/blog/${post.slug}`,
			body: post.body,
			hiddenAt: post.hidden_at,
			public: isPublished(post, now)
		}));
	},
	comment: async (db, ids, now) => {
		const rows = await db
			.selectFrom('comment as c')
			.innerJoin('post as p', 'p.id', 'c.post_id')
			.select([
				'c.id',
				'c.author_id',
				'c.body',
				'c.hidden_at',
				'c.deleted_at',
				'p.slug',
				'p.title',
				'p.status',
				'p.published_at'
			])
			.where('c.id', 'in', ids)
			.execute();
		return rows.map((row) => ({
			kind: 'comment',
			id: row.id,
			authorId: row.author_id,
			title: `A comment on “${row.title}”`,
			path: `/blog/${row.slug}/comments#comment-${row.id}`,
			body: row.deleted_at ? null : row.body,
			hiddenAt: row.hidden_at,
			public: !row.deleted_at && isPublished(row, now)
		}));
	},
	// A post's video: its post's author and address.
	video: async (db, ids, now) => {
		const rows = await db
			.selectFrom('post_video as v')
			.innerJoin('post as p', 'p.id', 'v.post_id')
			.leftJoin('moderation_item as m', (join) =>
				join.on('m.kind', '=', 'video').onRef('m.target_id', '=', 'v.id')
			)
			.select(['v.id', 'p.author_id', 'p.slug', 'p.title', 'p.status', 'p.published_at'])
			.select('m.hidden_at')
			.where('v.id', 'in', ids)
			.execute();
		return rows.map((row) => ({
			kind: 'video',
			id: row.id,
			authorId: row.author_id,
			title: `The video in “${row.title}”`,
			path: `/blog/${row.slug}#video`,
			body: null,
			hiddenAt: row.hidden_at ?? null,
			public: isPublished(row, now)
		}));
	},
	// An idea's page shows its comments while the idea is not removed.
	'idea-comment': async (db, ids) => {
		const rows = await db
			.selectFrom('idea_comment as c')
			.innerJoin('idea as i', 'i.id', 'c.idea_id')
			.leftJoin('moderation_item as m', (join) =>
				join.on('m.kind', '=', 'idea-comment').onRef('m.target_id', '=', 'c.id')
			)
			.select(['c.id', 'c.author_id', 'c.body', 'i.slug', 'i.title', 'i.removed_at'])
			.select('m.hidden_at')
			.where('c.id', 'in', ids)
			.execute();
		return rows.map((row) => ({
			kind: 'idea-comment',
			id: row.id,
			authorId: row.author_id,
			title: `A comment on the idea “${row.title}”`,
			path: row.removed_at ? null : `/ideas/${row.slug}#comment-${row.id}`,
			body: row.body,
			hiddenAt: row.hidden_at ?? null,
			public: !row.removed_at
		}));
	},
	// Every amendment's page is public.
	'amendment-comment': async (db, ids) => {
		const rows = await db
			.selectFrom('statement_amendment_comment as c')
			.leftJoin('moderation_item as m', (join) =>
				join.on('m.kind', '=', 'amendment-comment').onRef('m.target_id', '=', 'c.id')
			)
			.select(['c.id', 'c.author_id', 'c.body', 'c.amendment_id'])
			.select('m.hidden_at')
			.where('c.id', 'in', ids)
			.execute();
		return rows.map((row) => ({
			kind: 'amendment-comment',
			id: row.id,
			authorId: row.author_id,
			title: 'A comment on an amendment to the shared statement',
			path: `/statement/amendments/${row.amendment_id}#comment-${row.id}`,
			body: row.body,
			hiddenAt: row.hidden_at ?? null,
			public: true
		}));
	}
};

/** A reported thing by kind and id, with what moderation needs. */
export async function findReportTarget(
	db: Db,
	kind: ReportableKind,
	id: string,
	now: string
): Promise<ReportTarget | undefined> {
	const [target] = await LOADERS[kind](db, [id], now);
	return target;
}

/** Whether moderation has hidden this thing (a video's only hidden state is here). */
export async function isHiddenItem(db: Db, kind: ReportableKind, targetId: string) {
	const item = await db
		.selectFrom('moderation_item')
		.select('hidden_at')
		.where('kind', '=', kind)
		.where('target_id', '=', targetId)
		.executeTakeFirst();
	return !!item?.hidden_at;
}

export async function insertReport(trx: Db, report: NewContentReport): Promise<void> {
	await trx.insertInto('content_report').values(report).execute();
}

/** Adds one open report to the thing's queue entry (opening it again if it was decided). */
export async function recordReportOnItem(
	trx: Db,
	item: { kind: ReportableKind; targetId: string; authorId: string | null },
	now: string
): Promise<void> {
	await trx
		.insertInto('moderation_item')
		.values({
			kind: item.kind,
			target_id: item.targetId,
			author_id: item.authorId,
			status: 'open',
			hidden_at: null,
			open_reports: 1,
			last_reported_at: now,
			decision: null,
			decided_by: null,
			decided_at: null
		})
		.onConflict((oc) =>
			oc.columns(['kind', 'target_id']).doUpdateSet({
				status: 'open',
				open_reports: sql`moderation_item.open_reports + 1`,
				last_reported_at: now
			})
		)
		.execute();
}

/** How many different people have open reports about the thing. */
export async function countOpenReporters(
	db: Db,
	kind: ReportableKind,
	targetId: string
): Promise<number> {
	const row = await db
		.selectFrom('content_report')
		.select((eb) => eb.fn.count<number>('reporter_id').distinct().as('n'))
		.where('kind', '=', kind)
		.where('target_id', '=', targetId)
		.where('resolved_at', 'is', null)
		.executeTakeFirst();
	return Number(row?.n ?? 0);
}

/** Hides or shows the thing itself (post.hidden_at, comment.hidden_at) and its queue entry. */
export async function setHidden(
	trx: Db,
	kind: ReportableKind,
	targetId: string,
	hiddenAt: string | null
): Promise<void> {
	if (kind === 'post')
		await trx.updateTable('post').set({ hidden_at: hiddenAt }).where('id', '=', targetId).execute();
	if (kind === 'comment')
		await trx
			.updateTable('comment')
			.set({ hidden_at: hiddenAt })
			.where('id', '=', targetId)
			.execute();
	await trx
		.updateTable('moderation_item')
		.set({ hidden_at: hiddenAt })
		.where('kind', '=', kind)
		.where('target_id', '=', targetId)
		.execute();
}

export async function findItem(db: Db, kind: ReportableKind, targetId: string) {
	return db
		.selectFrom('moderation_item')
		.selectAll()
		.where('kind', '=', kind)
		.where('target_id', '=', targetId)
		.executeTakeFirst();
}

/** Closes the thing's open reports and records the decision on its queue entry. */
export async function recordDecision(
	trx: Db,
	item: { kind: ReportableKind; targetId: string },
	decision: ModerationDecision,
	curatorId: string,
	now: string
): Promise<number> {
	const resolved = await trx
		.updateTable('content_report')
		.set({ resolved_at: now })
		.where('kind', '=', item.kind)
		.where('target_id', '=', item.targetId)
		.where('resolved_at', 'is', null)
		.executeTakeFirst();
	await trx
		.updateTable('moderation_item')
		.set({
			status: 'decided',
			open_reports: 0,
			decision,
			decided_by: curatorId,
			decided_at: now
		})
		.where('kind', '=', item.kind)
		.where('target_id', '=', item.targetId)
		.execute();
	return Number(resolved.numUpdatedRows);
}

export async function countOpenItems(db: Db): Promise<number> {
	const row = await db
		.selectFrom('moderation_item')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('status', '=', 'open')
		.executeTakeFirst();
	return Number(row?.n ?? 0);
}

/** One page of the queue, the most recently reported first. */
export async function listOpenItems(db: Db, page: { limit: number; offset: number }) {
	return db
		.selectFrom('moderation_item as m')
		.leftJoin('app_user as u', 'u.id', 'm.author_id')
		.select([
			'm.kind',
			'm.target_id',
			'm.author_id',
			'm.hidden_at',
			'm.open_reports',
			'm.last_reported_at',
			'u.name as author_name'
		])
		.where('m.status', '=', 'open')
		.orderBy('m.last_reported_at', 'desc')
		.orderBy('m.target_id')
		.limit(page.limit)
		.offset(page.offset)
		.execute();
}

/** The open reports about several things, in one query. */
export async function listOpenReportsFor(
	db: Db,
	things: { kind: ReportableKind; targetId: string }[]
): Promise<
	{
		kind: ReportableKind;
		target_id: string;
		reason: ReportReason;
		note: string | null;
		created_at: string;
	}[]
> {
	if (!things.length) return [];
	return db
		.selectFrom('content_report')
		.select(['kind', 'target_id', 'reason', 'note', 'created_at'])
		.where('resolved_at', 'is', null)
		.where('target_id', 'in', [...new Set(things.map((t) => t.targetId))])
		.orderBy('created_at')
		.execute();
}

/**
 * What the queue shows of each thing in it, by `kind:id`: a query per kind present, never one
 * per row. A thing deleted since it was reported is missing from the map.
 */
export async function findTargetsForQueue(
	db: Db,
	things: { kind: ReportableKind; targetId: string }[],
	now: string
): Promise<Map<string, ReportTarget>> {
	const byKind = new Map<ReportableKind, string[]>();
	for (const { kind, targetId } of things)
		byKind.set(kind, [...(byKind.get(kind) ?? []), targetId]);
	const found = await Promise.all([...byKind].map(([kind, ids]) => LOADERS[kind](db, ids, now)));
	return new Map(found.flat().map((target) => [`${target.kind}:${target.id}`, target]));
}

/** Of these ids of one kind, the ones moderation has hidden (one query). */
export async function findHiddenAmong(
	db: Db,
	kind: ReportableKind,
	ids: readonly string[]
): Promise<Set<string>> {
	if (!ids.length) return new Set();
	const rows = await db
		.selectFrom('moderation_item')
		.select('target_id')
		.where('kind', '=', kind)
		.where('target_id', 'in', [...ids])
		.where('hidden_at', 'is not', null)
		.execute();
	return new Set(rows.map((row) => row.target_id));
}

export async function findUserContact(db: Db, userId: string) {
	return db
		.selectFrom('app_user')
		.select(['id', 'name', 'email'])
		.where('id', '=', userId)
		.executeTakeFirst();
}

export async function insertSuspension(
	trx: Db,
	row: { id: string; user_id: string; ends_at: string; created_by: string; created_at: string }
): Promise<void> {
	await trx.insertInto('posting_suspension').values(row).execute();
}

/** The latest end of the person's suspensions that are still running, if any. */
export async function findSuspensionEnd(
	db: Db,
	userId: string,
	now: string
): Promise<string | null> {
	const row = await db
		.selectFrom('posting_suspension')
		.select((eb) => eb.fn.max('ends_at').as('ends_at'))
		.where('user_id', '=', userId)
		.where('ends_at', '>', now)
		.executeTakeFirst();
	return (row?.ends_at as string | null | undefined) ?? null;
}
