import { expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { newId, nowIso } from '../ids';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import { deleteAccount, exportPersonData } from '../your-data/your-data.service';

const SITE = { siteName: 'CoLab Test', origin: 'http://colab.test' };

/** An assessment with one round, owned by `owners`, straight into the tables. */
async function assessmentOf(db: Kysely<DB>, owners: string[]) {
	const now = nowIso();
	const version = await db
		.selectFrom('framework_version')
		.select('id')
		.where('number', '=', 1)
		.executeTakeFirstOrThrow();
	const id = newId();
	await db
		.insertInto('assessment')
		.values({
			id,
			title: `Day centre ${id.slice(0, 6)}`,
			description: 'How co-produced is the day centre?',
			framework_version_id: version.id,
			organisation_id: null,
			created_by: owners[0] ?? null,
			share_code: newId(),
			created_at: now,
			updated_at: now
		})
		.execute();
	for (const user of owners) {
		await db
			.insertInto('assessment_owner')
			.values({ assessment_id: id, user_id: user, added_at: now })
			.execute();
	}
	const roundId = newId();
	await db
		.insertInto('assessment_round')
		.values({
			id: roundId,
			assessment_id: id,
			number: 1,
			closes_at: '2030-01-01T00:00:00.000Z',
			created_at: now
		})
		.execute();
	return { id, roundId, versionId: version.id };
}

/** A submitted response by `userId`: "often" to the first statement, "don't know" to the second. */
async function answerAs(db: Kysely<DB>, roundId: string, userId: string | null, submitted = true) {
	const now = nowIso();
	const statements = await db
		.selectFrom('framework_statement as s')
		.innerJoin('framework_dimension as d', 'd.id', 's.dimension_id')
		.innerJoin('framework_version as v', 'v.id', 'd.version_id')
		.select(['s.id', 's.dimension_id', 's.text'])
		.where('v.number', '=', 1)
		.orderBy('d.position')
		.orderBy('s.position')
		.limit(2)
		.execute();
	const id = newId();
	await db
		.insertInto('assessment_response')
		.values({
			id,
			round_id: roundId,
			perspective: 'carer',
			user_id: userId,
			invitation_id: null,
			resume_hash: null,
			continuum: 'consulting',
			submitted_at: submitted ? now : null,
			created_at: now,
			updated_at: now
		})
		.execute();
	await db
		.insertInto('assessment_answer')
		.values([
			{
				response_id: id,
				statement_id: statements[0]!.id,
				dimension_id: statements[0]!.dimension_id,
				rating: 3
			},
			{
				response_id: id,
				statement_id: statements[1]!.id,
				dimension_id: statements[1]!.dimension_id,
				rating: null
			}
		])
		.execute();
	return { id, statements };
}

describeEachDatabase('assessments and personal data', (ctx) => {
	it('starts every instance with version 1 of the framework: 9 dimensions, 3–4 statements each', async () => {
		const dimensions = await ctx.db
			.selectFrom('framework_dimension as d')
			.innerJoin('framework_version as v', 'v.id', 'd.version_id')
			.leftJoin('framework_statement as s', 's.dimension_id', 'd.id')
			.select(['d.key', 'd.kind', (eb) => eb.fn.count<number>('s.id').as('statements')])
			.where('v.number', '=', 1)
			.groupBy(['d.key', 'd.kind', 'd.position'])
			.orderBy('d.position')
			.execute();
		expect(dimensions.map((d) => d.key)).toEqual([
			'involvement',
			'right-people',
			'shared-decisions',
			'shared-values',
			'motivations',
			'assets',
			'valuing-contribution',
			'reciprocity',
			'networks-trust'
		]);
		expect(dimensions.filter((d) => d.kind === 'element')).toHaveLength(5);
		for (const d of dimensions) expect([3, 4]).toContain(Number(d.statements));
	});

	it('puts a person’s own answers in their download, in words, with “don’t know”', async () => {
		const owner = await createTestUser(ctx.db);
		const answering = await createTestUser(ctx.db);
		const { roundId } = await assessmentOf(ctx.db, [owner.id]);
		const { statements } = await answerAs(ctx.db, roundId, answering.id);
		const data = await exportPersonData(ctx.db, answering.id);
		expect(data?.assessmentAnswers).toEqual([
			expect.objectContaining({
				round: 1,
				perspective: 'carer',
				continuum: 'consulting',
				answers: [
					{ statement: statements[0]!.text, answer: 'often' },
					{ statement: statements[1]!.text, answer: 'don’t know' }
				],
				comments: []
			})
		]);
		const ownerData = await exportPersonData(ctx.db, owner.id);
		expect(ownerData?.assessmentAnswers).toEqual([]);
		expect((ownerData?.assessmentsYouOwn as unknown[]).length).toBe(1);
	});

	it('keeps submitted answers in the results, unlinked, when someone keeps their contributions', async () => {
		const owner = await createTestUser(ctx.db);
		const leaving = await createTestUser(ctx.db);
		const { roundId } = await assessmentOf(ctx.db, [owner.id]);
		const other = await assessmentOf(ctx.db, [owner.id]);
		const submitted = await answerAs(ctx.db, roundId, leaving.id);
		// One response per member per round: the unfinished one is in another assessment.
		const unfinished = await answerAs(ctx.db, other.roundId, leaving.id, false);
		await deleteAccount(ctx.db, leaving.id, { contributions: 'keep-as-former-member', site: SITE });
		const rows = await ctx.db
			.selectFrom('assessment_response')
			.select(['id', 'user_id'])
			.where('id', 'in', [submitted.id, unfinished.id])
			.execute();
		expect(rows).toEqual([{ id: submitted.id, user_id: null }]);
	});

	it('deletes answers, and assessments only they owned, when someone removes their contributions', async () => {
		const leaving = await createTestUser(ctx.db);
		const staying = await createTestUser(ctx.db);
		const theirs = await assessmentOf(ctx.db, [leaving.id]);
		const shared = await assessmentOf(ctx.db, [leaving.id, staying.id]);
		const answered = await answerAs(ctx.db, shared.roundId, leaving.id);
		const someoneElse = await answerAs(ctx.db, shared.roundId, null);
		await ctx.db
			.insertInto('self_check')
			.values({
				id: newId(),
				user_id: leaving.id,
				framework_version_id: shared.versionId,
				label: null,
				answers: '{}',
				created_at: nowIso()
			})
			.execute();
		await deleteAccount(ctx.db, leaving.id, { contributions: 'remove', site: SITE });

		const assessments = await ctx.db
			.selectFrom('assessment')
			.select(['id', 'created_by'])
			.where('id', 'in', [theirs.id, shared.id])
			.execute();
		expect(assessments).toEqual([{ id: shared.id, created_by: null }]);
		const owners = await ctx.db
			.selectFrom('assessment_owner')
			.select('user_id')
			.where('assessment_id', '=', shared.id)
			.execute();
		expect(owners).toEqual([{ user_id: staying.id }]);
		const responses = await ctx.db
			.selectFrom('assessment_response')
			.select('id')
			.where('id', 'in', [answered.id, someoneElse.id])
			.execute();
		expect(responses).toEqual([{ id: someoneElse.id }]);
		const checks = await ctx.db
			.selectFrom('self_check')
			.select('id')
			.where('user_id', '=', leaving.id)
			.execute();
		expect(checks).toEqual([]);
	});
});
