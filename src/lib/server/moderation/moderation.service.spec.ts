import { expect, it } from 'vitest';
import { ForbiddenError } from '../refusals';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import { writeSetting } from '../settings/settings.repository';
import { addComment, loadThread } from '../comments/comments.service';
import { createTestPost } from '../comments/comments.testing';
import { contentReport } from './moderation.personal-data';
import { HIDE_AFTER_REPORTS_SETTING } from './moderation.settings';
import { newId, nowIso } from '../ids';
import {
	decideOnReport,
	findReportable,
	isSuspendedFromPosting,
	isVideoHidden,
	listModerationQueue,
	reportContent,
	suspendFromPosting
} from './moderation.service';

const SITE = { siteName: 'CoLab Test', origin: 'https://colab.test' };
const REPORT = { reason: 'spam' as const, note: '', website: '' };

describeEachDatabase('moderation', (ctx) => {
	async function reportedComment() {
		const author = await createTestUser(ctx.db, { name: 'Ada Author' });
		const writer = await createTestUser(ctx.db, { name: 'Wren Writer' });
		const curator = await createTestUser(ctx.db, { name: 'Cleo Curator', role: 'curator' });
		const reporters = await Promise.all([1, 2, 3].map(() => createTestUser(ctx.db)));
		const post = await createTestPost(ctx.db, author.id);
		const added = await addComment(ctx.db, writer, post.slug, { body: 'Buy cheap things' });
		if (!added.ok) throw new Error(added.reason);
		return { author, writer, curator, reporters, post, commentId: added.id };
	}

	it('hides a comment when three different people report it, and not before', async () => {
		const { reporters, post, commentId } = await reportedComment();
		const target = { kind: 'comment' as const, id: commentId };
		const [a, b, c] = reporters;
		expect(await reportContent(ctx.db, a, target, REPORT)).toEqual({ ok: true, hidden: false });
		// The same person twice counts once, with a clear message.
		expect(await reportContent(ctx.db, a, target, REPORT)).toEqual({
			ok: false,
			reason: 'already-reported'
		});
		expect(await reportContent(ctx.db, b, target, { ...REPORT, reason: 'offensive' })).toEqual({
			ok: true,
			hidden: false
		});
		expect((await loadThread(ctx.db, null, post.slug))!.comments[0]!.state).toBe('shown');
		expect(await reportContent(ctx.db, c, target, { ...REPORT, note: 'Selling pills' })).toEqual({
			ok: true,
			hidden: true
		});
		const shown = (await loadThread(ctx.db, null, post.slug))!.comments[0]!;
		expect(shown.state).toBe('hidden');
		expect(shown.bodyHtml).toBeNull();
	});

	it('follows the setting for how many reports hide a thing', async () => {
		await writeSetting(ctx.db, HIDE_AFTER_REPORTS_SETTING, '1');
		try {
			const { reporters, commentId } = await reportedComment();
			expect(
				await reportContent(ctx.db, reporters[0], { kind: 'comment', id: commentId }, REPORT)
			).toEqual({ ok: true, hidden: true });
		} finally {
			await writeSetting(ctx.db, HIDE_AFTER_REPORTS_SETTING, '3');
		}
	});

	it('hides a post at the threshold, and keeps a video’s hidden state in its own table', async () => {
		const author = await createTestUser(ctx.db);
		const post = await createTestPost(ctx.db, author.id, { title: 'Our walk' });
		const videoId = newId();
		const now = nowIso();
		await ctx.db
			.insertInto('post_video')
			.values({
				id: videoId,
				post_id: post.id,
				kind: 'youtube',
				provider_id: 'aqz-KE-bpKQ',
				provider_host: null,
				source_url: 'https://www.youtube.com/watch?v=aqz-KE-bpKQ',
				file_id: null,
				content_type: null,
				byte_length: null,
				captions: null,
				captions_id: null,
				transcript: null,
				added_by: author.id,
				created_at: now,
				updated_at: now
			})
			.execute();
		expect(await findReportable(ctx.db, 'video', videoId)).toEqual({
			title: 'The video in “Our walk”',
			path: `/blog/${post.slug}#video`
		});
		expect(await isVideoHidden(ctx.db, videoId)).toBe(false);
		const people = await Promise.all([1, 2, 3].map(() => createTestUser(ctx.db)));
		for (const person of people) {
			await reportContent(ctx.db, person, { kind: 'post', id: post.id }, REPORT);
			await reportContent(ctx.db, person, { kind: 'video', id: videoId }, REPORT);
		}
		const row = await ctx.db
			.selectFrom('post')
			.select('hidden_at')
			.where('id', '=', post.id)
			.executeTakeFirstOrThrow();
		expect(row.hidden_at).not.toBeNull();
		expect(await isVideoHidden(ctx.db, videoId)).toBe(true);
		// The queue names the video by its post, and its author is the post's.
		const curator = await createTestUser(ctx.db, { role: 'curator' });
		const queue = await listModerationQueue(ctx.db, curator);
		const entry = queue.entries.find((e) => e.kind === 'video' && e.id === videoId);
		expect(entry).toMatchObject({
			title: 'The video in “Our walk”',
			path: `/blog/${post.slug}#video`,
			authorId: author.id,
			hidden: true
		});
		// An unknown video cannot be reported.
		expect(
			await reportContent(ctx.db, people[0]!, { kind: 'video', id: 'no-such-video' }, REPORT)
		).toEqual({ ok: false, reason: 'not-found' });
	});

	it('refuses a visitor who reports, and says when the thing is not there', async () => {
		const member = await createTestUser(ctx.db);
		await expect(reportContent(ctx.db, null, { kind: 'comment', id: 'x' }, REPORT)).rejects.toThrow(
			ForbiddenError
		);
		expect(await reportContent(ctx.db, member, { kind: 'comment', id: 'nope' }, REPORT)).toEqual({
			ok: false,
			reason: 'not-found'
		});
	});

	it('shows curators the queue with counts by reason and notes; refuses others', async () => {
		const { reporters, commentId, writer, curator } = await reportedComment();
		await reportContent(ctx.db, reporters[0], { kind: 'comment', id: commentId }, REPORT);
		await reportContent(
			ctx.db,
			reporters[1],
			{ kind: 'comment', id: commentId },
			{ reason: 'offensive', note: 'Rude', website: '' }
		);
		await expect(listModerationQueue(ctx.db, writer)).rejects.toThrow(ForbiddenError);
		await expect(listModerationQueue(ctx.db, null)).rejects.toThrow(ForbiddenError);
		const queue = await listModerationQueue(ctx.db, curator, 1, 100);
		const entry = queue.entries.find((e) => e.id === commentId)!;
		expect(entry.reportCount).toBe(2);
		expect(entry.reasons).toEqual(
			expect.arrayContaining([
				{ reason: 'spam', count: 1 },
				{ reason: 'offensive', count: 1 }
			])
		);
		expect(entry.notes).toEqual(['Rude']);
		expect(entry.authorName).toBe('Wren Writer');
		expect(entry.body).toBe('Buy cheap things');
	});

	it('restores a hidden comment, resolves the reports, logs it and emails the author why', async () => {
		const { reporters, commentId, writer, curator, post } = await reportedComment();
		for (const r of reporters)
			await reportContent(ctx.db, r, { kind: 'comment', id: commentId }, REPORT);
		const member = reporters[0];
		await expect(
			decideOnReport(ctx.db, member, SITE, {
				kind: 'comment',
				id: commentId,
				decision: 'restore',
				message: 'x'
			})
		).rejects.toThrow(ForbiddenError);
		expect(
			await decideOnReport(ctx.db, curator, SITE, {
				kind: 'comment',
				id: commentId,
				decision: 'restore',
				message: 'It is a fair point about prices, not spam.'
			})
		).toEqual({ ok: true, decision: 'restored' });
		expect((await loadThread(ctx.db, null, post.slug))!.comments[0]!.state).toBe('shown');
		const open = await ctx.db
			.selectFrom('content_report')
			.select('id')
			.where('target_id', '=', commentId)
			.where('resolved_at', 'is', null)
			.execute();
		expect(open).toEqual([]);
		const audit = await ctx.db
			.selectFrom('audit_log')
			.select(['action', 'actor_id'])
			.where('target_id', '=', commentId)
			.execute();
		expect(audit).toEqual([{ action: 'moderation.restored', actor_id: curator.id }]);
		const mail = await ctx.db
			.selectFrom('mail_outbox')
			.selectAll()
			.where('user_id', '=', writer.id)
			.execute();
		expect(mail).toHaveLength(1);
		expect(mail[0]!.kind).toBe('moderation.restored');
		// And in their notifications, with no second email (the decision's own mail says why).
		const told = await ctx.db
			.selectFrom('notification')
			.select(['kind', 'subject_key', 'title', 'url'])
			.where('recipient_id', '=', writer.id)
			.execute();
		expect(told).toEqual([
			{
				kind: 'content-decision',
				subject_key: `comment:${commentId}`,
				title: 'A curator restored your comment on “Notes from the café”.',
				url: `/blog/${post.slug}/comments#comment-${commentId}`
			}
		]);
		// A second decision on the same reports finds nothing waiting.
		expect(
			await decideOnReport(ctx.db, curator, SITE, {
				kind: 'comment',
				id: commentId,
				decision: 'hide',
				message: 'x'
			})
		).toEqual({ ok: false, reason: 'not-in-queue' });
	});

	it('hides, dismisses and warns, each leaving the thing as said', async () => {
		const { reporters, curator, post } = await reportedComment();
		const writer = await createTestUser(ctx.db);
		const ids: string[] = [];
		for (const body of ['One', 'Two', 'Three']) {
			const added = await addComment(ctx.db, writer, post.slug, { body });
			if (!added.ok) throw new Error(added.reason);
			ids.push(added.id);
			await reportContent(ctx.db, reporters[0], { kind: 'comment', id: added.id }, REPORT);
		}
		const decisions = ['hide', 'dismiss', 'warn'] as const;
		for (const [i, decision] of decisions.entries())
			await decideOnReport(ctx.db, curator, SITE, {
				kind: 'comment',
				id: ids[i]!,
				decision,
				message: 'Because.'
			});
		const rows = await ctx.db
			.selectFrom('comment')
			.select(['id', 'hidden_at'])
			.where('id', 'in', ids)
			.execute();
		const hidden = Object.fromEntries(rows.map((r) => [r.id, r.hidden_at !== null]));
		expect(ids.map((id) => hidden[id])).toEqual([true, false, false]);
		const kinds = await ctx.db
			.selectFrom('mail_outbox')
			.select('kind')
			.where('user_id', '=', writer.id)
			.orderBy('kind')
			.execute();
		expect(kinds.map((k) => k.kind)).toEqual([
			'moderation.dismissed',
			'moderation.hidden',
			'moderation.warned'
		]);
	});

	it('suspends the author from posting for some days; curators only', async () => {
		const { reporters, commentId, writer, curator, post } = await reportedComment();
		await reportContent(ctx.db, reporters[0], { kind: 'comment', id: commentId }, REPORT);
		const input = {
			kind: 'comment' as const,
			id: commentId,
			userId: writer.id,
			days: 7,
			message: 'Please stop posting adverts.'
		};
		await expect(suspendFromPosting(ctx.db, reporters[1], SITE, input)).rejects.toThrow(
			ForbiddenError
		);
		expect(await isSuspendedFromPosting(ctx.db, writer.id)).toBe(false);
		// Only the author of the reported thing, from its queue entry.
		expect(
			await suspendFromPosting(ctx.db, curator, SITE, { ...input, userId: reporters[2]!.id })
		).toEqual({ ok: false, reason: 'no-author' });
		const result = await suspendFromPosting(ctx.db, curator, SITE, input);
		expect(result.ok).toBe(true);
		expect(await isSuspendedFromPosting(ctx.db, writer.id)).toBe(true);
		const inEightDays = new Date(Date.now() + 8 * 86_400_000).toISOString();
		expect(await isSuspendedFromPosting(ctx.db, writer.id, inEightDays)).toBe(false);
		expect(await addComment(ctx.db, writer, post.slug, { body: 'More' })).toMatchObject({
			ok: false,
			reason: 'suspended'
		});
		const audit = await ctx.db
			.selectFrom('audit_log')
			.select('action')
			.where('target_id', '=', writer.id)
			.execute();
		expect(audit.map((a) => a.action)).toEqual(['moderation.suspended']);
	});

	it('exports the reports a person sent and removes them when they leave', async () => {
		const { reporters, commentId } = await reportedComment();
		const me = reporters[0]!;
		await reportContent(
			ctx.db,
			me,
			{ kind: 'comment', id: commentId },
			{ reason: 'other', note: 'Odd', website: '' }
		);
		const subject = { id: me.id, name: me.name, email: me.email };
		expect(await contentReport.export!(ctx.db, subject)).toEqual([
			expect.objectContaining({
				kind: 'comment',
				target_id: commentId,
				reason: 'other',
				note: 'Odd'
			})
		]);
		await ctx.db.transaction().execute((trx) =>
			contentReport.erase(trx, {
				person: subject,
				contributions: 'remove',
				site: SITE,
				afterCommit: []
			})
		);
		expect(await contentReport.export!(ctx.db, subject)).toEqual([]);
	});
});
