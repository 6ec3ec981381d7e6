import { expect, it } from 'vitest';
import { ForbiddenError } from '../auth/auth.permissions';
import { describeEachDatabase } from '../testing/databases';
import { testAssessment, testMember } from './assessments.testing';
import { currentFramework, editFramework, frameworkVersion } from './framework.service';

describeEachDatabase('the co-production framework', (ctx) => {
	it('gives the current version with its dimensions and statements in order', async () => {
		const framework = await currentFramework(ctx.db);
		expect(framework.dimensions).toHaveLength(9);
		expect(framework.dimensions.map((d) => d.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
		for (const d of framework.dimensions) {
			expect(d.statements.length).toBeGreaterThanOrEqual(3);
			expect(d.statements.map((s) => s.position)).toEqual(d.statements.map((_, i) => i + 1));
			expect(d.statements.every((s) => s.dimension_id === d.id)).toBe(true);
		}
	});

	it('refuses framework edits from anyone but curators and administrators', async () => {
		const member = await testMember(ctx.db);
		await expect(editFramework(ctx.db, member, { note: 'x' })).rejects.toBeInstanceOf(
			ForbiddenError
		);
		await expect(editFramework(ctx.db, null, { note: 'x' })).rejects.toBeInstanceOf(ForbiddenError);
	});

	it('makes a new version on each edit, keeping keys, while assessments keep their version', async () => {
		const before = await currentFramework(ctx.db);
		const { assessment } = await testAssessment(ctx.db);
		expect(assessment.framework_version_id).toBe(before.version.id);
		const curator = await testMember(ctx.db, 'curator');
		const first = before.dimensions[0]!;
		const statement = first.statements[1]!;
		const result = await editFramework(ctx.db, curator, {
			basedOn: before.version.id,
			note: 'Plainer words for involvement.',
			[`title-${first.key}`]: 'People who use the service shape it',
			[`guidance-${first.key}`]: 'Ask people what they want to change.',
			[`statement-${statement.id}`]: 'People who use the service do the work with us.'
		});
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		const after = result.framework;
		expect(after.version.number).toBe(before.version.number + 1);
		expect(after.version.created_by).toBe(curator.id);
		expect(after.dimensions.map((d) => d.key)).toEqual(before.dimensions.map((d) => d.key));
		expect(after.dimensions[0]!.title).toBe('People who use the service shape it');
		expect(after.dimensions[0]!.description).toBe(first.description);
		expect(after.dimensions[0]!.guidance).toBe('Ask people what they want to change.');
		expect(after.dimensions[0]!.statements[1]!.text).toBe(
			'People who use the service do the work with us.'
		);
		expect(after.dimensions[0]!.statements[0]!.text).toBe(first.statements[0]!.text);
		expect(after.dimensions[0]!.id).not.toBe(first.id);
		expect((await currentFramework(ctx.db)).version.id).toBe(after.version.id);

		const kept = await frameworkVersion(ctx.db, assessment.framework_version_id);
		expect(kept?.dimensions[0]!.title).toBe(first.title);
		expect(kept?.dimensions[0]!.statements[1]!.text).toBe(statement.text);
	});

	it('refuses an edit of a version that is no longer current, and empty texts', async () => {
		const curator = await testMember(ctx.db, 'curator');
		const current = await currentFramework(ctx.db);
		const key = current.dimensions[0]!.key;
		const stale = await editFramework(ctx.db, curator, {
			basedOn: 'an-older-version',
			note: 'Too late.'
		});
		expect(stale).toEqual({ ok: false, reason: 'stale' });
		const empty = await editFramework(ctx.db, curator, { note: 'Oops', [`title-${key}`]: ' ' });
		expect(empty).toMatchObject({
			ok: false,
			reason: 'invalid',
			errors: { [`title-${key}`]: expect.any(String) }
		});
		const noNote = await editFramework(ctx.db, curator, {});
		expect(noNote).toMatchObject({
			ok: false,
			reason: 'invalid',
			errors: { note: expect.any(String) }
		});
		expect((await currentFramework(ctx.db)).version.id).toBe(current.version.id);
	});
});
