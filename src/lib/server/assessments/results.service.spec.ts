import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '../auth/auth.permissions';
import type { SessionUser } from '../auth/auth.types';
import type { DB } from '../db/schema';
import type { FormValues } from '../forms';
import { describeEachDatabase } from '../testing/databases';
import { inviteRespondents } from './assessments.service';
import type { Assessment } from './assessments.tables';
import { NOW, TEST_SITE, submitAsVisitor, testAssessment, testMember } from './assessments.testing';
import { currentFramework, type Framework } from './framework.service';
import { saveAnswers, startResponse } from './responses.service';
import { csvCell } from '../csv';
import { ownerComments, resultsCsv, roundInput, roundResults } from './results.service';
import {
	PERSPECTIVES,
	scoreFromAnswers,
	scoreRound,
	STAGES,
	type Answer,
	type Perspective,
	type RawResponse,
	type RoundInput,
	type Stage
} from './scoring';

/** Rounds every number, so SQL's and JavaScript's floating point compare equal. */
function rounded<T>(value: T): T {
	return JSON.parse(
		JSON.stringify(value, (_, v: unknown) =>
			typeof v === 'number' ? Math.round(v * 1e6) / 1e6 : v
		)
	) as T;
}

/** One person's answers as a form: ratings[d][s] for statement s of dimension d. */
function formOf(
	framework: Framework,
	ratings: Array<Array<Answer | undefined>>,
	stage: Stage | null
): FormValues {
	const values: FormValues = { continuum: stage ?? '' };
	framework.dimensions.forEach((d, i) =>
		d.statements.forEach((s, j) => {
			const r = ratings[i]?.[j];
			values[`s-${s.id}`] = r === undefined ? '' : String(r);
		})
	);
	return values;
}

function rawOf(
	framework: Framework,
	id: string,
	perspective: Perspective,
	ratings: Array<Array<Answer | undefined>>,
	stage: Stage | null,
	submitted: boolean
): RawResponse {
	return {
		respondentId: id,
		perspective,
		submitted,
		stage,
		answers: framework.dimensions.flatMap((d, i) =>
			d.statements.map((_, j) => ({ dimensionId: d.id, rating: ratings[i]?.[j] }))
		)
	};
}

/** A response through the shareable link, as a member, submitted or not. */
async function answerAs(
	db: Kysely<DB>,
	assessment: Assessment,
	member: SessionUser,
	perspective: Perspective,
	values: FormValues,
	submit = true
): Promise<string> {
	const started = await startResponse(
		db,
		{ via: 'share', shareCode: assessment.share_code, actor: member },
		perspective,
		NOW
	);
	if (!started.ok) throw new Error('not started');
	const saved = await saveAnswers(
		db,
		{ responseId: started.responseId, actor: member },
		values,
		{ submit },
		NOW
	);
	if (!saved.ok) throw new Error(`not saved: ${JSON.stringify(saved)}`);
	return started.responseId;
}

describe('results as CSV', () => {
	it('never lets a cell start a spreadsheet formula, and quotes what needs quoting', () => {
		expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
		expect(csvCell('+1')).toBe("'+1");
		expect(csvCell('-2')).toBe("'-2");
		expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
		expect(csvCell('Plain, with a comma')).toBe('"Plain, with a comma"');
		expect(csvCell(42)).toBe('42');
		expect(csvCell(null)).toBe('');
	});

	it('writes everyone and each perspective, leaving hidden figures empty', () => {
		const input: RoundInput = {
			dimensions: [
				{ id: 'd1', title: '=cmd|calc' },
				{ id: 'd2', title: 'Shared values' }
			],
			perspectives: [
				{ perspective: 'carer', respondents: 3 },
				{ perspective: 'manager', respondents: 1 }
			],
			dimensionMeans: [
				{ perspective: 'carer', dimensionId: 'd1', meanScore: 62.5, scored: 3 },
				{ perspective: 'carer', dimensionId: 'd2', meanScore: 50, scored: 3 },
				{ perspective: 'manager', dimensionId: 'd1', meanScore: 100, scored: 1 }
			],
			continuum: [
				{ perspective: 'carer', stage: 'engaging', count: 3 },
				{ perspective: 'manager', stage: null, count: 1 }
			],
			threshold: 3
		};
		const csv = resultsCsv({
			assessment: { id: 'a', title: 'A' },
			round: { id: 'r', number: 1, closesAt: '2030-01-01T00:00:00.000Z', closedAt: null },
			results: scoreRound(input)
		});
		const lines = csv.trimEnd().split('\r\n');
		expect(lines[0]).toBe(
			"Group,Respondents,'=cmd|calc,Shared values,Overall,Informing,Consulting,Engaging,Co-designing,Co-producing,Not answered"
		);
		expect(lines[1]).toBe('Everyone,4,72,50,61,0,0,3,0,0,1');
		expect(lines).toContain('I care for someone who uses it,3,63,50,56,0,0,3,0,0,0');
		expect(lines).toContain('I manage a service or team,,,,,,,,,,');
		expect(lines).toHaveLength(2 + PERSPECTIVES.length);
	});
});

describeEachDatabase('assessment results', (ctx) => {
	it('groups a small hand-made round in SQL exactly as worked out by hand and by scoreRound', async () => {
		const { assessment, roundId, owner } = await testAssessment(ctx.db, { threshold: '3' });
		const framework = await currentFramework(ctx.db);
		const [d0, d1] = framework.dimensions;
		const people: Array<{
			perspective: Perspective;
			ratings: Array<Array<Answer | undefined>>;
			stage: Stage | null;
			submitted: boolean;
		}> = [
			{
				perspective: 'carer',
				ratings: [[4, 2, 'dont-know'], [1]],
				stage: 'consulting',
				submitted: true
			},
			{ perspective: 'carer', ratings: [[0, 0, 0]], stage: null, submitted: true },
			{ perspective: 'carer', ratings: [[4], [3, 3]], stage: 'consulting', submitted: true },
			{ perspective: 'frontline', ratings: [[2]], stage: null, submitted: true },
			{
				perspective: 'carer',
				ratings: [
					[4, 4, 4],
					[4, 4, 4]
				],
				stage: 'co-producing',
				submitted: false
			}
		];
		const raw: RawResponse[] = [];
		for (const p of people) {
			const member = await testMember(ctx.db);
			const id = await answerAs(
				ctx.db,
				assessment,
				member,
				p.perspective,
				formOf(framework, p.ratings, p.stage),
				p.submitted
			);
			raw.push(rawOf(framework, id, p.perspective, p.ratings, p.stage, p.submitted));
		}

		const input = await roundInput(ctx.db, { id: roundId }, assessment);
		expect(rounded(input.perspectives)).toEqual([
			{ perspective: 'carer', respondents: 3 },
			{ perspective: 'frontline', respondents: 1 }
		]);
		expect(rounded(input.dimensionMeans)).toEqual(
			rounded([
				{ perspective: 'carer', dimensionId: d0!.id, meanScore: (75 + 0 + 100) / 3, scored: 3 },
				{ perspective: 'carer', dimensionId: d1!.id, meanScore: (25 + 75) / 2, scored: 2 },
				{ perspective: 'frontline', dimensionId: d0!.id, meanScore: 50, scored: 1 }
			])
		);
		expect(input.continuum).toEqual([
			{ perspective: 'carer', stage: 'consulting', count: 2 },
			{ perspective: 'carer', stage: null, count: 1 },
			{ perspective: 'frontline', stage: null, count: 1 }
		]);
		const reference = scoreFromAnswers({
			dimensions: input.dimensions,
			responses: raw,
			threshold: 3
		});
		expect(rounded(input)).toEqual(rounded(reference));

		const view = await roundResults(ctx.db, owner, roundId);
		expect(rounded(view?.results)).toEqual(rounded(scoreRound(reference)));
		expect(view?.results.everyone.respondents).toBe(4);
		expect(view?.results.everyone.dimensions[0]?.score).toBeCloseTo((75 + 0 + 100 + 50) / 4, 9);
	});

	it('hides a perspective with fewer answers than the threshold', async () => {
		const { assessment, roundId, owner } = await testAssessment(ctx.db, { threshold: '4' });
		const framework = await currentFramework(ctx.db);
		const all = (r: Answer) => framework.dimensions.map((d) => d.statements.map(() => r));
		for (let i = 0; i < 4; i++)
			await submitAsVisitor(
				ctx.db,
				assessment,
				'uses-services',
				formOf(framework, all(3), 'engaging')
			);
		for (let i = 0; i < 3; i++)
			await submitAsVisitor(ctx.db, assessment, 'manager', formOf(framework, all(1), 'informing'));

		const view = await roundResults(ctx.db, owner, roundId);
		const results = view!.results;
		const usesServices = results.byPerspective.find((p) => p.perspective === 'uses-services')!;
		const managers = results.byPerspective.find((p) => p.perspective === 'manager')!;
		expect(usesServices).toMatchObject({ shown: true, respondents: 4, overall: 75 });
		expect(managers).toMatchObject({ shown: false, respondents: null, overall: null, band: null });
		expect(managers.dimensions.every((d) => d.score === null)).toBe(true);
		expect(managers.reason).toContain('4');
		expect(
			results.continuum.byPerspective.find((p) => p.perspective === 'manager')?.counts
		).toBeNull();
		expect(results.sides.professional.shown).toBe(false);
		expect(results.everyone).toMatchObject({ shown: true, respondents: 7 });
	});

	it('gives owners aggregates and comments only: no response, person or invitation ids', async () => {
		const { assessment, roundId, owner } = await testAssessment(ctx.db, { threshold: '3' });
		const framework = await currentFramework(ctx.db);
		const d0 = framework.dimensions[0]!;
		await inviteRespondents(
			ctx.db,
			TEST_SITE,
			owner,
			roundId,
			{ emails: 'invitee@example.org' },
			NOW
		);
		const mail = await ctx.db
			.selectFrom('mail_outbox')
			.select('text_body')
			.where('to_address', '=', 'invitee@example.org')
			.executeTakeFirstOrThrow();
		const token = /\/invitation\/([\w-]+)/.exec(mail.text_body)![1]!;
		const invited = await startResponse(
			ctx.db,
			{ via: 'invitation', token, actor: null },
			'carer',
			NOW
		);
		if (!invited.ok || !invited.resumeCode) throw new Error('not started');
		await saveAnswers(
			ctx.db,
			{ resumeCode: invited.resumeCode },
			{ [`s-${d0.statements[0]!.id}`]: '2', [`comment-${d0.id}`]: 'Zebra crossings matter.' },
			{ submit: true },
			NOW
		);

		const members: SessionUser[] = [];
		const ids: string[] = [invited.responseId];
		for (const [i, comment] of ['Asked too late.', 'Good meetings.'].entries()) {
			const member = await testMember(ctx.db);
			members.push(member);
			ids.push(
				await answerAs(ctx.db, assessment, member, i ? 'frontline' : 'carer', {
					[`s-${d0.statements[0]!.id}`]: '3',
					[`comment-${d0.id}`]: comment
				})
			);
		}
		const invitation = await ctx.db
			.selectFrom('assessment_invitation')
			.select('id')
			.where('round_id', '=', roundId)
			.executeTakeFirstOrThrow();

		const results = await roundResults(ctx.db, owner, roundId);
		const comments = await ownerComments(ctx.db, owner, roundId);
		expect(comments).toEqual({
			shown: true,
			reason: null,
			dimensions: [
				{
					key: d0.key,
					title: d0.title,
					comments: ['Asked too late.', 'Good meetings.', 'Zebra crossings matter.']
				}
			]
		});
		const seen = JSON.stringify([results, comments]);
		for (const secret of [
			...ids,
			...members.map((m) => m.id),
			...members.map((m) => m.email),
			invitation.id,
			'invitee@example.org'
		]) {
			expect(seen).not.toContain(secret);
		}
		// Nothing per person: everyone's figures, and no perspective with fewer than 3.
		expect(results?.results.everyone.respondents).toBe(3);
		expect(results?.results.byPerspective.every((p) => !p.shown)).toBe(true);

		const stranger = await testMember(ctx.db);
		await expect(ownerComments(ctx.db, stranger, roundId)).rejects.toBeInstanceOf(ForbiddenError);
		await expect(ownerComments(ctx.db, members[0]!, roundId)).rejects.toBeInstanceOf(
			ForbiddenError
		);
	});

	it('holds back comments until enough people have answered', async () => {
		const { assessment, roundId, owner } = await testAssessment(ctx.db, { threshold: '3' });
		const d0 = (await currentFramework(ctx.db)).dimensions[0]!;
		await answerAs(ctx.db, assessment, await testMember(ctx.db), 'carer', {
			[`comment-${d0.id}`]: 'Only me so far.'
		});
		expect(await ownerComments(ctx.db, owner, roundId)).toMatchObject({
			shown: false,
			dimensions: []
		});
	});

	it('shows private results to owners only, and no one else', async () => {
		const { assessment, roundId, owner } = await testAssessment(ctx.db, {
			resultsVisibility: 'owners'
		});
		const respondent = await testMember(ctx.db);
		await answerAs(ctx.db, assessment, respondent, 'carer', {});
		const stranger = await testMember(ctx.db);
		const curator = await testMember(ctx.db, 'curator');
		for (const actor of [stranger, respondent, curator, null]) {
			await expect(roundResults(ctx.db, actor, roundId)).rejects.toBeInstanceOf(ForbiddenError);
		}
		expect(await roundResults(ctx.db, owner, roundId)).toBeDefined();
		expect(
			await roundResults(ctx.db, await testMember(ctx.db, 'administrator'), roundId)
		).toBeDefined();
	});

	it('shows results to people who answered when the owners chose "respondents"', async () => {
		const { assessment, roundId } = await testAssessment(ctx.db, {
			resultsVisibility: 'respondents'
		});
		const respondent = await testMember(ctx.db);
		const unfinished = await testMember(ctx.db);
		await answerAs(ctx.db, assessment, respondent, 'carer', {});
		await answerAs(ctx.db, assessment, unfinished, 'carer', {}, false);
		expect(await roundResults(ctx.db, respondent, roundId)).toMatchObject({
			round: { id: roundId }
		});
		await expect(roundResults(ctx.db, unfinished, roundId)).rejects.toBeInstanceOf(ForbiddenError);
		await expect(roundResults(ctx.db, await testMember(ctx.db), roundId)).rejects.toBeInstanceOf(
			ForbiddenError
		);
		await expect(roundResults(ctx.db, null, roundId)).rejects.toBeInstanceOf(ForbiddenError);
	});

	it('shows public results to anyone, visitors included', async () => {
		const { roundId } = await testAssessment(ctx.db, { resultsVisibility: 'public' });
		expect(await roundResults(ctx.db, null, roundId)).toMatchObject({
			round: { id: roundId, number: 1 }
		});
		expect(await roundResults(ctx.db, await testMember(ctx.db), roundId)).toBeDefined();
		expect(await roundResults(ctx.db, null, 'no-such-round')).toBeUndefined();
	});

	it('round-trips 100 responses: SQL groups them as the reference does', async () => {
		const { assessment, roundId, owner } = await testAssessment(ctx.db, { threshold: '5' });
		const framework = await currentFramework(ctx.db);
		let seed = 7;
		const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
		const raw: RawResponse[] = [];
		for (let n = 0; n < 100; n++) {
			const perspective = PERSPECTIVES[next() % PERSPECTIVES.length]!;
			const stage = next() % 6 === 5 ? null : STAGES[next() % STAGES.length]!;
			const ratings = framework.dimensions.map((d) =>
				d.statements.map((): Answer | undefined => {
					const pick = next() % 7;
					return pick === 5 ? 'dont-know' : pick === 6 ? undefined : (pick as Answer);
				})
			);
			const submitted = n % 10 !== 9;
			const started = await startResponse(
				ctx.db,
				{ via: 'share', shareCode: assessment.share_code, actor: null },
				perspective,
				NOW
			);
			if (!started.ok || !started.resumeCode) throw new Error('not started');
			const saved = await saveAnswers(
				ctx.db,
				{ resumeCode: started.resumeCode },
				formOf(framework, ratings, stage),
				{ submit: submitted },
				NOW
			);
			expect(saved.ok).toBe(true);
			raw.push(rawOf(framework, started.responseId, perspective, ratings, stage, submitted));
		}
		const input = await roundInput(ctx.db, { id: roundId }, assessment);
		const reference = scoreFromAnswers({
			dimensions: input.dimensions,
			responses: raw,
			threshold: 5
		});
		expect(rounded(input)).toEqual(rounded(reference));
		const view = await roundResults(ctx.db, owner, roundId);
		expect(view?.results.everyone.respondents).toBe(90);
		expect(rounded(view?.results)).toEqual(rounded(scoreRound(reference)));
	}, 60_000);
});
