import { expect, it } from 'vitest';
import { ForbiddenError } from '../refusals';
import { describeEachDatabase } from '../testing/databases';
import {
	closeRound,
	createAssessment,
	CREATE_RATE_LIMIT,
	getAssessmentForManaging,
	inviteRespondents,
	openNewRound,
	renewShareLink,
	updateAssessmentSettings
} from './assessments.service';
import {
	answerValues,
	assessmentValues,
	NOW,
	startAsVisitor,
	submitAsVisitor,
	TEST_SITE,
	testAssessment,
	testMember
} from './assessments.testing';
import { START_RATE_LIMIT, throttleStart } from './assessments.http';
import { currentFramework } from './framework.service';
import {
	answerIntro,
	EMPTY_SUBMISSION,
	responseForm,
	saveAnswers,
	startResponse
} from './responses.service';

// What the owners' page, the page before answering and a person's own answers page read and
// change: counts without names for owners, someone's answers only for that someone.

describeEachDatabase('the owners’ page', (ctx) => {
	it('shows owners each round’s counts, and refuses everyone else', async () => {
		const { assessment, roundId, owner } = await testAssessment(ctx.db);
		await submitAsVisitor(ctx.db, assessment, 'carer', await answerValues(ctx.db, () => '3'));
		await submitAsVisitor(ctx.db, assessment, 'manager', await answerValues(ctx.db, () => '4'));
		await startResponse(
			ctx.db,
			{ via: 'share', shareCode: assessment.share_code, actor: null },
			'frontline',
			NOW
		);
		await inviteRespondents(
			ctx.db,
			TEST_SITE,
			owner,
			roundId,
			{ emails: 'a@example.test, b@example.test' },
			NOW
		);

		const managed = await getAssessmentForManaging(ctx.db, owner, assessment.id, NOW);
		expect(managed?.owners).toEqual([{ id: owner.id, name: owner.name }]);
		expect(managed?.rounds).toMatchObject([
			{
				id: roundId,
				number: 1,
				open: true,
				submitted: 2,
				unfinished: 1,
				invited: 2,
				invitationsUsed: 0
			}
		]);

		await closeRound(ctx.db, owner, roundId, NOW);
		expect(
			(await getAssessmentForManaging(ctx.db, owner, assessment.id, NOW))?.rounds[0]?.open
		).toBe(false);

		const stranger = await testMember(ctx.db);
		await expect(getAssessmentForManaging(ctx.db, stranger, assessment.id, NOW)).rejects.toThrow(
			ForbiddenError
		);
		await expect(getAssessmentForManaging(ctx.db, null, assessment.id, NOW)).rejects.toThrow(
			ForbiddenError
		);
		expect(
			await getAssessmentForManaging(ctx.db, owner, 'no-such-assessment', NOW)
		).toBeUndefined();
	});

	it('lets owners change the settings, with messages for bad values, and refuses others', async () => {
		const { assessment, owner } = await testAssessment(ctx.db);
		const stranger = await testMember(ctx.db);
		const settings = {
			title: 'Riverside day centre, weekends',
			description: '',
			openToVisitors: '',
			resultsVisibility: 'public',
			threshold: '5'
		};
		await expect(
			updateAssessmentSettings(ctx.db, stranger, assessment.id, settings, NOW)
		).rejects.toThrow(ForbiddenError);

		expect(
			await updateAssessmentSettings(
				ctx.db,
				owner,
				assessment.id,
				{ ...settings, threshold: '2', resultsVisibility: 'everybody' },
				NOW
			)
		).toEqual({
			ok: false,
			reason: 'invalid',
			errors: {
				threshold:
					'The fewest answers before a group’s results show must be a whole number from 3 to 50',
				resultsVisibility: 'Choose who can see the results'
			}
		});

		const saved = await updateAssessmentSettings(ctx.db, owner, assessment.id, settings, NOW);
		expect(saved.ok).toBe(true);
		const row = await ctx.db
			.selectFrom('assessment')
			.selectAll()
			.where('id', '=', assessment.id)
			.executeTakeFirstOrThrow();
		expect(row).toMatchObject({
			title: 'Riverside day centre, weekends',
			open_to_visitors: 0,
			results_visibility: 'public',
			threshold: 5,
			// The framework version never changes with the settings.
			framework_version_id: assessment.framework_version_id
		});
	});
});

describeEachDatabase('answering, page by page', (ctx) => {
	it('says before starting whether someone can answer, and finds a member’s started answers', async () => {
		const { assessment, roundId, owner } = await testAssessment(ctx.db, { openToVisitors: 'no' });
		const share = (actor: Awaited<ReturnType<typeof testMember>> | null) =>
			({ via: 'share', shareCode: assessment.share_code, actor }) as const;
		expect(await answerIntro(ctx.db, share(null), NOW)).toMatchObject({
			assessment: { title: assessment.title },
			round: { number: 1, open: true },
			signInNeeded: true,
			used: false,
			existing: null
		});
		const member = await testMember(ctx.db);
		const started = await startResponse(ctx.db, share(member), 'carer', NOW);
		expect(await answerIntro(ctx.db, share(member), NOW)).toMatchObject({
			signInNeeded: false,
			existing: { id: started.ok ? started.responseId : '', submitted: false }
		});
		await closeRound(ctx.db, owner, roundId, NOW);
		expect((await answerIntro(ctx.db, share(null), NOW))?.round.open).toBe(false);
		expect(
			await answerIntro(ctx.db, { via: 'share', shareCode: 'not-a-code', actor: null }, NOW)
		).toBeUndefined();
		expect(
			await answerIntro(ctx.db, { via: 'invitation', token: 'not-a-token', actor: null }, NOW)
		).toBeUndefined();
	});

	it('gives a person their own answers back, and nobody else (not even an owner)', async () => {
		const { assessment, owner } = await testAssessment(ctx.db, {
			resultsVisibility: 'respondents'
		});
		const framework = await currentFramework(ctx.db);
		const [first] = framework.dimensions;
		const started = await startAsVisitor(ctx.db, assessment, 'uses-services');
		await saveAnswers(
			ctx.db,
			{ resumeCode: started.resumeCode },
			{
				[`s-${first!.statements[0]!.id}`]: '1',
				[`s-${first!.statements[1]!.id}`]: 'dont-know',
				[`comment-${first!.id}`]: 'More say in the timetable, please.',
				continuum: 'consulting'
			},
			{ submit: false },
			NOW
		);

		const mine = await responseForm(ctx.db, { resumeCode: started.resumeCode }, NOW);
		expect(mine).toMatchObject({
			responseId: started.responseId,
			perspective: 'uses-services',
			member: false,
			submitted: false,
			answered: 2,
			assessment: { id: assessment.id, resultsVisibility: 'respondents' },
			values: {
				[`s-${first!.statements[0]!.id}`]: '1',
				[`s-${first!.statements[1]!.id}`]: 'dont-know',
				[`comment-${first!.id}`]: 'More say in the timetable, please.',
				continuum: 'consulting'
			}
		});
		expect(mine?.framework.version.id).toBe(assessment.framework_version_id);

		// The owner knows the response's id only if it leaks; even then it opens nothing.
		expect(
			await responseForm(ctx.db, { responseId: started.responseId, actor: owner }, NOW)
		).toBeUndefined();
		expect(
			await responseForm(ctx.db, { responseId: started.responseId, actor: null }, NOW)
		).toBeUndefined();
		expect(await responseForm(ctx.db, { resumeCode: 'a-guess' }, NOW)).toBeUndefined();
	});

	it('refuses to send a response with no answer at all, and keeps nothing half-done', async () => {
		const { assessment } = await testAssessment(ctx.db);
		const framework = await currentFramework(ctx.db);
		const [first] = framework.dimensions;
		const started = await startAsVisitor(ctx.db, assessment, 'frontline');
		const key = { resumeCode: started.resumeCode };
		expect(
			await saveAnswers(
				ctx.db,
				key,
				{ [`comment-${first!.id}`]: 'Only a comment.', continuum: 'engaging' },
				{ submit: true },
				NOW
			)
		).toEqual({ ok: false, reason: 'invalid', errors: { form: EMPTY_SUBMISSION } });
		// Rolled back as a whole: neither the comment nor the continuum answer were kept.
		expect(await responseForm(ctx.db, key, NOW)).toMatchObject({ submitted: false, values: {} });

		expect(
			await saveAnswers(
				ctx.db,
				key,
				{ [`s-${first!.statements[0]!.id}`]: 'dont-know' },
				{ submit: true },
				NOW
			)
		).toEqual({ ok: true, submitted: true });
	});
});

describeEachDatabase('starting answers, per internet address', (ctx) => {
	it('allows 60 starts an hour, then refuses with the wait', async () => {
		const ip = `203.0.113.${Math.floor(Math.random() * 250)}`;
		for (let i = 0; i < START_RATE_LIMIT.limit; i++)
			expect(await throttleStart(ctx.db, ip)).toEqual({ ok: true });
		const refused = await throttleStart(ctx.db, ip);
		expect(refused.ok).toBe(false);
		if (!refused.ok) expect(refused.retryAfterSeconds).toBeGreaterThan(0);
		// Someone else is not held up.
		expect(await throttleStart(ctx.db, '198.51.100.7')).toEqual({ ok: true });
	});
});

describeEachDatabase('a form from one check’s page', (ctx) => {
	it('cannot close or invite to another check’s round, nor close a round no longer the latest', async () => {
		const owner = await testMember(ctx.db);
		const a = await testAssessment(ctx.db, { title: 'Day centre' }, owner);
		const b = await testAssessment(ctx.db, { title: 'Carers’ breaks' }, owner);
		expect(await closeRound(ctx.db, owner, a.roundId, NOW, b.assessment.id)).toEqual({
			ok: false,
			reason: 'not-found'
		});
		expect(
			await inviteRespondents(
				ctx.db,
				TEST_SITE,
				owner,
				a.roundId,
				{ emails: 'x@example.test' },
				NOW,
				b.assessment.id
			)
		).toEqual({ ok: false, reason: 'not-found' });
		expect(
			(await getAssessmentForManaging(ctx.db, owner, a.assessment.id, NOW))?.rounds
		).toMatchObject([{ open: true, invited: 0 }]);

		// A co-owner closes round 1 and opens round 2; a tab still showing round 1 is told.
		expect(await closeRound(ctx.db, owner, a.roundId, NOW, a.assessment.id)).toEqual({ ok: true });
		await openNewRound(ctx.db, owner, a.assessment.id, { closesDate: '2030-12-31' }, NOW);
		expect(await closeRound(ctx.db, owner, a.roundId, NOW, a.assessment.id)).toEqual({
			ok: false,
			reason: 'not-latest'
		});
	});
});

describeEachDatabase('a comment too long', (ctx) => {
	it('is refused with the area named, and nothing is saved', async () => {
		const { assessment } = await testAssessment(ctx.db);
		const framework = await currentFramework(ctx.db);
		const [first, second] = framework.dimensions;
		const started = await startAsVisitor(ctx.db, assessment, 'carer');
		const key = { resumeCode: started.resumeCode };
		expect(
			await saveAnswers(
				ctx.db,
				key,
				{ [`s-${first!.statements[0]!.id}`]: '2', [`comment-${second!.id}`]: 'x'.repeat(1_001) },
				{ submit: false },
				NOW
			)
		).toEqual({
			ok: false,
			reason: 'invalid',
			errors: {
				[`comment-${second!.id}`]: `Comments must be 1,000 characters or fewer (in “${second!.title}”)`
			}
		});
		expect((await responseForm(ctx.db, key, NOW))?.answered).toBe(0);
	});
});

describeEachDatabase('an invitation opened again', (ctx) => {
	it('offers to carry on, without asking the perspective again, and a closed round says when', async () => {
		const { roundId, owner } = await testAssessment(ctx.db);
		await inviteRespondents(ctx.db, TEST_SITE, owner, roundId, { emails: 'r@example.test' }, NOW);
		const mail = await ctx.db
			.selectFrom('mail_outbox')
			.select('text_body')
			.where('to_address', '=', 'r@example.test')
			.executeTakeFirstOrThrow();
		const token = /\/assessments\/answer\/invitation\/([\w-]+)/.exec(mail.text_body)![1]!;
		const start = { via: 'invitation', token, actor: null } as const;
		expect((await answerIntro(ctx.db, start, NOW))?.resumable).toBe(false);
		const first = await startResponse(ctx.db, start, 'carer', NOW);
		expect((await answerIntro(ctx.db, start, NOW))?.resumable).toBe(true);
		// No perspective sent: the one chosen first stays.
		const again = await startResponse(ctx.db, start, undefined, NOW);
		expect(again).toMatchObject({ ok: true, resumed: true });
		if (!first.ok || !again.ok || !again.resumeCode) throw new Error('not started');
		expect(again.responseId).toBe(first.responseId);
		expect((await responseForm(ctx.db, { resumeCode: again.resumeCode }, NOW))?.perspective).toBe(
			'carer'
		);

		await closeRound(ctx.db, owner, roundId, NOW);
		expect((await answerIntro(ctx.db, start, NOW))?.round).toMatchObject({
			open: false,
			closedAt: NOW.toISOString()
		});
	});
});

describeEachDatabase('showing the results more widely', (ctx) => {
	it('needs the owner to say they told the people who already answered', async () => {
		const { assessment, owner } = await testAssessment(ctx.db, { resultsVisibility: 'owners' });
		const settings = {
			title: assessment.title,
			description: '',
			openToVisitors: 'yes',
			resultsVisibility: 'public',
			threshold: '3'
		};
		// Nobody has answered yet: no need to ask.
		expect((await updateAssessmentSettings(ctx.db, owner, assessment.id, settings, NOW)).ok).toBe(
			true
		);
		await updateAssessmentSettings(
			ctx.db,
			owner,
			assessment.id,
			{ ...settings, resultsVisibility: 'owners' },
			NOW
		);
		await submitAsVisitor(ctx.db, assessment, 'carer', await answerValues(ctx.db, () => '3'));
		expect(
			await updateAssessmentSettings(
				ctx.db,
				owner,
				assessment.id,
				{ ...settings, resultsVisibility: 'respondents' },
				NOW
			)
		).toMatchObject({ ok: false, reason: 'invalid', errors: { confirmWiden: expect.any(String) } });
		expect(
			(
				await updateAssessmentSettings(
					ctx.db,
					owner,
					assessment.id,
					{ ...settings, resultsVisibility: 'respondents', confirmWiden: 'yes' },
					NOW
				)
			).ok
		).toBe(true);
		// Narrowing needs nothing.
		expect(
			(
				await updateAssessmentSettings(
					ctx.db,
					owner,
					assessment.id,
					{ ...settings, resultsVisibility: 'owners' },
					NOW
				)
			).ok
		).toBe(true);
	});
});

describeEachDatabase('a new shareable link', (ctx) => {
	it('replaces the old one at once, at an owner’s request only', async () => {
		const { assessment, owner } = await testAssessment(ctx.db);
		const stranger = await testMember(ctx.db);
		await expect(renewShareLink(ctx.db, stranger, assessment.id, NOW)).rejects.toThrow(
			ForbiddenError
		);
		const renewed = await renewShareLink(ctx.db, owner, assessment.id, NOW);
		if (!renewed.ok) throw new Error('not renewed');
		const share = (shareCode: string) => ({ via: 'share', shareCode, actor: null }) as const;
		expect(await answerIntro(ctx.db, share(assessment.share_code), NOW)).toBeUndefined();
		expect((await answerIntro(ctx.db, share(renewed.shareCode), NOW))?.assessment.title).toBe(
			assessment.title
		);
	});
});

describeEachDatabase('the threshold', (ctx) => {
	it('can change until someone answers, then stays, so two views cannot be subtracted', async () => {
		const { assessment, owner } = await testAssessment(ctx.db, { threshold: '3' });
		const settings = {
			title: assessment.title,
			description: '',
			openToVisitors: 'yes',
			resultsVisibility: 'owners',
			threshold: '5'
		};
		expect((await updateAssessmentSettings(ctx.db, owner, assessment.id, settings, NOW)).ok).toBe(
			true
		);
		await submitAsVisitor(ctx.db, assessment, 'carer', await answerValues(ctx.db, () => '3'));
		const changed = await updateAssessmentSettings(
			ctx.db,
			owner,
			assessment.id,
			{ ...settings, threshold: '3' },
			NOW
		);
		expect(changed).toMatchObject({ ok: false, reason: 'invalid' });
		if (!changed.ok && changed.reason === 'invalid')
			expect(changed.errors.threshold).toContain('it is 5');
		// Other settings still change.
		expect(
			(
				await updateAssessmentSettings(
					ctx.db,
					owner,
					assessment.id,
					{ ...settings, title: 'A new name' },
					NOW
				)
			).ok
		).toBe(true);
	});
});

describeEachDatabase('starting a check', (ctx) => {
	it('gives the same check when the form is sent twice, and limits how many a day', async () => {
		const owner = await testMember(ctx.db);
		const values = assessmentValues({ title: 'Library volunteers' });
		const first = await createAssessment(ctx.db, owner, values, NOW);
		const again = await createAssessment(ctx.db, owner, values, NOW);
		if (!first.ok || !again.ok) throw new Error('not created');
		expect(again.assessment.id).toBe(first.assessment.id);
		expect(again.roundId).toBe(first.roundId);
		// Someone else with the same name gets their own.
		const other = await createAssessment(ctx.db, await testMember(ctx.db), values, NOW);
		expect(other.ok && other.assessment.id).not.toBe(first.assessment.id);

		for (let i = 1; i < CREATE_RATE_LIMIT.limit; i++)
			expect(
				(await createAssessment(ctx.db, owner, assessmentValues({ title: `Check ${i}` }), NOW)).ok
			).toBe(true);
		expect(
			await createAssessment(ctx.db, owner, assessmentValues({ title: 'One too many' }), NOW)
		).toMatchObject({ ok: false, reason: 'rate-limited' });
	});
});
