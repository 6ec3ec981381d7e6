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
	/** Where it is read on the site. */
	path: string;
	/** The words themselves (a post's or comment's Markdown), for curators only. */
	body: string | null;
	hiddenAt: string | null;
	/** Whether people can see it at all (published post, comment on one; never a deleted one). */
	public: boolean;
}

/** A reported thing by kind and id, with what moderation needs. */
export async function findReportTarget(
	db: Db,
	kind: ReportableKind,
	id: string,
	now: string
): Promise<ReportTarget | undefined> {
	if (kind === 'post') {
		const post = await db
			.selectFrom('post')
			.select(['id', 'slug', 'title', 'body', 'author_id', 'status', 'published_at', 'hidden_at'])
			.where('id', '=', id)
			.executeTakeFirst();
		if (!post) return undefined;
		return {
			kind,
			id,
			authorId: post.author_id,
			title: post.title,
			path: `/blog/${post.slug}`,
			body: post.body,
			hiddenAt: post.hidden_at,
			public: post.status === 'published' && !!post.published_at && post.published_at <= now
		};
	}
	if (kind === 'comment') {
		const row = await db
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
			.where('c.id', '=', id)
			.executeTakeFirst();
		if (!row) return undefined;
		return {
			kind,
			id,
			authorId: row.author_id,
			title: `A comment on “${row.title}”`,
			path: `/blog/${row.slug}/comments#comment-${row.id}`,
			body: row.deleted_at ? null : row.body,
			hiddenAt: row.hidden_at,
			public:
				!row.deleted_at &&
				row.status === 'published' &&
				!!row.published_at &&
				row.published_at <= now
		};
	}
	if (kind === 'video') {
		// A post's video: its post's author and address; hidden only through moderation_item.
		const row = await db
			.selectFrom('post_video as v')
			.innerJoin('post as p', 'p.id', 'v.post_id')
			.leftJoin('moderation_item as m', (join) =>
				join.on('m.kind', '=', 'video').onRef('m.target_id', '=', 'v.id')
			)
			.select(['v.id', 'p.author_id', 'p.slug', 'p.title', 'p.status', 'p.published_at'])
			.select('m.hidden_at')
			.where('v.id', '=', id)
			.executeTakeFirst();
		if (!row) return undefined;
		return {
			kind,
			id,
			authorId: row.author_id,
			title: `The video in “${row.title}”`,
			path: `/blog/${row.slug}#video`,
			body: null,
			hiddenAt: row.hidden_at ?? null,
			public: row.status === 'published' && !!row.published_at && row.published_at <= now
		};
	}
	if (kind === 'idea-comment' || kind === 'amendment-comment') {
		const [row] = await (kind === 'idea-comment' ? ideaComments : amendmentComments)(db, [id]);
		if (!row) return undefined;
		const item = await db
			.selectFrom('moderation_item')
			.select('hidden_at')
			.where('kind', '=', kind)
			.where('target_id', '=', id)
			.executeTakeFirst();
		return { ...row, hiddenAt: item?.hidden_at ?? null };
	}
	return undefined;
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

type QueueTarget = Pick<ReportTarget, 'title' | 'path' | 'body'>;

/** Comments on ideas (an idea's page shows them while the idea is not removed). */
async function ideaComments(db: Db, ids: string[]): Promise<Omit<ReportTarget, 'hiddenAt'>[]> {
	if (!ids.length) return [];
	const rows = await db
		.selectFrom('idea_comment as c')
		.innerJoin('idea as i', 'i.id', 'c.idea_id')
		.select(['c.id', 'c.author_id', 'c.body', 'i.slug', 'i.title', 'i.removed_at'])
		.where('c.id', 'in', ids)
		.execute();
	return rows.map((row) => ({
		kind: 'idea-comment',
		id: row.id,
		authorId: row.author_id,
		title: `A comment on the idea “${row.title}”`,
		path: `/ideas/${row.slug}#comment-${row.id}`,
		body: row.body,
		public: !row.removed_at
	}));
}

/** Comments on amendments to the shared statement (every amendment's page is public). */
async function amendmentComments(db: Db, ids: string[]): Promise<Omit<ReportTarget, 'hiddenAt'>[]> {
	if (!ids.length) return [];
	const rows = await db
		.selectFrom('statement_amendment_comment as c')
		.select(['c.id', 'c.author_id', 'c.body', 'c.amendment_id'])
		.where('c.id', 'in', ids)
		.execute();
	return rows.map((row) => ({
		kind: 'amendment-comment',
		id: row.id,
		authorId: row.author_id,
		title: 'A comment on an amendment to the shared statement',
		path: `/statement/amendments/${row.amendment_id}#comment-${row.id}`,
		body: row.body,
		public: true
	}));
}

/**
 * What the queue shows of each thing in it, by `kind:id`: a query per kind present, never one
 * per row. A thing deleted since it was reported is missing from the map.
 */
export async function findTargetsForQueue(
	db: Db,
	things: { kind: ReportableKind; targetId: string }[]
): Promise<Map<string, QueueTarget>> {
	const idsOf = (kind: ReportableKind) =>
		things.filter((t) => t.kind === kind).map((t) => t.targetId);
	const found = new Map<string, QueueTarget>();
	const put = (kind: ReportableKind, id: string, target: QueueTarget) =>
		found.set(`${kind}:${id}`, target);
	const [posts, comments, videos, onIdeas, onAmendments] = await Promise.all([
		idsOf('post').length
			? db
					.selectFrom('post')
					.select(['id', 'slug', 'title', 'body'])
					.where('id', 'in', idsOf('post'))
					.execute()
			: [],
		idsOf('comment').length
			? db
					.selectFrom('comment as c')
					.innerJoin('post as p', 'p.id', 'c.post_id')
					.select(['c.id', 'c.body', 'c.deleted_at', 'p.slug', 'p.title'])
					.where('c.id', 'in', idsOf('comment'))
					.execute()
			: [],
		idsOf('video').length
			? db
					.selectFrom('post_video as v')
					.innerJoin('post as p', 'p.id', 'v.post_id')
					.select(['v.id', 'p.slug', 'p.title'])
					.where('v.id', 'in', idsOf('video'))
					.execute()
			: [],
		ideaComments(db, idsOf('idea-comment')),
		amendmentComments(db, idsOf('amendment-comment'))
	]);
	for (const post of posts)
		put('post', post.id, { title: post.title, path: `/blog/${post.slug}`, body: post.body });
	for (const comment of comments)
		put('comment', comment.id, {
			title: `A comment on “${comment.title}”`,
			path: `/blog/${comment.slug}/comments#comment-${comment.id}`,
			body: comment.deleted_at ? null : comment.body
		});
	for (const video of videos)
		put('video', video.id, {
			title: `The video in “${video.title}”`,
			path: `/blog/${video.slug}#video`,
			body: null
		});
	for (const target of [...onIdeas, ...onAmendments]) put(target.kind, target.id, target);
	return found;
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
