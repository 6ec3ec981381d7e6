import { expect, it } from 'vitest';
import type { SessionUser } from '../auth/auth.types';
import { ForbiddenError } from '../refusals';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import { newId, nowIso } from '../ids';
import { parseForm } from '../forms';
import { caseStudySchema, CASE_STUDY_LIST_FIELDS, parseLinks } from './case-studies.schema';
import { caseStudyInput as input } from './case-studies.testing';
import {
	answerInvolvement,
	askInvolvement,
	caseStudiesInvolving,
	caseStudyForReview,
	caseStudyHistory,
	caseStudyReviewQueue,
	findCaseStudyForEditing,
	libraryPage,
	listPublicCaseStudyLinksAfter,
	listMyCaseStudies,
	myInvolvements,
	publishCaseStudy,
	publishedCaseStudiesForDimensions,
	saveCaseStudy,
	sendBackCaseStudy,
	startCaseStudyFromPilot,
	viewCaseStudy
} from './case-studies.service';
import { libraryVocabulary } from './tags.service';

const SITE = { siteName: 'CoLab Test', origin: 'https://colab.test' };

describeEachDatabase('case studies', (ctx) => {
	const person = (role: SessionUser['role'] = 'member') => createTestUser(ctx.db, { role });

	async function published(author: SessionUser, curator: SessionUser, overrides = {}) {
		const saved = await saveCaseStudy(ctx.db, author, input(overrides), { intent: 'submit' });
		if (!saved.ok) throw new Error(JSON.stringify(saved.errors));
		await publishCaseStudy(ctx.db, curator, saved.caseStudy.slug);
		return saved.caseStudy;
	}

	async function organisation(name: string) {
		const id = newId();
		const now = nowIso();
		await ctx.db
			.insertInto('organisation')
			.values({
				id,
				slug: `${name.toLowerCase().replace(/\W+/g, '-')}-${id.slice(0, 5).toLowerCase()}`,
				name,
				description: '',
				website: null,
				created_at: now,
				updated_at: now
			} as never)
			.execute();
		return ctx.db
			.selectFrom('organisation')
			.select(['id', 'slug'])
			.where('id', '=', id)
			.executeTakeFirstOrThrow();
	}

	it('keeps a draft for its author and curators; nobody else can read it', async () => {
		const sam = await person();
		const curator = await person('curator');
		const other = await person();
		const saved = await saveCaseStudy(ctx.db, sam, input({ summary: '' }), { intent: 'draft' });
		expect(saved.ok).toBe(true);
		if (!saved.ok) return;
		expect(saved.state).toBe('draft');
		const slug = saved.caseStudy.slug;
		expect(slug).toBe('carers-design-the-respite-booking-form');
		expect(await viewCaseStudy(ctx.db, null, slug)).toBeUndefined();
		expect(await viewCaseStudy(ctx.db, other, slug)).toBeUndefined();
		expect((await viewCaseStudy(ctx.db, sam, slug))?.published).toBe(false);
		expect((await viewCaseStudy(ctx.db, curator, slug))?.view.title).toBe(input().title);
		expect((await listMyCaseStudies(ctx.db, sam, 1)).rows[0]?.stateLabel).toBe('Draft');
	});

	it('a member a curator has paused keeps writing drafts but cannot send one to be published', async () => {
		const sam = await person();
		const curator = await person('curator');
		await ctx.db
			.insertInto('posting_suspension')
			.values({
				id: `s-${sam.id}`,
				user_id: sam.id,
				ends_at: new Date(Date.now() + 3 * 86_400_000).toISOString(),
				created_by: curator.id,
				created_at: nowIso()
			})
			.execute();
		const refused = await saveCaseStudy(ctx.db, sam, input(), { intent: 'submit' });
		expect(refused.ok).toBe(false);
		expect(!refused.ok && refused.status).toBe(403);
		expect(!refused.ok && refused.errors.form).toMatch(/^A curator has paused your posting until/);
		const draft = await saveCaseStudy(ctx.db, sam, input(), { intent: 'draft' });
		expect(draft.ok && draft.state).toBe('draft');
	});

	it('refuses to submit without the parts a reader needs, saying which, and keeps the draft', async () => {
		const sam = await person();
		const result = await saveCaseStudy(
			ctx.db,
			sam,
			input({ summary: '', serviceAreas: [], stage: '', workStatus: '', whatWasDone: '' }),
			{ intent: 'submit' }
		);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(Object.keys(result.errors)).toEqual(
			expect.arrayContaining(['summary', 'serviceAreas', 'stage', 'workStatus', 'whatWasDone'])
		);
		// A draft needs only its title.
		const schema = parseForm(caseStudySchema, new FormData());
		expect(schema.ok).toBe(false);
		expect(!schema.ok && schema.errors.title).toBe('Enter a title');
	});

	it('says when text is too long rather than cutting it', () => {
		const data = new FormData();
		data.set('title', 'x'.repeat(201));
		data.set('summary', 's'.repeat(601));
		data.set('whatWasDone', 'w'.repeat(10_001));
		const form = parseForm(caseStudySchema, data, { listFields: CASE_STUDY_LIST_FIELDS });
		expect(form.ok).toBe(false);
		if (form.ok) return;
		expect(form.errors.title).toBe('The title must be 200 characters or fewer');
		expect(form.errors.summary).toBe('The short summary must be 600 characters or fewer');
		expect(form.errors.whatWasDone).toBe('What was done must be 10,000 characters or fewer');
		expect(form.values.whatWasDone).toHaveLength(10_001);
	});

	it('refuses an unknown word, stage, status, dimension, organisation or link, each beside its field', async () => {
		const sam = await person();
		const result = await saveCaseStudy(
			ctx.db,
			sam,
			input({
				serviceAreas: ['service-area:space-travel'],
				benefits: ['barrier:time'],
				barriers: ['made-up'],
				stage: 'dictating',
				workStatus: 'abandoned',
				dimensions: ['no-such-dimension'],
				organisations: ['no-such-organisation'],
				links: 'see the report'
			}),
			{ intent: 'draft' }
		);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.errors).toMatchObject({
			serviceAreas: expect.stringContaining('not on the list'),
			benefits: expect.stringContaining('not on the list'),
			barriers: expect.stringContaining('not on the list'),
			stage: 'Choose a stage of the continuum from the list',
			workStatus: 'Choose idea, pilot, running or finished',
			dimensions: expect.stringContaining('not on the list'),
			organisations: expect.stringContaining('not in CoLab'),
			links: expect.stringContaining('does not end with a web address')
		});
		expect(parseLinks('Our launch /events/abc\nhttps://example.org/report')).toEqual({
			ok: true,
			links: [
				{ label: 'Our launch', url: '/events/abc' },
				{ label: '', url: 'https://example.org/report' }
			]
		});
	});

	it('lets only the author change it, and only curators review it', async () => {
		const sam = await person();
		const other = await person();
		const curator = await person('curator');
		const saved = await saveCaseStudy(ctx.db, sam, input(), { intent: 'submit' });
		if (!saved.ok) throw new Error('not saved');
		const slug = saved.caseStudy.slug;
		await expect(saveCaseStudy(ctx.db, other, input(), { slug, intent: 'draft' })).rejects.toThrow(
			ForbiddenError
		);
		await expect(
			saveCaseStudy(ctx.db, curator, input(), { slug, intent: 'draft' })
		).rejects.toThrow(ForbiddenError);
		await expect(findCaseStudyForEditing(ctx.db, other, slug)).rejects.toThrow(ForbiddenError);
		await expect(publishCaseStudy(ctx.db, sam, slug)).rejects.toThrow(ForbiddenError);
		await expect(sendBackCaseStudy(ctx.db, other, slug, 'No', SITE)).rejects.toThrow(
			ForbiddenError
		);
		await expect(caseStudyReviewQueue(ctx.db, sam, 1)).rejects.toThrow(ForbiddenError);
		await expect(saveCaseStudy(ctx.db, null, input(), { intent: 'draft' })).rejects.toThrow(
			ForbiddenError
		);
	});

	it('a curator sends it back with a message (told in the site and by email); the author revises; the curator publishes', async () => {
		const sam = await person();
		const curator = await person('curator');
		const saved = await saveCaseStudy(ctx.db, sam, input({ title: 'Sent back once' }), {
			intent: 'submit'
		});
		if (!saved.ok) throw new Error('not saved');
		const slug = saved.caseStudy.slug;
		const queue = await caseStudyReviewQueue(ctx.db, curator, 1);
		expect(queue.rows.map((r) => r.slug)).toContain(slug);

		const back = await sendBackCaseStudy(ctx.db, curator, slug, 'Say who the carers were.', SITE);
		expect(back?.review_state).toBe('returned');
		const mail = await ctx.db
			.selectFrom('mail_outbox')
			.select(['subject', 'text_body'])
			.where('to_address', '=', sam.email)
			.executeTakeFirstOrThrow();
		expect(mail.subject).toContain('needs some changes');
		expect(mail.text_body).toContain('Say who the carers were.');
		expect(mail.text_body).toContain(`https://colab.test/library/${slug}/edit`);
		const told = await ctx.db
			.selectFrom('notification')
			.select(['kind', 'url'])
			.where('recipient_id', '=', sam.id)
			.execute();
		expect(told).toContainEqual({ kind: 'content-decision', url: `/library/${slug}/edit` });
		expect((await listMyCaseStudies(ctx.db, sam, 1)).rows[0]).toMatchObject({
			stateLabel: 'Sent back to you',
			review_message: 'Say who the carers were.'
		});
		// Not published: still hidden from visitors, and it cannot be published until resubmitted.
		expect(await viewCaseStudy(ctx.db, null, slug)).toBeUndefined();
		expect(await publishCaseStudy(ctx.db, curator, slug)).toBeUndefined();

		const revised = await saveCaseStudy(
			ctx.db,
			sam,
			input({ title: 'Sent back once', whoWasInvolved: 'Eight carers from the carers’ group.' }),
			{ slug, intent: 'submit' }
		);
		expect(revised.ok && revised.state).toBe('waiting');
		const done = await publishCaseStudy(ctx.db, curator, slug);
		expect(done?.published_version).toBe(1);
		const page = await viewCaseStudy(ctx.db, null, slug);
		expect(page?.view.whoWasInvolved).toBe('Eight carers from the carers’ group.');
		expect(page?.view.stage?.label).toBe('Co-designing');
		expect(page?.view.benefits.map((b) => b.label)).toEqual(['A voice for people']);
		const audit = await ctx.db
			.selectFrom('audit_log')
			.select('action')
			.where('target_id', '=', saved.caseStudy.id)
			.execute();
		expect(audit.map((a) => a.action).sort()).toEqual([
			'case_study.published',
			'case_study.sent_back'
		]);
	});

	it('keeps the published version on show while an update waits; every version stays in the history', async () => {
		const sam = await person();
		const curator = await person('curator');
		const first = await published(sam, curator, { title: 'Versions kept' });
		const slug = first.slug;
		const update = await saveCaseStudy(
			ctx.db,
			sam,
			input({ title: 'Versions kept', doDifferently: 'Pay carers for their time.' }),
			{ slug, intent: 'submit' }
		);
		expect(update.ok && update.state).toBe('waiting');
		const meanwhile = await viewCaseStudy(ctx.db, null, slug);
		expect(meanwhile?.view.doDifferently).toBe('Start sooner.');
		expect((await viewCaseStudy(ctx.db, sam, slug))?.changesWaiting).toBe(true);
		const review = await caseStudyForReview(ctx.db, curator, slug);
		expect(review?.changes?.filter((l) => l.kind !== 'same').map((l) => l.text)).toEqual([
			'Start sooner.',
			'Pay carers for their time.'
		]);
		await publishCaseStudy(ctx.db, curator, slug);
		expect((await viewCaseStudy(ctx.db, null, slug))?.view.doDifferently).toBe(
			'Pay carers for their time.'
		);
		const history = await caseStudyHistory(ctx.db, slug);
		expect(history?.entries.map((e) => [e.version, e.current])).toEqual([
			[2, true],
			[1, false]
		]);
		expect(history?.entries[0]?.changes?.find((l) => l.kind === 'added')?.text).toBe(
			'Pay carers for their time.'
		);
		expect(history?.entries[1]?.changes).toBeNull();
	});

	it('gives the sitemap published case studies only', async () => {
		const sam = await person();
		const curator = await person('curator');
		const shown = await published(sam, curator, { title: 'In the sitemap' });
		const draft = await saveCaseStudy(ctx.db, sam, input({ title: 'Not in the sitemap' }), {
			intent: 'draft'
		});
		const links = await listPublicCaseStudyLinksAfter(ctx.db, null, 10_000);
		expect(links.map((l) => l.path)).toContain(`/library/${shown.slug}`);
		expect(links.map((l) => l.path)).not.toContain(
			`/library/${draft.ok ? draft.caseStudy.slug : ''}`
		);
	});

	it('a curator’s own case study is published when submitted', async () => {
		const curator = await person('curator');
		const saved = await saveCaseStudy(ctx.db, curator, input({ title: 'By a curator' }), {
			intent: 'submit'
		});
		expect(saved.ok && saved.state).toBe('published');
	});

	it('lists published case studies on /library by two filters, a page at a time', async () => {
		const sam = await person();
		const curator = await person('curator');
		const org = await organisation('Filter Test Trust');
		for (let i = 0; i < 23; i++)
			await published(sam, curator, {
				title: `Filtered ${i}`,
				organisations: [org.id],
				stage: i % 2 ? 'co-producing' : 'consulting'
			});
		await published(sam, curator, { title: 'Other org', stage: 'co-producing' });
		const query = { organisation: org.slug, stage: 'co-producing' };
		const first = await libraryPage(ctx.db, query);
		expect(first.cards).toHaveLength(11);
		expect(first.cards[0]?.title).toBe('Filtered 21');
		expect(first.cards.every((c) => c.stage === 'Co-producing')).toBe(true);
		expect(first.next).toBeNull();
		const all = await libraryPage(ctx.db, { organisation: org.slug });
		expect(all.cards).toHaveLength(20);
		expect(all.next).not.toBeNull();
		const second = await libraryPage(ctx.db, { organisation: org.slug }, all.next!);
		expect(second.cards.map((c) => c.title)).toEqual(['Filtered 2', 'Filtered 1', 'Filtered 0']);
		expect((await libraryPage(ctx.db, { stage: 'dictating' })).missing).toBe(true);
		expect((await libraryPage(ctx.db, { benefit: 'no-such-word' })).cards).toEqual([]);
		const byBarrier = await libraryPage(ctx.db, {
			barrier: 'time',
			area: 'carers-and-unpaid-care'
		});
		expect(byBarrier.cards.length).toBeGreaterThan(0);
	});

	it('offers in its organisation filter only organisations a published case study names', async () => {
		const sam = await person();
		const curator = await person('curator');
		const [named, drafted, unnamed] = [
			await organisation('Named Library Trust'),
			await organisation('Drafted Library Trust'),
			await organisation('Unnamed Library Trust')
		];
		await published(sam, curator, { title: 'Named', organisations: [named.id] });
		const draft = await saveCaseStudy(
			ctx.db,
			sam,
			input({ title: 'Drafted', organisations: [drafted.id] }),
			{ intent: 'draft' }
		);
		expect(draft.ok).toBe(true);
		const offered = (await libraryPage(ctx.db, {})).organisations.map((o) => o.slug);
		expect(offered).toContain(named.slug);
		expect(offered).not.toContain(drafted.slug);
		expect(offered).not.toContain(unnamed.slug);
		// A link that names one anyway keeps it chosen, with nothing found.
		const linked = await libraryPage(ctx.db, { organisation: unnamed.slug });
		expect(linked.organisations.map((o) => o.slug)).toContain(unnamed.slug);
		expect(linked.cards).toEqual([]);
	});

	it('shows a person named as involved only once they consent; only they answer; they can withdraw', async () => {
		const sam = await person();
		const jo = await person();
		const stranger = await person();
		const curator = await person('curator');
		const caseStudy = await published(sam, curator, { title: 'With Jo' });
		const slug = caseStudy.slug;
		expect(
			await askInvolvement(ctx.db, sam, slug, { person: 'nobody@example.test', role: 'Carer' })
		).toMatchObject({ ok: false, errors: { person: expect.stringContaining('no member') } });
		expect(await askInvolvement(ctx.db, sam, slug, { person: '', role: '' })).toMatchObject({
			ok: false,
			errors: { person: expect.any(String), role: 'Say how they were involved' }
		});
		await expect(
			askInvolvement(ctx.db, stranger, slug, { person: jo.email, role: 'Carer' })
		).rejects.toThrow(ForbiddenError);
		expect(
			await askInvolvement(ctx.db, sam, slug, { person: jo.email, role: 'Ran the workshops' })
		).toEqual({ ok: true });
		const asked = await ctx.db
			.selectFrom('notification')
			.select(['kind', 'url'])
			.where('recipient_id', '=', jo.id)
			.executeTakeFirstOrThrow();
		expect(asked).toEqual({ kind: 'case-study-involvement', url: '/library/involved' });
		expect((await viewCaseStudy(ctx.db, null, slug))?.people).toEqual([]);

		const [row] = await myInvolvements(ctx.db, jo);
		expect(row?.state).toBe('asked');
		await expect(answerInvolvement(ctx.db, stranger, row!.id, 'consent')).rejects.toThrow(
			ForbiddenError
		);
		await expect(answerInvolvement(ctx.db, sam, row!.id, 'consent')).rejects.toThrow(
			ForbiddenError
		);
		expect(await answerInvolvement(ctx.db, jo, row!.id, 'consent')).toBe('consented');
		expect((await viewCaseStudy(ctx.db, null, slug))?.people).toEqual([
			{ name: jo.name, role: 'Ran the workshops', userId: jo.id }
		]);
		expect(await caseStudiesInvolving(ctx.db, jo.id, 10)).toEqual([{ slug, title: 'With Jo' }]);
		expect(await answerInvolvement(ctx.db, jo, row!.id, 'withdraw')).toBe('withdrawn');
		expect((await viewCaseStudy(ctx.db, null, slug))?.people).toEqual([]);
		expect(await caseStudiesInvolving(ctx.db, jo.id, 10)).toEqual([]);
	});

	it('cites a check’s round only with its owners’ consent: an owner, or public results', async () => {
		const owner = await person();
		const other = await person();
		const curator = await person('curator');
		const version = await ctx.db
			.selectFrom('framework_version')
			.select('id')
			.orderBy('number', 'desc')
			.executeTakeFirstOrThrow();
		const now = nowIso();
		const assessmentId = newId();
		await ctx.db
			.insertInto('assessment')
			.values({
				id: assessmentId,
				title: 'Our day centre',
				description: '',
				framework_version_id: version.id,
				organisation_id: null,
				created_by: owner.id,
				share_code: newId(),
				results_visibility: 'owners',
				created_at: now,
				updated_at: now
			})
			.execute();
		await ctx.db
			.insertInto('assessment_owner')
			.values({ assessment_id: assessmentId, user_id: owner.id, added_at: now })
			.execute();
		const roundId = newId();
		await ctx.db
			.insertInto('assessment_round')
			.values({
				id: roundId,
				assessment_id: assessmentId,
				number: 1,
				closes_at: now,
				closed_at: null,
				created_at: now
			})
			.execute();
		const refused = await saveCaseStudy(ctx.db, other, input({ roundId }), { intent: 'draft' });
		expect(refused.ok).toBe(false);
		expect(!refused.ok && refused.errors.roundId).toContain('owners made the results public');
		const cited = await published(owner, curator, { title: 'Cited by its owner', roundId });
		expect((await viewCaseStudy(ctx.db, null, cited.slug))?.view.round).toMatchObject({
			title: 'Our day centre',
			number: 1,
			resultsPublic: false
		});
		await ctx.db
			.updateTable('assessment')
			.set({ results_visibility: 'public' })
			.where('id', '=', assessmentId)
			.execute();
		expect((await saveCaseStudy(ctx.db, other, input({ roundId }), { intent: 'draft' })).ok).toBe(
			true
		);
	});

	it('starts a draft from a finished pilot, and finds published ones by the check’s dimensions', async () => {
		const sam = await person();
		const curator = await person('curator');
		const started = await startCaseStudyFromPilot(ctx.db, sam, {
			id: 'pilot-123',
			title: 'Peer support on the ward',
			summary: 'Six months of peer support.',
			serviceAreaIds: ['service-area:mental-health', 'service-area:gone'],
			organisationId: null,
			whatWasLearned: 'People came back.'
		});
		expect(started.slug).toBe('peer-support-on-the-ward');
		const row = await ctx.db
			.selectFrom('case_study')
			.selectAll()
			.where('id', '=', started.id)
			.executeTakeFirstOrThrow();
		expect(row).toMatchObject({
			author_id: sam.id,
			pilot_id: 'pilot-123',
			review_state: 'draft',
			work_status: 'finished',
			summary: 'Six months of peer support.',
			what_was_done: 'People came back.',
			service_area_ids: '["service-area:mental-health"]'
		});
		await expect(
			startCaseStudyFromPilot(ctx.db, null as never, {
				id: 'p',
				title: 't',
				summary: '',
				serviceAreaIds: [],
				organisationId: null,
				whatWasLearned: ''
			})
		).rejects.toThrow(ForbiddenError);

		const [first, second] = (await libraryVocabulary(ctx.db)).dimensions;
		const shown = await published(sam, curator, {
			title: 'Shows a dimension',
			dimensions: [first!.key]
		});
		const found = await publishedCaseStudiesForDimensions(ctx.db, [first!.key, second!.key], 5);
		expect(found[0]).toEqual({
			slug: shown.slug,
			title: 'Shows a dimension',
			summary: input().summary,
			dimensionKeys: [first!.key]
		});
		expect(await publishedCaseStudiesForDimensions(ctx.db, [], 5)).toEqual([]);
	});
});
