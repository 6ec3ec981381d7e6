import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { changeContent } from '../cache/content-version';
import { nowIso } from '../ids';

/** The demo's comment that waits in the moderation queue, at a fixed id (idempotent). */
export const DEMO_REPORTED_COMMENT_ID = 'demo-comment-reported';

const THREAD = [
	{
		id: 'demo-comment-1',
		parent: null,
		by: 'Sam Taylor',
		body: 'This matches what we found at our café. People came back because **someone remembered their name**.'
	},
	{
		id: 'demo-comment-2',
		parent: 'demo-comment-1',
		by: 'Jo Bennett',
		body: 'Yes! We now keep a short list of who came last time, so the host can say hello.'
	},
	{
		id: 'demo-comment-3',
		parent: null,
		by: 'Tom Walsh',
		body: 'Could you share the questions you used? A list would help:\n\n- what worked\n- what you would change'
	},
	{
		id: DEMO_REPORTED_COMMENT_ID,
		parent: null,
		by: 'Priya Shah',
		body: 'Cheap tickets here!!! Best prices, visit my site now.'
	}
] as const;

/** Who reports the demo's reported comment (fewer than 3, so it waits, still shown). */
const REPORTERS = ['Sam Taylor', 'Jo Bennett'] as const;

/**
 * Comments and a reply on the first published post, and a reported comment waiting in the
 * moderation queue. The posts demo is written elsewhere: with no published post, this adds
 * nothing. Run it after the posts demo.
 */
export async function seedComments(
	db: Kysely<DB>,
	people: ReadonlyArray<{ id: string; name: string }>
): Promise<void> {
	const exists = await db
		.selectFrom('comment')
		.select('id')
		.where('id', '=', THREAD[0].id)
		.executeTakeFirst();
	if (exists) return;
	const now = nowIso();
	const post = await db
		.selectFrom('post')
		.select('id')
		.where('status', '=', 'published')
		.where('published_at', '<=', now)
		.where('hidden_at', 'is', null)
		.orderBy('published_at')
		.orderBy('id')
		.executeTakeFirst();
	if (!post) return;
	const idOf = (name: string) => people.find((p) => p.name === name)?.id ?? null;
	const start = Date.now() - 2 * 86_400_000;
	await changeContent(db, async (trx) => {
		for (const [i, c] of THREAD.entries())
			await trx
				.insertInto('comment')
				.values({
					id: c.id,
					post_id: post.id,
					parent_id: c.parent,
					author_id: idOf(c.by),
					body: c.body,
					created_at: new Date(start + i * 3_600_000).toISOString(),
					edited_at: null,
					deleted_at: null,
					hidden_at: null
				})
				.execute();
		for (const [i, name] of REPORTERS.entries()) {
			const reporter = idOf(name);
			if (!reporter) continue;
			await trx
				.insertInto('content_report')
				.values({
					id: `demo-report-${i + 1}`,
					kind: 'comment',
					target_id: DEMO_REPORTED_COMMENT_ID,
					reporter_id: reporter,
					reason: i === 0 ? 'spam' : 'other',
					note: i === 0 ? null : 'Looks like an advert, not part of the conversation.',
					created_at: now,
					resolved_at: null
				})
				.execute();
		}
		await trx
			.insertInto('moderation_item')
			.values({
				kind: 'comment',
				target_id: DEMO_REPORTED_COMMENT_ID,
				author_id: idOf('Priya Shah'),
				status: 'open',
				hidden_at: null,
				open_reports: REPORTERS.length,
				last_reported_at: now,
				decision: null,
				decided_by: null,
				decided_at: null
			})
			.execute();
	});
}
