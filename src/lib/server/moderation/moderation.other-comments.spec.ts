import { expect, it } from 'vitest';
import { ForbiddenError } from '../refusals';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import {
	commentOnIdea,
	editIdeaComment,
	postIdea,
	removeIdea,
	viewIdea
} from '../ideas/ideas.service';
import { ideaValues } from '../ideas/ideas.testing';
import {
	addComment,
	editComment,
	proposeAmendment,
	startStatement,
	viewAmendment,
	viewStatement
} from '../statements/statements.service';
import { amendmentValues, startValues } from '../statements/statements.testing';
import {
	decideOnReport,
	findReportable,
	listModerationQueue,
	reportContent
} from './moderation.service';

const SITE = { siteName: 'CoLab Test', origin: 'https://colab.test' };
const REPORT = { reason: 'offensive' as const, note: '', website: '' };

/**
 * Comments on ideas and on amendments to the shared statement are reported, hidden and restored
 * like the blog's: hidden through moderation's own record (those tables have no hidden column),
 * so their pages leave the words out for everyone, their author too, until a curator decides.
 */
describeEachDatabase('moderating comments on ideas and amendments', (ctx) => {
	async function people() {
		const writer = await createTestUser(ctx.db, { name: 'Wren Writer' });
		const curator = await createTestUser(ctx.db, { name: 'Cleo Curator', role: 'curator' });
		const reporters = await Promise.all([1, 2, 3].map(() => createTestUser(ctx.db)));
		return { writer, curator, reporters };
	}

	async function ideaComment() {
		const p = await people();
		const posted = await postIdea(ctx.db, p.curator, ideaValues({ title: 'A tea dance' }));
		if (!posted.ok) throw new Error(JSON.stringify(posted));
		const said = await commentOnIdea(ctx.db, p.writer, posted.slug, 'Rude words here');
		if (!said.ok) throw new Error(JSON.stringify(said));
		return { ...p, slug: posted.slug, commentId: said.id };
	}

	async function amendmentComment() {
		const p = await people();
		// Specs share one database per engine: start from no statement.
		await ctx.db.deleteFrom('statement').execute();
		expect((await startStatement(ctx.db, p.curator, startValues())).ok).toBe(true);
		const clause = (await viewStatement(ctx.db, p.writer))!.sections[0]!.clauses[0]!;
		const proposed = await proposeAmendment(
			ctx.db,
			p.curator,
			amendmentValues({ clause: clause.id })
		);
		if (!proposed.ok) throw new Error(JSON.stringify(proposed));
		const said = await addComment(ctx.db, p.writer, proposed.id, {
			body: 'Rude words here',
			website: ''
		});
		if (!said.ok) throw new Error(JSON.stringify(said));
		return { ...p, amendmentId: proposed.id, commentId: said.id };
	}

	it('hides a comment on an idea at three reports, for everyone, and a curator restores it', async () => {
		const { writer, curator, reporters, slug, commentId } = await ideaComment();
		const target = { kind: 'idea-comment' as const, id: commentId };
		const [a, b, c] = reporters;

		// Another member may report it; its author and visitors are offered no link.
		const asOther = (await viewIdea(ctx.db, a, slug))!.comments[0]!;
		expect(asOther).toMatchObject({ canReport: true, html: '<p>Rude words here</p>' });
		expect((await viewIdea(ctx.db, writer, slug))!.comments[0]!.canReport).toBe(false);
		expect((await viewIdea(ctx.db, null, slug))!.comments[0]!.canReport).toBe(false);
		// And the server refuses a visitor whatever the page offers.
		await expect(reportContent(ctx.db, null, target, REPORT)).rejects.toThrow(ForbiddenError);
		expect(await findReportable(ctx.db, 'idea-comment', commentId)).toEqual({
			title: 'A comment on the idea “A tea dance”',
			path: `/ideas/${slug}#comment-${commentId}`
		});

		expect(await reportContent(ctx.db, a, target, REPORT)).toEqual({ ok: true, hidden: false });
		expect(await reportContent(ctx.db, b, target, REPORT)).toEqual({ ok: true, hidden: false });
		expect((await viewIdea(ctx.db, null, slug))!.comments[0]!.html).not.toBeNull();
		expect(await reportContent(ctx.db, c, target, REPORT)).toEqual({ ok: true, hidden: true });

		for (const viewer of [null, a, writer, curator]) {
			const shown = (await viewIdea(ctx.db, viewer, slug))!.comments[0]!;
			expect(shown).toMatchObject({ html: null, body: '', canEdit: false, canReport: false });
		}
		// Its author cannot change the words behind the curator's back (they can still delete it).
		expect(await editIdeaComment(ctx.db, writer, slug, commentId, 'Nicer words')).toEqual({
			ok: false,
			reason: 'hidden'
		});

		const queue = await listModerationQueue(ctx.db, curator, 1, 100);
		const entry = queue.entries.find((e) => e.id === commentId)!;
		expect(entry).toMatchObject({
			kind: 'idea-comment',
			title: 'A comment on the idea “A tea dance”',
			path: `/ideas/${slug}#comment-${commentId}`,
			body: 'Rude words here',
			authorId: writer.id,
			hidden: true,
			reportCount: 3
		});

		await expect(
			decideOnReport(ctx.db, a, SITE, { ...target, decision: 'restore', message: 'x' })
		).rejects.toThrow(ForbiddenError);
		expect(
			await decideOnReport(ctx.db, curator, SITE, {
				...target,
				decision: 'restore',
				message: 'Strong words, but about the idea, not a person.'
			})
		).toEqual({ ok: true, decision: 'restored' });
		expect((await viewIdea(ctx.db, null, slug))!.comments[0]!.html).toBe('<p>Rude words here</p>');
		const told = await ctx.db
			.selectFrom('notification')
			.select(['title', 'url'])
			.where('recipient_id', '=', writer.id)
			.execute();
		expect(told).toEqual([
			{
				title: 'A curator restored your comment on the idea “A tea dance”.',
				url: `/ideas/${slug}#comment-${commentId}`
			}
		]);
	});

	it('cannot report a comment on a removed idea, nor one that does not exist', async () => {
		const { curator, reporters, slug, commentId } = await ideaComment();
		expect(await removeIdea(ctx.db, curator, slug)).toEqual({ ok: true });
		expect(await findReportable(ctx.db, 'idea-comment', commentId)).toBeUndefined();
		expect(
			await reportContent(ctx.db, reporters[0], { kind: 'idea-comment', id: commentId }, REPORT)
		).toEqual({ ok: false, reason: 'not-found' });
		expect(
			await reportContent(ctx.db, reporters[0], { kind: 'idea-comment', id: 'nope' }, REPORT)
		).toEqual({ ok: false, reason: 'not-found' });
	});

	it('keeps a reported comment in the queue after its idea is removed, with no link to a page that is gone', async () => {
		const { writer, curator, reporters, slug, commentId } = await ideaComment();
		const target = { kind: 'idea-comment' as const, id: commentId };
		expect(await reportContent(ctx.db, reporters[0], target, REPORT)).toEqual({
			ok: true,
			hidden: false
		});
		expect(await removeIdea(ctx.db, curator, slug)).toEqual({ ok: true });

		const queue = await listModerationQueue(ctx.db, curator, 1, 100);
		expect(queue.entries.find((e) => e.id === commentId)).toMatchObject({
			title: 'A comment on the idea “A tea dance”',
			path: null,
			body: 'Rude words here'
		});
		expect(
			await decideOnReport(ctx.db, curator, SITE, {
				...target,
				decision: 'dismiss',
				message: 'The idea has gone, so this needs nothing more.'
			})
		).toEqual({ ok: true, decision: 'dismissed' });
		// The author is told, and pointed at nothing that would answer "not found".
		const told = await ctx.db
			.selectFrom('notification')
			.select('url')
			.where('recipient_id', '=', writer.id)
			.execute();
		expect(told).toEqual([{ url: '/notifications' }]);
		const mail = await ctx.db
			.selectFrom('mail_outbox')
			.select(['kind', 'text_body'])
			.where('user_id', '=', writer.id)
			.execute();
		expect(mail).toHaveLength(1);
		expect(mail[0]!.kind).toBe('moderation.dismissed');
		expect(mail[0]!.text_body).toContain('The idea has gone');
		expect(mail[0]!.text_body).not.toContain(`/ideas/${slug}`);
		expect(mail[0]!.text_body).not.toContain('See it on the site');
	});

	it('hides a comment on an amendment when a curator decides, and its author cannot edit it', async () => {
		const { writer, curator, reporters, amendmentId, commentId } = await amendmentComment();
		const target = { kind: 'amendment-comment' as const, id: commentId };
		const before = (await viewAmendment(ctx.db, reporters[0], amendmentId))!.comments[0]!;
		expect(before).toMatchObject({ canReport: true, html: '<p>Rude words here</p>' });
		expect((await viewAmendment(ctx.db, writer, amendmentId))!.comments[0]).toMatchObject({
			canReport: false,
			canEdit: true
		});

		expect(await reportContent(ctx.db, reporters[0], target, REPORT)).toEqual({
			ok: true,
			hidden: false
		});
		const queue = await listModerationQueue(ctx.db, curator, 1, 100);
		expect(queue.entries.find((e) => e.id === commentId)).toMatchObject({
			kind: 'amendment-comment',
			title: 'A comment on an amendment to the shared statement',
			path: `/statement/amendments/${amendmentId}#comment-${commentId}`,
			body: 'Rude words here',
			hidden: false,
			reportCount: 1
		});
		expect(
			await decideOnReport(ctx.db, curator, SITE, {
				...target,
				decision: 'hide',
				message: 'It named a person who had not agreed to be named.'
			})
		).toEqual({ ok: true, decision: 'hidden' });

		for (const viewer of [null, reporters[0], writer, curator]) {
			const shown = (await viewAmendment(ctx.db, viewer, amendmentId))!.comments[0]!;
			expect(shown).toMatchObject({ html: null, body: '', canEdit: false, canReport: false });
		}
		const edited = await editComment(ctx.db, writer, commentId, {
			body: 'Nicer words',
			website: ''
		});
		expect(edited).toMatchObject({ ok: false, reason: 'invalid' });
		expect(!edited.ok && edited.reason === 'invalid' && edited.errors.editBody).toMatch(
			/hidden while a curator looks at it/
		);
		const row = await ctx.db
			.selectFrom('statement_amendment_comment')
			.select('body')
			.where('id', '=', commentId)
			.executeTakeFirstOrThrow();
		expect(row.body).toBe('Rude words here');
		const told = await ctx.db
			.selectFrom('notification')
			.select('title')
			.where('recipient_id', '=', writer.id)
			.execute();
		expect(told.map((t) => t.title)).toContain(
			'A curator hid your comment on an amendment to the shared statement. We have emailed you why.'
		);
	});
});
