import type { Kysely } from 'kysely';
import { expect, it } from 'vitest';
import type { DB } from '../db/schema';
import { describeEachDatabase } from '../testing/databases';
import { closeRound, inviteRespondents } from './assessments.service';
import { answerValues, NOW, TEST_SITE, testAssessment, testMember } from './assessments.testing';
import { currentFramework } from './framework.service';
import { saveAnswers, startResponse } from './responses.service';

/** Everything stored for a response, to check nothing changed. */
async function snapshot(db: Kysely<DB>, responseId: string) {
	const [response, answers, comments] = await Promise.all([
		db
			.selectFrom('assessment_response')
			.selectAll()
			.where('id', '=', responseId)
			.executeTakeFirst(),
		db
			.selectFrom('assessment_answer')
			.select(['statement_id', 'rating'])
			.where('response_id', '=', responseId)
			.orderBy('statement_id')
			.execute(),
		db
			.selectFrom('assessment_comment')
			.select(['dimension_id', 'comment'])
			.where('response_id', '=', responseId)
			.orderBy('dimension_id')
			.execute()
	]);
	return { response, answers, comments };
}

async function invitationToken(db: Kysely<DB>, email: string): Promise<string> {
	const mail = await db
		.selectFrom('mail_outbox')
		.select('text_body')
		.where('to_address', '=', email)
		.orderBy('created_at', 'desc')
		.executeTakeFirstOrThrow();
	return /\/assessments\/answer\/invitation\/([\w-]+)/.exec(mail.text_body)![1]!;
}

describeEachDatabase('answering an assessment', (ctx) => {
	it('gives a member who starts twice at once one response', async () => {
		const { assessment } = await testAssessment(ctx.db, { openToVisitors: 'no' });
		const member = await testMember(ctx.db);
		const start = { via: 'share' as const, shareCode: assessment.share_code, actor: member };
		const results = await Promise.all(
			Array.from({ length: 5 }, () => startResponse(ctx.db, start, 'carer', NOW))
		);
		const ids = new Set(results.map((r) => (r.ok ? r.responseId : r.reason)));
		expect(ids.size).toBe(1);
		const rows = await ctx.db
			.selectFrom('assessment_response')
			.select('id')
			.where('user_id', '=', member.id)
			.execute();
		expect(rows).toHaveLength(1);
	});

	it('keeps partial answers, and lets a member finish later by their session', async () => {
		const { assessment } = await testAssessment(ctx.db, { openToVisitors: 'no' });
		const member = await testMember(ctx.db);
		const framework = await currentFramework(ctx.db);
		const [first, second] = framework.dimensions;
		const start = { via: 'share' as const, shareCode: assessment.share_code, actor: member };
		const started = await startResponse(ctx.db, start, 'frontline', NOW);
		expect(started).toMatchObject({ ok: true, resumeCode: null, resumed: false });
		if (!started.ok) return;
		const key = { responseId: started.responseId, actor: member };

		expect(
			await saveAnswers(
				ctx.db,
				key,
				{
					[`s-${first!.statements[0]!.id}`]: '3',
					[`s-${first!.statements[1]!.id}`]: 'dont-know',
					[`s-${first!.statements[2]!.id}`]: '',
					[`comment-${first!.id}`]: '  We are asked, but late.  ',
					continuum: 'consulting'
				},
				{ submit: false },
				NOW
			)
		).toEqual({ ok: true, submitted: false });

		// Coming back: the same response, not a second one; the first page's answers stay.
		const again = await startResponse(ctx.db, start, 'manager', NOW);
		expect(again).toMatchObject({ ok: true, responseId: started.responseId, resumed: true });
		expect(
			await saveAnswers(
				ctx.db,
				key,
				{ [`s-${second!.statements[0]!.id}`]: '4' },
				{ submit: true },
				NOW
			)
		).toEqual({ ok: true, submitted: true });

		const stored = await snapshot(ctx.db, started.responseId);
		expect(stored.response).toMatchObject({
			perspective: 'frontline',
			continuum: 'consulting',
			user_id: member.id
		});
		expect(stored.response?.submitted_at).toBeTruthy();
		expect(stored.answers).toHaveLength(3);
		expect(stored.answers).toEqual(
			expect.arrayContaining([
				{ statement_id: first!.statements[0]!.id, rating: 3 },
				{ statement_id: first!.statements[1]!.id, rating: null },
				{ statement_id: second!.statements[0]!.id, rating: 4 }
			])
		);
		expect(stored.comments).toEqual([
			{ dimension_id: first!.id, comment: 'We are asked, but late.' }
		]);

		// Submitted: no more changes, and someone else's session opens nothing.
		expect(
			await saveAnswers(ctx.db, key, { continuum: 'informing' }, { submit: false }, NOW)
		).toEqual({
			ok: false,
			reason: 'submitted'
		});
		const other = await testMember(ctx.db);
		expect(
			await saveAnswers(
				ctx.db,
				{ responseId: started.responseId, actor: other },
				{},
				{ submit: false },
				NOW
			)
		).toEqual({ ok: false, reason: 'not-found' });
	});

	it('lets a visitor finish later with their resume code, and only when visitors are welcome', async () => {
		const closed = await testAssessment(ctx.db, { openToVisitors: 'no' });
		expect(
			await startResponse(
				ctx.db,
				{ via: 'share', shareCode: closed.assessment.share_code, actor: null },
				'carer',
				NOW
			)
		).toEqual({ ok: false, reason: 'sign_in' });

		const { assessment } = await testAssessment(ctx.db, { openToVisitors: 'yes' });
		const started = await startResponse(
			ctx.db,
			{ via: 'share', shareCode: assessment.share_code, actor: null },
			'carer',
			NOW
		);
		expect(started).toMatchObject({ ok: true, resumed: false });
		if (!started.ok || !started.resumeCode) throw new Error('no resume code');
		const stored = await snapshot(ctx.db, started.responseId);
		expect(stored.response?.resume_hash).toBeTruthy();
		expect(stored.response?.resume_hash).not.toBe(started.resumeCode);

		const values = await answerValues(ctx.db, (d) => (d < 2 ? '2' : ''));
		expect(
			await saveAnswers(ctx.db, { resumeCode: started.resumeCode }, values, { submit: false }, NOW)
		).toEqual({ ok: true, submitted: false });
		expect(
			await saveAnswers(ctx.db, { resumeCode: 'a-guess' }, values, { submit: true }, NOW)
		).toEqual({ ok: false, reason: 'not-found' });
		expect(
			await saveAnswers(
				ctx.db,
				{ resumeCode: started.resumeCode },
				{ continuum: 'engaging' },
				{ submit: true },
				NOW
			)
		).toEqual({ ok: true, submitted: true });
		const after = await snapshot(ctx.db, started.responseId);
		expect(after.answers.length).toBe(Object.values(values).filter(Boolean).length);
		expect(after.response).toMatchObject({ continuum: 'engaging', user_id: null });
	});

	it('refuses a perspective that is not on the list and answers it does not know', async () => {
		const { assessment } = await testAssessment(ctx.db);
		const member = await testMember(ctx.db);
		const start = { via: 'share' as const, shareCode: assessment.share_code, actor: member };
		expect(await startResponse(ctx.db, start, 'bystander', NOW)).toMatchObject({
			ok: false,
			reason: 'invalid',
			errors: { perspective: expect.any(String) }
		});
		const started = await startResponse(ctx.db, start, 'partner', NOW);
		if (!started.ok) throw new Error('not started');
		const framework = await currentFramework(ctx.db);
		const statement = framework.dimensions[0]!.statements[0]!;
		const key = { responseId: started.responseId, actor: member };
		expect(
			await saveAnswers(ctx.db, key, { [`s-${statement.id}`]: '7' }, { submit: false }, NOW)
		).toMatchObject({
			ok: false,
			reason: 'invalid',
			errors: { [`s-${statement.id}`]: expect.any(String) }
		});
		expect(
			await saveAnswers(ctx.db, key, { 'comment-x': 'x'.repeat(1001) }, { submit: false }, NOW)
		).toMatchObject({ ok: false, reason: 'invalid' });
		// A statement from no version of this assessment's framework is ignored.
		expect(
			await saveAnswers(
				ctx.db,
				key,
				{ 's-not-a-statement': '4', [`s-${statement.id}`]: '1' },
				{ submit: false },
				NOW
			)
		).toEqual({ ok: true, submitted: false });
		expect((await snapshot(ctx.db, started.responseId)).answers).toEqual([
			{ statement_id: statement.id, rating: 1 }
		]);
	});

	it('lets an invitation be answered once, and never twice', async () => {
		const { roundId, owner } = await testAssessment(ctx.db, { openToVisitors: 'no' });
		await inviteRespondents(ctx.db, TEST_SITE, owner, roundId, { emails: 'once@example.org' }, NOW);
		const token = await invitationToken(ctx.db, 'once@example.org');
		const start = { via: 'invitation' as const, token, actor: null };

		const first = await startResponse(ctx.db, start, 'uses-services', NOW);
		if (!first.ok || !first.resumeCode) throw new Error('not started');
		// Opening the link again before finishing gives back the same answers, with a new code.
		const reopened = await startResponse(ctx.db, start, 'uses-services', NOW);
		expect(reopened).toMatchObject({ ok: true, responseId: first.responseId, resumed: true });
		if (!reopened.ok || !reopened.resumeCode) throw new Error('not reopened');
		expect(
			await saveAnswers(ctx.db, { resumeCode: first.resumeCode }, {}, { submit: false }, NOW)
		).toEqual({ ok: false, reason: 'not-found' });
		expect(
			await saveAnswers(
				ctx.db,
				{ resumeCode: reopened.resumeCode },
				await answerValues(ctx.db, () => '3'),
				{ submit: true },
				NOW
			)
		).toEqual({ ok: true, submitted: true });

		expect(await startResponse(ctx.db, start, 'uses-services', NOW)).toEqual({
			ok: false,
			reason: 'used'
		});
		const member = await testMember(ctx.db);
		expect(await startResponse(ctx.db, { ...start, actor: member }, 'carer', NOW)).toEqual({
			ok: false,
			reason: 'used'
		});
		const invitation = await ctx.db
			.selectFrom('assessment_invitation')
			.select('used_at')
			.where('round_id', '=', roundId)
			.executeTakeFirstOrThrow();
		// Used that day: not the moment, which would match the answers' own.
		expect(invitation.used_at).toBe('2027-03-01T00:00:00.000Z');
		const responses = await ctx.db
			.selectFrom('assessment_response')
			.select(['id', 'invitation_id'])
			.where('round_id', '=', roundId)
			.execute();
		// The sent answers keep no tie to the invitation, so none to the address.
		expect(responses).toEqual([{ id: first.responseId, invitation_id: null }]);
	});

	it('refuses answers to a closed round with a clear reason, changing nothing', async () => {
		const { assessment, roundId, owner } = await testAssessment(ctx.db);
		const member = await testMember(ctx.db);
		const started = await startResponse(
			ctx.db,
			{ via: 'share', shareCode: assessment.share_code, actor: member },
			'manager',
			NOW
		);
		if (!started.ok) throw new Error('not started');
		const key = { responseId: started.responseId, actor: member };
		await saveAnswers(ctx.db, key, await answerValues(ctx.db, () => '1'), { submit: false }, NOW);
		const before = await snapshot(ctx.db, started.responseId);

		await closeRound(ctx.db, owner, roundId, NOW);
		expect(
			await saveAnswers(ctx.db, key, await answerValues(ctx.db, () => '4'), { submit: true }, NOW)
		).toEqual({ ok: false, reason: 'closed' });
		expect(await snapshot(ctx.db, started.responseId)).toEqual(before);
		expect(
			await startResponse(
				ctx.db,
				{ via: 'share', shareCode: assessment.share_code, actor: null },
				'carer',
				NOW
			)
		).toEqual({ ok: false, reason: 'closed' });

		// A round past its closing date is closed too, without anyone closing it.
		const late = await testAssessment(ctx.db, { closesDate: '2027-03-02' });
		const later = new Date('2027-03-03T00:00:00.000Z');
		expect(
			await startResponse(
				ctx.db,
				{ via: 'share', shareCode: late.assessment.share_code, actor: member },
				'carer',
				later
			)
		).toEqual({ ok: false, reason: 'closed' });
	});
});
