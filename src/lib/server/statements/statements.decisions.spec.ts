import { expect, it } from 'vitest';
import {
	closeDecision,
	openDecision,
	respondToDecision,
	startNextRound,
	writeOutcome
} from '../decisions/decisions.service';
import { findDecision } from '../decisions/decisions.repository';
import { ForbiddenError } from '../refusals';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import { decideAmendments, putAmendmentsToDecision } from './statements.decisions';
import {
	listVersions,
	proposeAmendment,
	startStatement,
	viewAmendment,
	viewStatement
} from './statements.service';
import { amendmentValues, startValues } from './statements.testing';

const T0 = '2026-12-03T10:00:00.000Z';
const T1 = '2026-12-03T11:00:00.000Z';
const T2 = '2026-12-03T12:00:00.000Z';
const IN_A_WEEK = '2026-12-10T10:00:00.000Z';

describeEachDatabase('amendments put to a decision', (ctx) => {
	async function setUp() {
		await ctx.db.deleteFrom('statement').execute();
		const cora = await createTestUser(ctx.db, { name: 'Cora Curator', role: 'curator' });
		const amy = await createTestUser(ctx.db, { name: 'Amy Author' });
		const sam = await createTestUser(ctx.db, { name: 'Sam Supporter' });
		expect((await startStatement(ctx.db, cora, startValues())).ok).toBe(true);
		const view = (await viewStatement(ctx.db, amy))!;
		const clause = view.sections[0]!.clauses[0]!;
		const proposed = await proposeAmendment(ctx.db, amy, amendmentValues({ clause: clause.id }));
		if (!proposed.ok) throw new Error(JSON.stringify(proposed));
		return { cora, amy, sam, statementId: view.statement.id, amendmentId: proposed.id };
	}

	it('puts an amendment to a draft consensus decision of all members, once, by a curator only', async () => {
		const s = await setUp();
		const chosen = { statementId: s.statementId, amendmentIds: [s.amendmentId], note: '' };
		await expect(putAmendmentsToDecision(ctx.db, s.amy, chosen, T0)).rejects.toBeInstanceOf(
			ForbiddenError
		);
		const put = await putAmendmentsToDecision(ctx.db, s.cora, chosen, T0);
		if (!put.ok) throw new Error(JSON.stringify(put));
		const decision = (await findDecision(ctx.db, { slug: put.slug }))!;
		expect(decision).toMatchObject({
			process: 'consensus',
			audience: 'members',
			status: 'draft',
			origin_kind: 'amendment',
			origin_id: s.amendmentId,
			origin_path: `/statement/amendments/${s.amendmentId}`
		});
		expect(decision.proposal).toContain('Why, in the words of Amy Author');
		const amendment = (await viewAmendment(ctx.db, s.amy, s.amendmentId))!.amendment;
		expect(amendment.decision_id).toBe(decision.id);
		// A second press: refused, and no second decision.
		const again = await putAmendmentsToDecision(ctx.db, s.cora, chosen, T0);
		expect(!again.ok && again.reason === 'invalid' && again.errors.amendmentIds).toMatch(
			/already being decided/
		);
		const decisions = await ctx.db
			.selectFrom('decision')
			.select('id')
			.where('origin_id', '=', s.amendmentId)
			.execute();
		expect(decisions).toHaveLength(1);
	});

	it('waits for the decision, then follows its latest round: agreed after a block is addressed', async () => {
		const s = await setUp();
		const chosen = { statementId: s.statementId, amendmentIds: [s.amendmentId], note: '' };
		const put = await putAmendmentsToDecision(ctx.db, s.cora, chosen, T0);
		if (!put.ok) throw new Error(JSON.stringify(put));
		const first = (await findDecision(ctx.db, { slug: put.slug }))!;
		expect(await openDecision(ctx.db, s.cora, first.id, T0)).toEqual({ ok: true });

		// While it is open, nothing can be recorded.
		const early = await decideAmendments(ctx.db, s.cora, { ...chosen, outcome: 'agreed' }, T1);
		expect(!early.ok && early.reason === 'invalid' && early.errors.amendmentIds).toMatch(
			/is being decided in/
		);

		// Sam blocks; it closes and does not pass.
		await respondToDecision(
			ctx.db,
			s.sam,
			first.id,
			{ position: 'block', reason: 'It leaves out carers.' },
			T1
		);
		await closeDecision(ctx.db, s.cora, first.id, T1);
		await writeOutcome(
			ctx.db,
			s.cora,
			first.id,
			{ outcome: 'Not passed: the block stands.', result: 'not-passed' },
			T1
		);
		const contrary = await decideAmendments(ctx.db, s.cora, { ...chosen, outcome: 'agreed' }, T1);
		expect(!contrary.ok && contrary.reason === 'invalid' && contrary.errors.outcome).toMatch(
			/did not pass/
		);

		// A second round addresses the block and passes: now it is agreed, naming that round.
		const next = await startNextRound(
			ctx.db,
			s.cora,
			first.id,
			{ proposal: 'The same words; carers are named in clause 1.2.', closesAt: IN_A_WEEK },
			T1
		);
		if (!next.ok) throw new Error(JSON.stringify(next));
		await openDecision(ctx.db, s.cora, next.id, T1);
		await respondToDecision(ctx.db, s.sam, next.id, { position: 'agree' }, T2);
		await closeDecision(ctx.db, s.cora, next.id, T2);
		await writeOutcome(ctx.db, s.cora, next.id, { outcome: 'Passed.', result: 'passed' }, T2);
		const notAgreed = await decideAmendments(
			ctx.db,
			s.cora,
			{ ...chosen, outcome: 'not-agreed' },
			T2
		);
		expect(!notAgreed.ok && notAgreed.reason === 'invalid' && notAgreed.errors.outcome).toMatch(
			/passed, so its amendments are agreed/
		);
		await expect(
			decideAmendments(ctx.db, s.amy, { ...chosen, outcome: 'agreed' }, T2)
		).rejects.toBeInstanceOf(ForbiddenError);
		const agreed = await decideAmendments(ctx.db, s.cora, { ...chosen, outcome: 'agreed' }, T2);
		expect(agreed).toEqual({ ok: true, versionNumber: 2 });
		const versions = (await listVersions(ctx.db))!.versions;
		expect(versions.find((v) => v.number === 2)?.decision_id).toBe(next.id);
	});

	it('refuses to put an amendment to a decision once it is decided', async () => {
		const s = await setUp();
		const chosen = { statementId: s.statementId, amendmentIds: [s.amendmentId], note: '' };
		expect(
			(await decideAmendments(ctx.db, s.cora, { ...chosen, outcome: 'not-agreed' }, T0)).ok
		).toBe(true);
		const late = await putAmendmentsToDecision(ctx.db, s.cora, chosen, T1);
		expect(!late.ok && late.reason === 'invalid' && late.errors.amendmentIds).toMatch(
			/already been decided/
		);
	});
});
