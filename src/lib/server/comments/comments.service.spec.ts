import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '../refusals';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import { newId } from '../ids';
import { comment as personalData } from './comments.personal-data';
import { createTestPost } from './comments.testing';
import {
	COMMENT_RATE,
	addComment,
	deleteComment,
	describeCommentRefusal,
	editComment,
	loadThread,
	renderCommentBody,
	setCommentsOpen
} from './comments.service';
import { commentSchema, COMMENT_MAX } from './comments.schema';
import { parseForm, toFormData } from '../forms';

describeEachDatabase('comments', (ctx) => {
	async function people() {
		const author = await createTestUser(ctx.db, { name: 'Ada Author' });
		const member = await createTestUser(ctx.db, { name: 'Mo Member' });
		const other = await createTestUser(ctx.db, { name: 'Oli Other' });
		const curator = await createTestUser(ctx.db, { name: 'Cleo Curator', role: 'curator' });
		const post = await createTestPost(ctx.db, author.id);
		return { author, member, other, curator, post };
	}

	async function add(
		actor: Awaited<ReturnType<typeof createTestUser>>,
		slug: string,
		body: string,
		parentId?: string
	) {
		const result = await addComment(ctx.db, actor, slug, { body, parentId });
		if (!result.ok) throw new Error(`refused: ${result.reason}`);
		return result.id;
	}

	it('shows a comment and its reply, sanitised; a reply to a reply joins the top-level one', async () => {
		const { member, other, post } = await people();
		const top = await add(member, post.slug, 'Hello **there** <script>alert(1)</script>');
		const reply = await add(other, post.slug, 'Thanks', top);
		await add(member, post.slug, 'A reply to the reply', reply);
		const thread = await loadThread(ctx.db, null, post.slug);
		expect(thread?.comments).toHaveLength(1);
		const first = thread!.comments[0]!;
		expect(first.bodyHtml).toContain('<strong>there</strong>');
		expect(first.bodyHtml).not.toContain('<script');
		expect(first.authorName).toBe('Mo Member');
		expect(first.replies.map((r) => r.bodyHtml)).toEqual([
			'<p>Thanks</p>',
			'<p>A reply to the reply</p>'
		]);
		expect(thread!.count).toBe(3);
		// A visitor reads, but has no form and no edit rights.
		expect(thread!.canComment).toBe(false);
		expect(first.canEdit).toBe(false);
		const own = await loadThread(ctx.db, member, post.slug);
		expect(own!.canComment).toBe(true);
		expect(own!.comments[0]!.canEdit).toBe(true);
		expect(own!.comments[0]!.source).toContain('Hello **there**');
	});

	it('tells the people replied to, in their notifications, and never the replier', async () => {
		const { author, member, other, post } = await people();
		const top = await add(member, post.slug, 'First thoughts');
		const reply = await add(other, post.slug, 'I agree', top);
		await add(member, post.slug, 'Thank you', top); // replying in one's own thread: nobody
		await add(author, post.slug, 'Me too', reply); // a reply to a reply: both are told
		const told = await ctx.db
			.selectFrom('notification')
			.select(['recipient_id', 'kind', 'subject_key', 'count', 'url'])
			.where('kind', '=', 'comment-reply')
			.where('recipient_id', 'in', [author.id, member.id, other.id])
			.orderBy('recipient_id')
			.execute();
		expect(told.map((t) => t.recipient_id).sort()).toEqual([member.id, other.id].sort());
		const toMember = told.find((t) => t.recipient_id === member.id)!;
		// Two replies to one thread, grouped into one notification.
		expect(toMember).toMatchObject({ subject_key: `comment:${top}`, count: 2 });
		expect(toMember.url).toMatch(new RegExp(`^/blog/${post.slug}#comment-`));
		expect(told.find((t) => t.recipient_id === other.id)).toMatchObject({
			subject_key: `comment:${reply}`,
			count: 1
		});
	});

	it('refuses a visitor who tries to comment', async () => {
		const { post } = await people();
		await expect(addComment(ctx.db, null, post.slug, { body: 'Hi' })).rejects.toThrow(
			ForbiddenError
		);
	});

	it('refuses comments on a closed, hidden, draft or scheduled post with a clear reason', async () => {
		const author = await createTestUser(ctx.db);
		const member = await createTestUser(ctx.db);
		const closed = await createTestPost(ctx.db, author.id, { comments_closed: 1 });
		const hidden = await createTestPost(ctx.db, author.id, { hidden_at: new Date().toISOString() });
		const draft = await createTestPost(ctx.db, author.id, { status: 'draft', published_at: null });
		const later = await createTestPost(ctx.db, author.id, {
			published_at: new Date(Date.now() + 86_400_000).toISOString()
		});
		const reasons = [];
		for (const p of [closed, hidden, draft, later]) {
			const result = await addComment(ctx.db, member, p.slug, { body: 'Hi' });
			reasons.push(result.ok ? 'ok' : result.reason);
		}
		expect(reasons).toEqual(['closed', 'hidden', 'not-public', 'not-public']);
		expect(describeCommentRefusal({ reason: 'closed' })).toMatch(/closed/);
		expect(await addComment(ctx.db, member, 'no-such-post', { body: 'Hi' })).toMatchObject({
			ok: false,
			reason: 'no-post'
		});
		// Visitors see a hidden post's thread as hidden, and nothing of a draft.
		expect((await loadThread(ctx.db, null, hidden.slug))?.post.hidden).toBe(true);
		expect(await loadThread(ctx.db, null, draft.slug)).toBeUndefined();
	});

	it('says the limit for an empty or oversized comment, and never cuts it', () => {
		const empty = parseForm(commentSchema, toFormData({ body: '   ' }));
		expect(empty.ok).toBe(false);
		expect(!empty.ok && empty.errors.body).toBe('Write your comment before sending it');
		const long = 'a'.repeat(COMMENT_MAX + 1);
		const tooLong = parseForm(commentSchema, toFormData({ body: long }));
		expect(!tooLong.ok && tooLong.errors.body).toContain('5,000 characters');
		expect(tooLong.values.body).toBe(long);
	});

	it('lets only the author edit, within 15 minutes, then says the time has passed', async () => {
		const { member, other, post } = await people();
		const id = await add(member, post.slug, 'First words');
		await expect(editComment(ctx.db, other, id, 'Not mine')).rejects.toThrow(ForbiddenError);
		await expect(editComment(ctx.db, null, id, 'Not mine')).rejects.toThrow(ForbiddenError);
		expect(await editComment(ctx.db, member, id, 'Better words')).toMatchObject({ ok: true });
		const later = new Date(Date.now() + 16 * 60_000).toISOString();
		expect(await editComment(ctx.db, member, id, 'Too late', later)).toMatchObject({
			ok: false,
			reason: 'too-late'
		});
		const thread = await loadThread(ctx.db, member, post.slug);
		expect(thread!.comments[0]!.bodyHtml).toBe('<p>Better words</p>');
		expect(thread!.comments[0]!.editedAt).not.toBeNull();
	});

	it('shows a reply under its comment even when its time is not later (same millisecond, or a clock behind)', async () => {
		const { member, other, post } = await people();
		const top = await add(member, post.slug, 'First');
		const reply = await add(other, post.slug, 'Written on an instance whose clock is behind', top);
		const row = await ctx.db
			.selectFrom('comment')
			.select('created_at')
			.where('id', '=', top)
			.executeTakeFirstOrThrow();
		const earlier = new Date(Date.parse(row.created_at) - 1000).toISOString();
		await ctx.db
			.updateTable('comment')
			.set({ created_at: earlier })
			.where('id', '=', reply)
			.execute();
		const thread = await loadThread(ctx.db, null, post.slug);
		expect(thread!.comments.map((c) => c.replies.map((r) => r.id))).toEqual([[reply]]);
		expect(thread!.count).toBe(2);
	});

	it('deletes: with replies it leaves "comment deleted", without it disappears', async () => {
		const { member, other, post } = await people();
		const lonely = await add(member, post.slug, 'Alone');
		const busy = await add(member, post.slug, 'Has replies');
		const reply = await add(other, post.slug, 'A reply', busy);
		await expect(deleteComment(ctx.db, other, busy)).rejects.toThrow(ForbiddenError);
		await deleteComment(ctx.db, member, lonely);
		await deleteComment(ctx.db, member, busy);
		let thread = await loadThread(ctx.db, null, post.slug);
		expect(thread!.comments.map((c) => c.state)).toEqual(['deleted']);
		expect(thread!.comments[0]!.bodyHtml).toBeNull();
		expect(thread!.comments[0]!.replies).toHaveLength(1);
		// When its last reply goes, the deleted comment has nothing left to hold up.
		await deleteComment(ctx.db, other, reply);
		thread = await loadThread(ctx.db, null, post.slug);
		expect(thread!.comments).toEqual([]);
		expect(await deleteComment(ctx.db, member, busy)).toMatchObject({ ok: false, reason: 'gone' });
	});

	it('lets the post author or a curator close comments, and nobody else', async () => {
		const { author, member, curator, post } = await people();
		await expect(setCommentsOpen(ctx.db, member, post.slug, false)).rejects.toThrow(ForbiddenError);
		await expect(setCommentsOpen(ctx.db, null, post.slug, false)).rejects.toThrow(ForbiddenError);
		await setCommentsOpen(ctx.db, author, post.slug, false);
		expect(await addComment(ctx.db, member, post.slug, { body: 'Hi' })).toMatchObject({
			ok: false,
			reason: 'closed'
		});
		await setCommentsOpen(ctx.db, curator, post.slug, true);
		expect(await addComment(ctx.db, member, post.slug, { body: 'Hi' })).toMatchObject({ ok: true });
		const audit = await ctx.db
			.selectFrom('audit_log')
			.select('action')
			.where('target_id', '=', post.id)
			.execute();
		expect(audit.map((a) => a.action).sort()).toEqual([
			'post.comments_closed',
			'post.comments_opened'
		]);
	});

	it('refuses a suspended member', async () => {
		const { member, curator, post } = await people();
		await ctx.db
			.insertInto('posting_suspension')
			.values({
				id: newId(),
				user_id: member.id,
				ends_at: new Date(Date.now() + 86_400_000).toISOString(),
				created_by: curator.id,
				created_at: new Date().toISOString()
			})
			.execute();
		const result = await addComment(ctx.db, member, post.slug, { body: 'Hi' });
		expect(result).toMatchObject({ ok: false, reason: 'suspended' });
		expect(describeCommentRefusal(result as never)).toMatch(/suspended you .* until/);
		expect((await loadThread(ctx.db, member, post.slug))!.canComment).toBe(false);
	});

	it('limits how many comments one person sends in a short time', async () => {
		const { member, post } = await people();
		for (let i = 0; i < COMMENT_RATE.limit; i++) await add(member, post.slug, `Comment ${i}`);
		expect(await addComment(ctx.db, member, post.slug, { body: 'One more' })).toMatchObject({
			ok: false,
			reason: 'rate-limited'
		});
	});

	it('pages a long thread, each page in the same few queries', async () => {
		const { member, other, post } = await people();
		const rows = [];
		const base = Date.now() - 3_600_000;
		for (let i = 0; i < 55; i++)
			rows.push({
				id: `c${String(i).padStart(3, '0')}${newId().slice(0, 8)}`,
				post_id: post.id,
				parent_id: null,
				author_id: i % 2 ? member.id : other.id,
				body: `Comment ${i}`,
				created_at: new Date(base + i * 1000).toISOString(),
				edited_at: null,
				deleted_at: null,
				hidden_at: null
			});
		await ctx.db.insertInto('comment').values(rows).execute();
		const first = await loadThread(ctx.db, null, post.slug, 1);
		const second = await loadThread(ctx.db, null, post.slug, 2);
		expect(first!.comments).toHaveLength(50);
		expect(first!.totalPages).toBe(2);
		expect(second!.comments.map((c) => c.bodyHtml)).toEqual(
			[50, 51, 52, 53, 54].map((i) => `<p>Comment ${i}</p>`)
		);
	});

	it('exports a person’s comments and, on deletion, removes them (replied-to ones read "comment deleted")', async () => {
		const { member, other, post } = await people();
		const withReply = await add(member, post.slug, 'Mine, with a reply');
		await add(other, post.slug, 'Their reply', withReply);
		await add(member, post.slug, 'Mine, alone');
		const ownReplyTarget = await add(other, post.slug, 'Theirs');
		await add(member, post.slug, 'My reply', ownReplyTarget);
		const exported = (await personalData.export!(ctx.db, {
			id: member.id,
			name: member.name,
			email: member.email
		})) as { body: string; address: string }[];
		expect(exported.map((e) => e.body).sort()).toEqual([
			'Mine, alone',
			'Mine, with a reply',
			'My reply'
		]);
		expect(exported[0]!.address).toMatch(/^\/blog\/.+\/comments#comment-/);
		await ctx.db.transaction().execute((trx) =>
			personalData.erase(trx, {
				person: { id: member.id, name: member.name, email: member.email },
				contributions: 'keep-as-former-member',
				site: { siteName: 'CoLab', origin: 'https://colab.test' },
				afterCommit: []
			})
		);
		const left = await ctx.db
			.selectFrom('comment')
			.select(['body', 'author_id', 'deleted_at'])
			.where('post_id', '=', post.id)
			// Sent within the same millisecond: by words, so the order is the same every run.
			.orderBy('body')
			.execute();
		expect(left.map((c) => [c.body, c.author_id === null, c.deleted_at !== null])).toEqual([
			['', true, true],
			['Their reply', false, false],
			['Theirs', false, false]
		]);
	});
});

describeEachDatabase('comments demo', (ctx) => {
	it('adds nothing without a published post, then a thread and a reported comment, once', async () => {
		const { seedComments, DEMO_REPORTED_COMMENT_ID } = await import('./comments.demo');
		const people = await Promise.all(
			['Sam Taylor', 'Jo Bennett', 'Tom Walsh', 'Priya Shah'].map((name) =>
				createTestUser(ctx.db, { name })
			)
		);
		await seedComments(ctx.db, people);
		expect(await ctx.db.selectFrom('comment').select('id').execute()).toEqual([]);
		const post = await createTestPost(ctx.db, people[0]!.id);
		await seedComments(ctx.db, people);
		await seedComments(ctx.db, people);
		const thread = await loadThread(ctx.db, null, post.slug);
		expect(thread!.comments).toHaveLength(3);
		expect(thread!.comments[0]!.replies).toHaveLength(1);
		const curator = await createTestUser(ctx.db, { role: 'curator' });
		const { listModerationQueue } = await import('../moderation/moderation.service');
		const queue = await listModerationQueue(ctx.db, curator);
		expect(queue.entries.map((e) => [e.id, e.reportCount, e.hidden])).toEqual([
			[DEMO_REPORTED_COMMENT_ID, 2, false]
		]);
	});
});

describe('renderCommentBody', () => {
	it('renders the comment subset and gives the same HTML from memory the second time', () => {
		const source = `# Not a heading ${Math.random()}\n\n<script>x</script>`;
		const first = renderCommentBody(source);
		expect(first).toMatch(/^<p>Not a heading/);
		expect(first).not.toContain('<script');
		expect(renderCommentBody(source)).toBe(first);
	});
});
