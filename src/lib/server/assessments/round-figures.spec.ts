import { expect, it } from 'vitest';
import { describeEachDatabase } from '../testing/databases';
import { closeRound } from './assessments.service';
import { AFTER, answerValues, NOW, submitAsVisitor, testAssessment } from './assessments.testing';
import { roundResults } from './results.service';
import { clearRoundFigures } from './round-figures';

describeEachDatabase('the figures of closed rounds, kept in memory', (ctx) => {
	it('are read once, and read again when someone’s answers are deleted', async () => {
		clearRoundFigures();
		const { assessment, roundId, owner } = await testAssessment(ctx.db);
		const ids = [];
		for (const rating of ['4', '4', '0', '0'])
			ids.push(
				await submitAsVisitor(ctx.db, assessment, 'carer', await answerValues(ctx.db, () => rating))
			);
		await closeRound(ctx.db, owner, roundId, NOW);
		const everyone = async () =>
			(await roundResults(ctx.db, owner, roundId, AFTER))!.results.everyone;
		expect(await everyone()).toMatchObject({ respondents: 4, overall: 50 });

		// A change the check cannot see (no app path does this): the kept figures are used.
		await ctx.db
			.updateTable('assessment_answer')
			.set({ rating: 0 })
			.where('response_id', '=', ids[0]!)
			.execute();
		expect((await everyone()).overall).toBe(50);

		// Someone deletes their answers: the number per perspective changes, so they are read again.
		await ctx.db.deleteFrom('assessment_response').where('id', '=', ids[1]!).execute();
		expect(await everyone()).toMatchObject({ respondents: 3, overall: 0 });
	});

	it('are not kept while the round is open', async () => {
		clearRoundFigures();
		const { assessment, roundId, owner } = await testAssessment(ctx.db);
		for (let i = 0; i < 3; i++)
			await submitAsVisitor(ctx.db, assessment, 'carer', await answerValues(ctx.db, () => '4'));
		expect((await roundResults(ctx.db, owner, roundId, NOW))!.results.heldBack).not.toBeNull();
		await closeRound(ctx.db, owner, roundId, NOW);
		expect((await roundResults(ctx.db, owner, roundId, AFTER))!.results.everyone).toMatchObject({
			shown: true,
			overall: 100
		});
	});
});
