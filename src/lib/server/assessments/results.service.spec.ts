import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '../refusals';
import type { SessionUser } from '../auth/auth.types';
import type { DB } from '../db/schema';
import type { FormValues } from '../forms';
import { describeEachDatabase } from '../testing/databases';
import { closeRound, inviteRespondents, openNewRound } from './assessments.service';
import type { Assessment } from './assessments.tables';
import {
	AFTER,
	NOW,
	TEST_SITE,
	submitAsVisitor,
	testAssessment,
	testMember
} from './assessments.testing';
import { currentFramework, type Framework } from './framework.service';
import { saveAnswers, startResponse } from './responses.service';
import { csvCell } from '../csv';
import {
	assessmentResults,
	OPEN_ROUND_REASON,
	ownerComments,
	resultsCsv,
	resultsCsvFilename,
	roundInput,
	roundResults,
	roundResultsByNumber
} from './results.service';
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

/** One statement rated: the least a response needs to be sent. */
async function oneRating(db: Kysely<DB>): Promise<FormValues> {
	const statement = (await currentFramework(db)).dimensions[0]!.statements[0]!;
	return { [`s-${statement.id}`]: '2' };
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
				{ perspective: 'manager', respondents: 1 },
				// With only the manager hidden, everyone minus carers would be the manager's answers.
				{ perspective: 'commissioner', respondents: 2 }
			],
			dimensionMeans: [
				{ perspective: 'carer', dimensionId: 'd1', meanScore: 62.5, scored: 3 },
				{ perspective: 'carer', dimensionId: 'd2', meanScore: 50, scored: 3 },
				{ perspective: 'manager', dimensionId: 'd1', meanScore: 100, scored: 1 },
				{ perspective: 'commissioner', dimensionId: 'd1', meanScore: 25, scored: 2 }
			],
			continuum: [
				{ perspective: 'carer', stage: 'engaging', count: 3 },
				{ perspective: 'manager', stage: null, count: 1 },
				{ perspective: 'commissioner', stage: 'consulting', count: 2 }
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
		// d1: (3 × 62.5 + 100 + 2 × 25) / 6 = 56.25; d2: 50; overall 53.125.
		expect(lines[1]).toBe('Everyone,6,56,50,53,0,2,3,0,0,1');
		expect(lines).toContain('I care for someone who uses it,3,63,50,56,0,0,3,0,0,0');
		expect(lines).toContain('I manage a service or team,,,,,,,,,,');
		expect(lines).toHaveLength(2 + PERSPECTIVES.length);
	});

	it('names the file after the title, in plain letters', () => {
		expect(resultsCsvFilename('Riverside Day Centre – Café!', 2)).toBe(
			'riverside-day-centre-cafe-results-round-2.csv'
		);
		expect(resultsCsvFilename('„…“', 1)).toBe('assessment-results-round-1.csv');
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

		const view = await roundResults(ctx.db, owner, roundId, AFTER);
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
		// Without a fourth hidden person, everyone minus the people who use services would give
		// the three managers away.
		await submitAsVisitor(ctx.db, assessment, 'partner', formOf(framework, all(2), 'informing'));

		const view = await roundResults(ctx.db, owner, roundId, AFTER);
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
		expect(results.everyone).toMatchObject({ shown: true, respondents: 8 });
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

		const results = await roundResults(ctx.db, owner, roundId, AFTER);
		const comments = await ownerComments(ctx.db, owner, roundId, AFTER);
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
		await expect(ownerComments(ctx.db, stranger, roundId, AFTER)).rejects.toBeInstanceOf(
			ForbiddenError
		);
		await expect(ownerComments(ctx.db, members[0]!, roundId, AFTER)).rejects.toBeInstanceOf(
			ForbiddenError
		);
	});

	it('holds back comments until enough people have answered', async () => {
		const { assessment, roundId, owner } = await testAssessment(ctx.db, { threshold: '3' });
		const d0 = (await currentFramework(ctx.db)).dimensions[0]!;
		await answerAs(ctx.db, assessment, await testMember(ctx.db), 'carer', {
			[`s-${d0.statements[0]!.id}`]: '2',
			[`comment-${d0.id}`]: 'Only me so far.'
		});
		expect(await ownerComments(ctx.db, owner, roundId, AFTER)).toMatchObject({
			shown: false,
			dimensions: []
		});
	});

	it('shows private results to owners only, and no one else', async () => {
		const { assessment, roundId, owner } = await testAssessment(ctx.db, {
			resultsVisibility: 'owners'
		});
		const respondent = await testMember(ctx.db);
		await answerAs(ctx.db, assessment, respondent, 'carer', await oneRating(ctx.db));
		const stranger = await testMember(ctx.db);
		const curator = await testMember(ctx.db, 'curator');
		for (const actor of [stranger, respondent, curator, null]) {
			await expect(roundResults(ctx.db, actor, roundId, AFTER)).rejects.toBeInstanceOf(
				ForbiddenError
			);
		}
		expect(await roundResults(ctx.db, owner, roundId, AFTER)).toBeDefined();
		expect(
			await roundResults(ctx.db, await testMember(ctx.db, 'administrator'), roundId, AFTER)
		).toBeDefined();
	});

	it('shows results to people who answered when the owners chose "respondents"', async () => {
		const { assessment, roundId } = await testAssessment(ctx.db, {
			resultsVisibility: 'respondents'
		});
		const respondent = await testMember(ctx.db);
		const unfinished = await testMember(ctx.db);
		await answerAs(ctx.db, assessment, respondent, 'carer', await oneRating(ctx.db));
		await answerAs(ctx.db, assessment, unfinished, 'carer', await oneRating(ctx.db), false);
		expect(await roundResults(ctx.db, respondent, roundId, AFTER)).toMatchObject({
			round: { id: roundId }
		});
		await expect(roundResults(ctx.db, unfinished, roundId, AFTER)).rejects.toBeInstanceOf(
			ForbiddenError
		);
		await expect(
			roundResults(ctx.db, await testMember(ctx.db), roundId, AFTER)
		).rejects.toBeInstanceOf(ForbiddenError);
		await expect(roundResults(ctx.db, null, roundId, AFTER)).rejects.toBeInstanceOf(ForbiddenError);
	});

	it('shows public results to anyone, visitors included', async () => {
		const { roundId } = await testAssessment(ctx.db, { resultsVisibility: 'public' });
		expect(await roundResults(ctx.db, null, roundId, AFTER)).toMatchObject({
			round: { id: roundId, number: 1 }
		});
		expect(await roundResults(ctx.db, await testMember(ctx.db), roundId, AFTER)).toBeDefined();
		expect(await roundResults(ctx.db, null, 'no-such-round', AFTER)).toBeUndefined();
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
		const view = await roundResults(ctx.db, owner, roundId, AFTER);
		expect(view?.results.everyone.respondents).toBe(90);
		expect(rounded(view?.results)).toEqual(rounded(scoreRound(reference)));
	}, 60_000);

	/** Round 1 open with `rounds[0]`'s people, then each later round opened after the last closed. */
	async function assessmentWithRounds(
		overrides: FormValues,
		rounds: Array<Array<[Perspective, Answer]>>
	) {
		const made = await testAssessment(ctx.db, overrides);
		const framework = await currentFramework(ctx.db);
		const roundIds = [made.roundId];
		for (const [i, people] of rounds.entries()) {
			if (i > 0) {
				await closeRound(ctx.db, made.owner, roundIds[i - 1]!, NOW);
				const opened = await openNewRound(
					ctx.db,
					made.owner,
					made.assessment.id,
					{ closesDate: '2030-12-31' },
					NOW
				);
				if (!opened.ok) throw new Error(`round not opened: ${JSON.stringify(opened)}`);
				roundIds.push(opened.round.id);
			}
			for (const [perspective, rating] of people) {
				const all = framework.dimensions.map((d) => d.statements.map(() => rating));
				await submitAsVisitor(
					ctx.db,
					made.assessment,
					perspective,
					formOf(framework, all, 'consulting')
				);
			}
		}
		return { ...made, framework, roundIds };
	}

	const three = (perspective: Perspective, rating: Answer): Array<[Perspective, Answer]> => [
		[perspective, rating],
		[perspective, rating],
		[perspective, rating]
	];

	it('gives the page the latest round or the one asked for, each scored as roundResults scores it, with the trend', async () => {
		const { assessment, owner, framework, roundIds } = await assessmentWithRounds(
			{ threshold: '3' },
			[
				[...three('uses-services', 1), ...three('manager', 3)],
				[...three('uses-services', 2), ...three('manager', 3)]
			]
		);

		const latest = await assessmentResults(ctx.db, owner, assessment.id, undefined, AFTER);
		expect(latest).toMatchObject({
			assessment: { id: assessment.id, title: assessment.title },
			round: { id: roundIds[1], number: 2 },
			canManage: true,
			comments: { shown: true }
		});
		expect(latest?.rounds.map((r) => r.number)).toEqual([1, 2]);
		expect(rounded(latest?.results)).toEqual(
			rounded((await roundResults(ctx.db, owner, roundIds[1]!, AFTER))?.results)
		);
		expect(latest?.results.everyone.overall).toBeCloseTo(62.5, 9);

		const first = await assessmentResults(ctx.db, owner, assessment.id, 1, AFTER);
		expect(first?.round).toMatchObject({ id: roundIds[0], number: 1 });
		expect(rounded(first?.results)).toEqual(
			rounded((await roundResults(ctx.db, owner, roundIds[0]!, AFTER))?.results)
		);
		// Lived 25, professional 75: a highlighted gap of 50 points in every dimension.
		expect(first?.results.gaps[0]).toMatchObject({ highlighted: true });
		expect(first?.results.gaps[0]?.gap).toBeCloseTo(-50, 9);

		// The trend is the same whichever round is open on the page.
		expect(rounded(first?.trend)).toEqual(rounded(latest?.trend));
		expect(latest?.trend?.dimensions.map((d) => d.id)).toEqual(
			framework.dimensions.map((d) => d.id)
		);
		expect(latest?.trend?.rounds.map((r) => [r.number, r.respondents, r.shown, r.band])).toEqual([
			[1, 6, true, 'early'],
			[2, 6, true, 'developing']
		]);
		expect(latest?.trend?.rounds[0]?.overall).toBeCloseTo(50, 9);
		expect(latest?.trend?.rounds[1]?.dimensions[0]?.score).toBeCloseTo(62.5, 9);

		expect(await assessmentResults(ctx.db, owner, assessment.id, 3, AFTER)).toBeUndefined();
		expect(
			await assessmentResults(ctx.db, owner, 'no-such-assessment', undefined, AFTER)
		).toBeUndefined();

		const csv = await roundResultsByNumber(ctx.db, owner, assessment.id, 1, AFTER);
		expect(rounded(csv?.results)).toEqual(rounded(first?.results));
		expect(resultsCsv(csv!).split('\r\n')[1]).toMatch(/^Everyone,6,50,/);
	});

	it('gives the weakest dimensions the guidance of the assessment’s framework version', async () => {
		const { assessment, owner, framework } = await assessmentWithRounds({ threshold: '3' }, [[]]);
		// Dimension i is rated i mod 5 by everyone, so the lowest come first in the framework.
		for (let n = 0; n < 3; n++) {
			const ratings = framework.dimensions.map((d, i) => d.statements.map(() => (i % 5) as Answer));
			await submitAsVisitor(ctx.db, assessment, 'carer', formOf(framework, ratings, null));
		}
		const view = await assessmentResults(ctx.db, owner, assessment.id, undefined, AFTER);
		const weakest = view!.weakest;
		expect(weakest.map((d) => d.id)).toEqual([
			framework.dimensions[0]!.id,
			framework.dimensions[5]!.id
		]);
		expect(weakest.map((d) => d.key)).toEqual([
			framework.dimensions[0]!.key,
			framework.dimensions[5]!.key
		]);
		for (const d of weakest) {
			expect(d.guidance).toBe(framework.dimensions.find((f) => f.id === d.id)!.guidance);
			expect(d.guidance.length).toBeGreaterThan(0);
		}
		expect(view?.trend).toBeNull();
	});

	it('shows a respondent only the rounds they answered, without comments, and refuses the rest', async () => {
		const { assessment, owner, framework } = await assessmentWithRounds(
			{ threshold: '3', resultsVisibility: 'respondents' },
			[three('carer', 2)]
		);
		const respondent = await testMember(ctx.db);
		await answerAs(
			ctx.db,
			assessment,
			respondent,
			'frontline',
			formOf(
				framework,
				framework.dimensions.map((d) => d.statements.map(() => 3)),
				null
			)
		);
		const round1 = (await assessmentResults(ctx.db, owner, assessment.id, undefined, AFTER))!.round
			.id;
		await closeRound(ctx.db, owner, round1, NOW);
		const opened = await openNewRound(
			ctx.db,
			owner,
			assessment.id,
			{ closesDate: '2030-12-31' },
			NOW
		);
		expect(opened.ok).toBe(true);

		const own = await assessmentResults(ctx.db, respondent, assessment.id, 1, AFTER);
		expect(own).toMatchObject({ canManage: false, comments: null, trend: null });
		expect(own?.rounds.map((r) => r.number)).toEqual([1]);
		expect(own?.results.everyone.respondents).toBe(4);

		// Without a round asked for, the respondent gets the latest round they may see: round 1.
		expect(
			(await assessmentResults(ctx.db, respondent, assessment.id, undefined, AFTER))?.round.number
		).toBe(1);
		for (const actor of [respondent, await testMember(ctx.db), null])
			await expect(
				roundResultsByNumber(ctx.db, actor, assessment.id, 2, AFTER)
			).rejects.toBeInstanceOf(ForbiddenError);
		for (const actor of [await testMember(ctx.db), null])
			await expect(
				assessmentResults(ctx.db, actor, assessment.id, undefined, AFTER)
			).rejects.toThrow('only for its owners and the people who answered it');
		await expect(
			assessmentResults(ctx.db, await testMember(ctx.db), assessment.id, 1, AFTER)
		).rejects.toBeInstanceOf(ForbiddenError);
		const admin = await assessmentResults(
			ctx.db,
			await testMember(ctx.db, 'administrator'),
			assessment.id,
			undefined,
			AFTER
		);
		// Administrators may manage it, but the comments were written for the owners alone.
		expect(admin).toMatchObject({ canManage: true, comments: null });
		expect(admin?.rounds).toHaveLength(2);
	});

	it('shows public results and their trend to visitors, never the comments', async () => {
		const { assessment } = await assessmentWithRounds(
			{ threshold: '3', resultsVisibility: 'public' },
			[three('carer', 2), three('carer', 4)]
		);
		const view = await assessmentResults(ctx.db, null, assessment.id, undefined, AFTER);
		expect(view).toMatchObject({ canManage: false, comments: null, round: { number: 2 } });
		expect(view?.trend?.rounds.map((r) => r.overall)).toEqual([50, 100]);
	});
});

describeEachDatabase('results of a round still open', (ctx) => {
	it('show only how many answered, so nobody can tell a new answer by the change', async () => {
		const { assessment, roundId, owner } = await testAssessment(ctx.db, {
			resultsVisibility: 'public'
		});
		const framework = await currentFramework(ctx.db);
		const all = (r: Answer) => framework.dimensions.map((d) => d.statements.map(() => r));
		for (const perspective of ['carer', 'carer', 'carer', 'frontline', 'frontline', 'frontline'])
			await submitAsVisitor(ctx.db, assessment, perspective, {
				...formOf(framework, all(2), 'engaging'),
				[`comment-${framework.dimensions[0]!.id}`]: `A comment from a ${perspective}`
			});

		const open = (await roundResults(ctx.db, owner, roundId, NOW))!.results;
		expect(open.everyone).toMatchObject({
			respondents: 6,
			shown: false,
			reason: OPEN_ROUND_REASON,
			overall: null
		});
		expect(open.everyone.dimensions.every((d) => d.score === null)).toBe(true);
		expect(open.byPerspective.every((p) => !p.shown && p.respondents === null)).toBe(true);
		expect(open.byPerspective[1]?.reason).toBe(OPEN_ROUND_REASON);
		expect(open.sides.lived.shown || open.sides.professional.shown).toBe(false);
		expect(open.gaps.every((g) => g.gap === null && g.reason === OPEN_ROUND_REASON)).toBe(true);
		expect(open.continuum.everyone).toBeNull();
		expect(open.strongest).toEqual([]);
		expect(await ownerComments(ctx.db, owner, roundId, NOW)).toMatchObject({
			shown: false,
			dimensions: []
		});
		const page = await assessmentResults(ctx.db, null, assessment.id, undefined, NOW);
		expect(page?.results.everyone.reason).toBe(OPEN_ROUND_REASON);
		const csv = resultsCsv((await roundResultsByNumber(ctx.db, owner, assessment.id, 1, NOW))!);
		// 9 areas, the overall score and 6 continuum columns, all empty.
		expect(csv.split('\r\n')[1]).toBe('Everyone,6' + ','.repeat(9 + 1 + 6));

		// Closed early by an owner: everything shows at once.
		await closeRound(ctx.db, owner, roundId, NOW);
		const closed = (await roundResults(ctx.db, owner, roundId, NOW))!.results;
		expect(closed.everyone).toMatchObject({ shown: true, respondents: 6, overall: 50 });
		expect(closed.byPerspective[1]).toMatchObject({ shown: true, respondents: 3 });
		expect((await ownerComments(ctx.db, owner, roundId, NOW))?.shown).toBe(true);
	});
});
