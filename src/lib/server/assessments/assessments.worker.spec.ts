import { expect, it } from 'vitest';
import { describeEachDatabase } from '../testing/databases';
import { closeRound, inviteRespondents } from './assessments.service';
import {
	answerValues,
	NOW,
	submitAsVisitor,
	TEST_SITE,
	testAssessment
} from './assessments.testing';
import { forgetClosedRounds, ROUND_RETENTION_DAYS } from './assessments.worker';
import { startResponse } from './responses.service';

const DAY_MS = 24 * 60 * 60 * 1000;

describeEachDatabase('forgetting what a closed round no longer needs', (ctx) => {
	it('forgets invited addresses, unsent answers and private codes 30 days after closing', async () => {
		const { assessment, roundId, owner } = await testAssessment(ctx.db);
		const other = await testAssessment(ctx.db);
		for (const a of [
			{ roundId, owner },
			{ roundId: other.roundId, owner: other.owner }
		])
			await inviteRespondents(
				ctx.db,
				TEST_SITE,
				a.owner,
				a.roundId,
				{ emails: 'a@example.test, b@example.test' },
				NOW
			);
		const sent = await submitAsVisitor(
			ctx.db,
			assessment,
			'carer',
			await answerValues(ctx.db, () => '2')
		);
		await startResponse(
			ctx.db,
			{ via: 'share', shareCode: assessment.share_code, actor: null },
			'frontline',
			NOW
		);
		await closeRound(ctx.db, owner, roundId, NOW);

		// A day short of the 30 days: nothing goes.
		const early = new Date(NOW.getTime() + (ROUND_RETENTION_DAYS - 1) * DAY_MS);
		expect(await forgetClosedRounds(ctx.db, early)).toEqual({
			invitations: 0,
			unfinished: 0,
			codes: 0,
			ownerInvitations: 0
		});

		const later = new Date(NOW.getTime() + (ROUND_RETENTION_DAYS + 1) * DAY_MS);
		expect(await forgetClosedRounds(ctx.db, later)).toEqual({
			invitations: 2,
			unfinished: 1,
			codes: 1,
			ownerInvitations: 0
		});
		const responses = await ctx.db
			.selectFrom('assessment_response')
			.select(['id', 'resume_hash'])
			.where('round_id', '=', roundId)
			.execute();
		// The sent answers stay in the results, no longer reachable by a code.
		expect(responses).toEqual([{ id: sent, resume_hash: null }]);
		// The round still open elsewhere keeps its invitations.
		const kept = await ctx.db
			.selectFrom('assessment_invitation')
			.select('round_id')
			.where('round_id', 'in', [roundId, other.roundId])
			.execute();
		expect(kept.map((k) => k.round_id)).toEqual([other.roundId, other.roundId]);
		// Running again finds nothing more.
		expect(await forgetClosedRounds(ctx.db, later)).toEqual({
			invitations: 0,
			unfinished: 0,
			codes: 0,
			ownerInvitations: 0
		});
	});
});
