import { describe, expect, it } from 'vitest';
import { TEST_SITE } from '../events/events.testing';
import { parseForm, toFormData, type FormValues } from '../forms';
import { ForbiddenError } from '../refusals';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import { seedDemo } from '../demo/demo';
import { seedIdeas } from './ideas.demo';
import { deleteAccount, exportPersonData } from '../your-data/your-data.service';
import {
	IDEA_BODY_MAX,
	IDEA_COMMENT_MAX,
	ideaCommentSchema,
	ideaSchema,
	stageSchema,
	supportSchema,
	SUPPORT_NOTE_MAX
} from './ideas.schema';
import {
	IDEA_RATE,
	commentOnIdea,
	deleteOwnIdeaComment,
	editIdea,
	editIdeaComment,
	ideaForEditing,
	ideaSlugBase,
	ideaThatBecame,
	listPublicIdeaLinksAfter,
	listIdeas,
	moveIdea,
	parseIdeaQuery,
	postIdea,
	removeIdea,
	supportIdea,
	turnIdeaInto,
	viewIdea,
	withdrawSupport
} from './ideas.service';
import { ideaEventValues, ideaValues, pausePosting, supportValues } from './ideas.testing';

const CARERS_AREA = 'service-area:carers-and-unpaid-care';

describe('idea forms', () => {
	const parse = (schema: Parameters<typeof parseForm>[0], values: FormValues) =>
		parseForm(schema, toFormData(values), { listFields: ['ways'] });

	it('say which field is empty or too long, keeping every word typed', () => {
		const long = 'x'.repeat(IDEA_BODY_MAX + 1);
		const result = parse(ideaSchema, { title: ' ', body: long });
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.errors).toEqual({
			title: 'Give your idea a short title',
			body: expect.stringContaining('10,000 characters or fewer')
		});
		expect(result.values.body).toBe(long);
		const empty = parse(ideaSchema, { title: 'Repair café', body: '' });
		expect(!empty.ok && empty.errors.body).toBe('Say what your idea is and who it is for');
	});

	it('ask how someone supports an idea, and keep their note short', () => {
		const none = parse(supportSchema, { note: 'Count me in' });
		expect(!none.ok && none.errors.ways).toBe('Choose at least one way you would support it');
		const long = parse(supportSchema, { ways: 'come', note: 'n'.repeat(SUPPORT_NOTE_MAX + 1) });
		expect(!long.ok && long.errors.note).toMatch(/280 characters or fewer/);
		expect(!long.ok && long.values.note).toHaveLength(SUPPORT_NOTE_MAX + 1);
		const bad = parse(supportSchema, { ways: 'pay' });
		expect(!bad.ok && bad.errors.ways).toBe('Choose from the list');
		expect(parse(supportSchema, { ways: ['come', 'help'] }).ok).toBe(true);
	});

	it('require a note with every stage change, and a comment within its limit', () => {
		const noNote = parse(stageSchema, { stage: 'done', note: '  ' });
		expect(!noNote.ok && noNote.errors.note).toMatch(/^Write a note saying why/);
		const noStage = parse(stageSchema, { stage: 'maybe', note: 'Because' });
		expect(!noStage.ok && noStage.errors.stage).toBe('Choose the stage the idea has reached');
		const big = parse(ideaCommentSchema, { body: 'c'.repeat(IDEA_COMMENT_MAX + 1) });
		expect(!big.ok && big.errors.body).toMatch(/5,000 characters or fewer/);
	});

	it('make addresses from titles, never "new", and read the list filters', () => {
		expect(ideaSlugBase('Walk & talk!')).toBe('walk-and-talk');
		expect(ideaSlugBase('New')).toBe('idea-new');
		expect(parseIdeaQuery(new URLSearchParams('stage=done&sort=supported'))).toEqual({
			stage: 'done',
			sort: 'supported'
		});
		expect(parseIdeaQuery(new URLSearchParams('stage=<b>&sort=x'))).toEqual({ sort: 'newest' });
	});
});

describeEachDatabase('ideas', (ctx) => {
	async function people() {
		const author = await createTestUser(ctx.db, { name: 'Ada Author' });
		const member = await createTestUser(ctx.db, { name: 'Mo Member' });
		const other = await createTestUser(ctx.db, { name: 'Oz Other' });
		const curator = await createTestUser(ctx.db, { name: 'Cu Curator', role: 'curator' });
		return { author, member, other, curator };
	}

	async function post(
		author: Awaited<ReturnType<typeof createTestUser>>,
		overrides: Parameters<typeof ideaValues>[0] = {}
	) {
		const result = await postIdea(ctx.db, author, ideaValues(overrides));
		if (!result.ok) throw new Error(`refused: ${result.reason}`);
		return result.slug;
	}

	const notifications = (recipientId: string, kind: string) =>
		ctx.db
			.selectFrom('notification')
			.select(['title', 'count', 'url'])
			.where('recipient_id', '=', recipientId)
			.where('kind', '=', kind)
			.execute();

	it('posts an idea that anyone can read, with its words sanitised', async () => {
		const { author } = await people();
		const slug = await post(author, {
			title: 'Seed swap',
			body: 'Swap seeds <script>alert(1)</script> in **spring**.'
		});
		const seen = await viewIdea(ctx.db, null, slug);
		expect(seen?.idea).toMatchObject({ title: 'Seed swap', stage: 'new', author: 'Ada Author' });
		expect(seen?.idea.bodyHtml).toContain('<strong>spring</strong>');
		expect(seen?.idea.bodyHtml).not.toContain('<script');
		expect(seen?.viewer.signedIn).toBe(false);
		expect((await listPublicIdeaLinksAfter(ctx.db, null, 1000)).map((p) => p.path)).toContain(
			`/ideas/${slug}`
		);
	});

	it('refuses visitors and paused members, and limits how many ideas one person posts', async () => {
		const { author, member } = await people();
		await expect(postIdea(ctx.db, null, ideaValues())).rejects.toThrow(ForbiddenError);
		await pausePosting(ctx.db, member.id);
		const paused = await postIdea(ctx.db, member, ideaValues());
		expect(paused).toMatchObject({ ok: false, reason: 'suspended' });
		for (let i = 0; i < IDEA_RATE.limit; i++) await post(author, { title: `Idea ${i}` });
		expect(await postIdea(ctx.db, author, ideaValues())).toMatchObject({
			ok: false,
			reason: 'rate-limited'
		});
	});

	it('lets the author change the words while new, and nobody else', async () => {
		const { author, member, curator } = await people();
		const slug = await post(author);
		await expect(ideaForEditing(ctx.db, member, slug)).rejects.toThrow(ForbiddenError);
		await expect(editIdea(ctx.db, member, slug, ideaValues({ title: 'Hijacked' }))).rejects.toThrow(
			ForbiddenError
		);
		expect(await editIdea(ctx.db, author, slug, ideaValues({ title: 'Repair café' }))).toEqual({
			ok: true,
			slug
		});
		expect((await viewIdea(ctx.db, null, slug))?.idea.title).toBe('Repair café');
		await moveIdea(ctx.db, curator, slug, { stage: 'gathering-support', note: 'Tell friends' });
		await expect(ideaForEditing(ctx.db, author, slug)).rejects.toThrow(/moved on from “New”/);
	});

	it('counts one support per person: supporting again changes how, and the author is told once, grouped', async () => {
		const { author, member, other } = await people();
		const slug = await post(author);
		expect(await supportIdea(ctx.db, member, slug, supportValues())).toEqual({
			ok: true,
			changed: false
		});
		expect(
			await supportIdea(ctx.db, member, slug, supportValues({ ways: ['help', 'know-someone'] }))
		).toEqual({ ok: true, changed: true });
		await supportIdea(ctx.db, other, slug, supportValues({ note: 'I can bring tools' }));
		const view = await viewIdea(ctx.db, member, slug);
		expect(view?.supportCount).toBe(2);
		expect(view?.byWay).toEqual([
			{ way: 'come', label: 'I would come', count: 1, names: ['Oz Other'] },
			{ way: 'help', label: 'I would help', count: 1, names: ['Mo Member'] },
			{ way: 'know-someone', label: 'I know someone', count: 1, names: ['Mo Member'] }
		]);
		expect(view?.notes).toEqual([{ name: 'Oz Other', note: 'I can bring tools' }]);
		expect(view?.viewer.support).toEqual({ ways: ['help', 'know-someone'], note: '' });
		const told = await notifications(author.id, 'idea-support');
		expect(told).toHaveLength(1);
		expect(told[0]?.count).toBe(2);

		expect(await withdrawSupport(ctx.db, member, slug)).toEqual({ ok: true });
		expect(await withdrawSupport(ctx.db, member, slug)).toEqual({ ok: true });
		const listed = (await listIdeas(ctx.db, { sort: 'newest' }, 1)).ideas.find(
			(i) => i.slug === slug
		);
		expect(listed?.supports).toBe(1);
		await expect(supportIdea(ctx.db, null, slug, supportValues())).rejects.toThrow(ForbiddenError);
	});

	it('lists ideas newest first or most supported, filtered by stage, counts read with the page', async () => {
		await ctx.db.deleteFrom('idea').execute();
		const { author, member, other, curator } = await people();
		const quiet = await post(author, { title: 'Quiet idea' });
		const popular = await post(author, { title: 'Popular idea' });
		const older = await post(author, { title: 'Older idea' });
		await ctx.db
			.updateTable('idea')
			.set({ created_at: '2026-01-01T00:00:00.000Z' })
			.where('slug', '=', older)
			.execute();
		await supportIdea(ctx.db, member, older, supportValues());
		await supportIdea(ctx.db, other, older, supportValues());
		await supportIdea(ctx.db, member, popular, supportValues());
		await moveIdea(ctx.db, curator, quiet, { stage: 'not-now', note: 'No room this year' });

		const titles = async (query: Parameters<typeof listIdeas>[1]) =>
			(await listIdeas(ctx.db, query, 1)).ideas.map((i) => `${i.title}:${i.supports}`);
		expect(await titles({ sort: 'newest' })).toEqual([
			'Popular idea:1',
			'Quiet idea:0',
			'Older idea:2'
		]);
		expect(await titles({ sort: 'supported' })).toEqual([
			'Older idea:2',
			'Popular idea:1',
			'Quiet idea:0'
		]);
		expect(await titles({ sort: 'newest', stage: 'not-now' })).toEqual(['Quiet idea:0']);
		expect((await listIdeas(ctx.db, { sort: 'newest', stage: 'done' }, 1)).total).toBe(0);
	});

	it('moves an idea only for curators and its author, with a public note; supporters are told', async () => {
		const { author, member, other, curator } = await people();
		const slug = await post(author);
		await supportIdea(ctx.db, other, slug, supportValues());
		await expect(
			moveIdea(ctx.db, member, slug, { stage: 'done', note: 'I say so' })
		).rejects.toThrow(ForbiddenError);
		expect(
			await moveIdea(ctx.db, curator, slug, {
				stage: 'gathering-support',
				note: 'Lovely idea: who can help?'
			})
		).toEqual({ ok: true });
		expect(
			await moveIdea(ctx.db, author, slug, { stage: 'gathering-support', note: 'Again' })
		).toEqual({ ok: false, reason: 'same-stage' });
		const view = await viewIdea(ctx.db, null, slug);
		expect(view?.idea.stage).toBe('gathering-support');
		expect(view?.history).toEqual([
			expect.objectContaining({
				from: 'New',
				to: 'Gathering support',
				note: 'Lovely idea: who can help?',
				by: 'Cu Curator'
			})
		]);
		expect(await notifications(other.id, 'idea-stage')).toEqual([
			expect.objectContaining({ title: expect.stringContaining('Gathering support') })
		]);
		expect(await notifications(author.id, 'idea-stage')).toHaveLength(1);
		const audit = await ctx.db
			.selectFrom('audit_log')
			.select(['action', 'actor_id'])
			.where('action', '=', 'idea.stage_changed')
			.where('actor_id', 'in', [curator.id, author.id, member.id])
			.execute();
		expect(audit).toEqual([{ action: 'idea.stage_changed', actor_id: curator.id }]);
	});

	it('takes comments from members; its writer edits within 15 minutes and deletes; the author is told', async () => {
		const { author, member, other } = await people();
		const slug = await post(author);
		const sent = '2026-12-01T10:00:00.000Z';
		const said = await commentOnIdea(ctx.db, member, slug, 'I can host it **here**', sent);
		if (!said.ok) throw new Error(said.reason);
		expect(await notifications(author.id, 'idea-comment')).toHaveLength(1);
		await expect(editIdeaComment(ctx.db, other, slug, said.id, 'Not mine', sent)).rejects.toThrow(
			ForbiddenError
		);
		await expect(deleteOwnIdeaComment(ctx.db, other, slug, said.id)).rejects.toThrow(
			ForbiddenError
		);
		expect(
			await editIdeaComment(
				ctx.db,
				member,
				slug,
				said.id,
				'I can host it',
				'2026-12-01T10:14:00.000Z'
			)
		).toEqual({ ok: true });
		expect(
			await editIdeaComment(ctx.db, member, slug, said.id, 'Late', '2026-12-01T10:15:00.000Z')
		).toEqual({ ok: false, reason: 'too-late' });
		const view = await viewIdea(ctx.db, member, slug, '2026-12-01T10:16:00.000Z');
		expect(view?.comments).toEqual([
			expect.objectContaining({ body: 'I can host it', edited: true, mine: true, canEdit: false })
		]);
		expect(await deleteOwnIdeaComment(ctx.db, member, slug, said.id)).toEqual({ ok: true });
		expect(await deleteOwnIdeaComment(ctx.db, member, slug, said.id)).toEqual({
			ok: false,
			reason: 'gone'
		});
		await pausePosting(ctx.db, other.id);
		expect(await commentOnIdea(ctx.db, other, slug, 'Hello')).toMatchObject({
			ok: false,
			reason: 'suspended'
		});
	});

	it('refuses support and comments on a removed idea, which leaves the list', async () => {
		await ctx.db.deleteFrom('idea').execute();
		const { author, member, curator } = await people();
		const slug = await post(author);
		await expect(removeIdea(ctx.db, member, slug)).rejects.toThrow(ForbiddenError);
		expect(await removeIdea(ctx.db, curator, slug)).toEqual({ ok: true });
		expect(await commentOnIdea(ctx.db, member, slug, 'Still here?')).toEqual({
			ok: false,
			reason: 'removed'
		});
		expect(await supportIdea(ctx.db, member, slug, supportValues())).toEqual({
			ok: false,
			reason: 'removed'
		});
		expect(await viewIdea(ctx.db, null, slug)).toBeUndefined();
		expect((await listIdeas(ctx.db, { sort: 'newest' }, 1)).total).toBe(0);
		expect(await listPublicIdeaLinksAfter(ctx.db, null, 1000)).toEqual([]);
	});

	it('turns an idea into an event in one step: the idea links to it, is happening, and is audited', async () => {
		const { author, member, other, curator } = await people();
		const slug = await post(author, { title: 'Carers’ picnic' });
		await supportIdea(ctx.db, other, slug, supportValues());
		const at = { site: TEST_SITE };
		await expect(
			turnIdeaInto(ctx.db, member, slug, 'event', ideaEventValues(), at)
		).rejects.toThrow(ForbiddenError);

		const bad = await turnIdeaInto(
			ctx.db,
			curator,
			slug,
			'event',
			ideaEventValues({ startDate: '', title: 't'.repeat(151) }),
			at
		);
		expect(bad).toMatchObject({
			ok: false,
			reason: 'invalid',
			errors: {
				title: 'Title must be 150 characters or fewer',
				startDate: 'Enter the date of the event'
			}
		});

		const unknown = await turnIdeaInto(
			ctx.db,
			curator,
			slug,
			'picnic' as 'event',
			ideaEventValues(),
			at
		);
		expect(unknown).toMatchObject({ ok: false, reason: 'invalid' });

		const made = await turnIdeaInto(ctx.db, curator, slug, 'event', ideaEventValues(), at);
		if (!made.ok) throw new Error(made.reason);
		expect(made.made).toMatchObject({ title: 'Carers’ picnic', path: `/events/${made.made.id}` });
		const event = await ctx.db
			.selectFrom('event')
			.select(['title', 'description', 'host_id'])
			.where('id', '=', made.made.id)
			.executeTakeFirstOrThrow();
		expect(event).toMatchObject({ title: 'Carers’ picnic', host_id: curator.id });
		expect(event.description).toContain('broken things');

		const view = await viewIdea(ctx.db, null, slug);
		expect(view?.idea.stage).toBe('happening');
		expect(view?.idea.became).toEqual({
			kind: 'event',
			label: 'an event',
			title: 'Carers’ picnic',
			path: `/events/${made.made.id}`
		});
		expect(view?.history.at(-1)?.note).toBe('This idea became an event: “Carers’ picnic”.');
		const listed = (await listIdeas(ctx.db, { sort: 'newest' }, 1)).ideas.find(
			(i) => i.slug === slug
		);
		expect(listed?.became?.title).toBe('Carers’ picnic');
		expect(await ideaThatBecame(ctx.db, 'event', made.made.id)).toEqual({
			slug,
			title: 'Carers’ picnic'
		});
		expect(await notifications(other.id, 'idea-stage')).toHaveLength(1);

		// A second press makes nothing more.
		expect(await turnIdeaInto(ctx.db, curator, slug, 'event', ideaEventValues(), at)).toEqual({
			ok: false,
			reason: 'already'
		});
		const events = await ctx.db
			.selectFrom('event')
			.select('id')
			.where('title', '=', 'Carers’ picnic')
			.execute();
		expect(events).toHaveLength(1);
		const audit = await ctx.db
			.selectFrom('audit_log')
			.select('detail')
			.where('action', '=', 'idea.turned_into')
			.where('actor_id', '=', curator.id)
			.execute();
		expect(audit.map((a) => JSON.parse(a.detail ?? '{}'))).toEqual([
			{ kind: 'event', id: made.made.id }
		]);
	});

	it('lets the author turn their idea into a pilot they own, but not someone else’s idea', async () => {
		const { author, member } = await people();
		const slug = await post(author, { title: 'Peer support texts' });
		const theirs = await post(member, { title: 'Member’s own idea' });
		const values = {
			title: 'Peer support texts',
			summary: 'Texting carers weekly.',
			visibility: 'public',
			serviceAreas: [CARERS_AREA]
		};
		await expect(
			turnIdeaInto(ctx.db, author, theirs, 'pilot', values, { site: TEST_SITE })
		).rejects.toThrow(ForbiddenError);
		const noAreas = await turnIdeaInto(
			ctx.db,
			author,
			slug,
			'pilot',
			{ ...values, serviceAreas: [] },
			{ site: TEST_SITE }
		);
		expect(noAreas).toMatchObject({
			ok: false,
			errors: { serviceAreas: 'Choose at least one service area' }
		});
		const made = await turnIdeaInto(ctx.db, author, slug, 'pilot', values, { site: TEST_SITE });
		if (!made.ok) throw new Error(made.reason);
		expect(made.made.path).toBe('/pilots/peer-support-texts');
		const pilot = await ctx.db
			.selectFrom('pilot')
			.select(['id', 'owner_id'])
			.where('slug', '=', 'peer-support-texts')
			.executeTakeFirstOrThrow();
		expect(pilot).toEqual({ id: made.made.id, owner_id: author.id });
		expect((await viewIdea(ctx.db, author, slug))?.idea.became?.kind).toBe('pilot');
	});

	it('lets the author turn their idea into a draft decision put to all members, linked both ways', async () => {
		const { author } = await people();
		const slug = await post(author, { title: 'A carers’ walk' });
		const noProcess = await turnIdeaInto(
			ctx.db,
			author,
			slug,
			'decision',
			{ question: 'Should we start a carers’ walk?', proposal: 'Once a month.', process: '' },
			{ site: TEST_SITE }
		);
		expect(noProcess).toMatchObject({
			ok: false,
			errors: { process: 'Choose how it will be decided: consensus or consent' }
		});
		const noQuestion = await turnIdeaInto(
			ctx.db,
			author,
			slug,
			'decision',
			{ question: '', proposal: 'Once a month.', process: 'consent' },
			{ site: TEST_SITE }
		);
		expect(noQuestion.ok).toBe(false);
		const made = await turnIdeaInto(
			ctx.db,
			author,
			slug,
			'decision',
			{
				question: 'Should we start a carers’ walk?',
				proposal: 'Once a month.',
				process: 'consent'
			},
			{ site: TEST_SITE }
		);
		if (!made.ok) throw new Error(made.reason);
		const decision = await ctx.db
			.selectFrom('decision')
			.selectAll()
			.where('id', '=', made.made.id)
			.executeTakeFirstOrThrow();
		expect(decision).toMatchObject({
			process: 'consent',
			status: 'draft',
			audience: 'members',
			origin_kind: 'idea',
			origin_path: `/ideas/${slug}`
		});
		expect(made.made.path).toBe(`/decisions/${decision.slug}`);
		const idea = (await viewIdea(ctx.db, author, slug))!.idea;
		expect(idea.became).toMatchObject({ kind: 'decision', path: made.made.path });
		expect(idea.stage).toBe('happening');
	});

	it('puts ideas, supports and comments in "download my data"; deleting removes or keeps ideas without a name', async () => {
		const { author, member, other, curator } = await people();
		const kept = await post(author, { title: 'Kept idea' });
		await supportIdea(ctx.db, member, kept, supportValues({ note: 'Yes!' }));
		await commentOnIdea(ctx.db, member, kept, 'Count me in');
		await moveIdea(ctx.db, curator, kept, { stage: 'gathering-support', note: 'Go' });

		const data = await exportPersonData(ctx.db, member.id);
		expect(data?.ideasYouSupport).toEqual([
			expect.objectContaining({ idea_title: 'Kept idea', wouldCome: true, note: 'Yes!' })
		]);
		expect(data?.ideaCommentsYouWrote).toEqual([expect.objectContaining({ body: 'Count me in' })]);
		expect((await exportPersonData(ctx.db, author.id))?.ideasYouPosted).toEqual([
			expect.objectContaining({ title: 'Kept idea', address: `/ideas/${kept}` })
		]);
		expect((await exportPersonData(ctx.db, curator.id))?.ideaStageNotesYouWrote).toHaveLength(1);

		await deleteAccount(ctx.db, member.id, { contributions: 'remove' });
		let view = await viewIdea(ctx.db, null, kept);
		expect(view?.supportCount).toBe(0);
		expect(view?.comments).toEqual([]);
		const row = await ctx.db
			.selectFrom('idea')
			.select('support_count')
			.where('slug', '=', kept)
			.executeTakeFirstOrThrow();
		expect(Number(row.support_count)).toBe(0);

		await deleteAccount(ctx.db, author.id, { contributions: 'keep-as-former-member' });
		view = await viewIdea(ctx.db, null, kept);
		expect(view?.idea.author).toBe('A former member');

		const gone = await post(other, { title: 'Gone idea' });
		await deleteAccount(ctx.db, other.id, { contributions: 'remove' });
		expect(await viewIdea(ctx.db, null, gone)).toBeUndefined();
		await deleteAccount(ctx.db, curator.id, { contributions: 'remove' });
		expect((await viewIdea(ctx.db, null, kept))?.history[0]?.by).toBe('A former member');
	});

	it('seeds demo ideas in each stage, one that became the demo walk, once', async () => {
		await ctx.db.deleteFrom('idea').execute();
		await seedDemo(ctx.db);
		await seedIdeas(ctx.db);
		const rows = await ctx.db.selectFrom('idea').select(['stage', 'became_path']).execute();
		expect(new Set(rows.map((r) => r.stage))).toEqual(
			new Set(['new', 'gathering-support', 'happening', 'done', 'not-now'])
		);
		expect(rows.filter((r) => r.became_path)).toEqual([
			{ stage: 'happening', became_path: '/events/demo-something-walk' }
		]);
		const repair = await viewIdea(ctx.db, null, 'a-monthly-repair-cafe');
		expect(repair?.supportCount).toBe(3);
		expect(repair?.comments).toHaveLength(2);
		expect(repair?.history).toHaveLength(1);
	});
});
