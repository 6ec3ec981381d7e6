import { expect, it } from 'vitest';
import { ForbiddenError } from '../refusals';
import { describeEachDatabase } from '../testing/databases';
import { readContentVersion } from '../cache/content-version';
import { testAssessment, testMember } from './assessments.testing';
import {
	currentFramework,
	editFramework,
	frameworkVersion,
	listFrameworkVersions
} from './framework.service';

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
		expect(stale).toMatchObject({
			ok: false,
			reason: 'stale',
			current: { id: current.version.id }
		});
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

	it('moves a stale edit onto the newer version: their changes stay, and so do yours', async () => {
		const ana = await testMember(ctx.db, 'curator');
		const ben = await testMember(ctx.db, 'curator');
		const start = await currentFramework(ctx.db);
		const [one, two] = start.dimensions as [
			(typeof start.dimensions)[0],
			(typeof start.dimensions)[0]
		];
		// Both open the form on the same version; every field is sent, as the page sends them.
		const form = (changes: Record<string, string>, note: string) => {
			const values: Record<string, string> = { basedOn: start.version.id, note };
			for (const d of start.dimensions) {
				values[`title-${d.key}`] = d.title;
				values[`description-${d.key}`] = d.description;
				values[`guidance-${d.key}`] = d.guidance;
				for (const s of d.statements) values[`statement-${s.id}`] = s.text;
			}
			return { ...values, ...changes };
		};
		const first = await editFramework(
			ctx.db,
			ana,
			form(
				{
					[`guidance-${one.key}`]: 'Ana’s guidance.',
					[`statement-${one.statements[0]!.id}`]: 'Ana’s statement.'
				},
				'Ana’s edit.'
			)
		);
		expect(first.ok).toBe(true);
		if (!first.ok) return;
		const newer = first.framework;

		const second = await editFramework(
			ctx.db,
			ben,
			form(
				{
					[`guidance-${one.key}`]: 'Ben’s guidance.',
					[`title-${two.key}`]: 'Ben’s title',
					[`statement-${two.statements[2]!.id}`]: 'Ben’s statement.'
				},
				'Ben’s edit.'
			)
		);
		expect(second).toMatchObject({
			ok: false,
			reason: 'stale',
			current: { id: newer.version.id, number: newer.version.number }
		});
		if (second.ok || second.reason !== 'stale') return;
		const moved = second.values;
		const [newOne, newTwo] = newer.dimensions as [typeof one, typeof one];
		expect(moved.basedOn).toBe(newer.version.id);
		expect(moved.note).toBe('Ben’s edit.');
		// Ben's own changes stay, under the newer version's field names.
		expect(moved[`guidance-${one.key}`]).toBe('Ben’s guidance.');
		expect(moved[`title-${two.key}`]).toBe('Ben’s title');
		expect(moved[`statement-${newTwo.statements[2]!.id}`]).toBe('Ben’s statement.');
		// What Ben left alone takes Ana's wording, so sending it again does not undo her work.
		expect(moved[`statement-${newOne.statements[0]!.id}`]).toBe('Ana’s statement.');
		expect(moved[`statement-${one.statements[0]!.id}`]).toBeUndefined();
		// Only the field both changed is pointed out.
		expect(second.theirs).toEqual({ [`guidance-${one.key}`]: 'Ana’s guidance.' });

		const again = await editFramework(ctx.db, ben, moved);
		expect(again.ok).toBe(true);
		if (!again.ok) return;
		const merged = again.framework;
		expect(merged.version.number).toBe(newer.version.number + 1);
		expect(merged.dimensions[0]!.guidance).toBe('Ben’s guidance.');
		expect(merged.dimensions[0]!.statements[0]!.text).toBe('Ana’s statement.');
		expect(merged.dimensions[1]!.title).toBe('Ben’s title');
		expect(merged.dimensions[1]!.statements[2]!.text).toBe('Ben’s statement.');
	});

	it('names each field in its message, so a long form says which one to fix', async () => {
		const curator = await testMember(ctx.db, 'curator');
		const current = await currentFramework(ctx.db);
		const second = current.dimensions[1]!;
		const result = await editFramework(ctx.db, curator, {
			basedOn: current.version.id,
			note: ' ',
			[`guidance-${second.key}`]: '',
			[`statement-${second.statements[2]!.id}`]: 'x'.repeat(501)
		});
		expect(result).toEqual({
			ok: false,
			reason: 'invalid',
			errors: {
				note: 'Say what changed, so others can follow the history',
				[`guidance-${second.key}`]: 'Enter the suggestions for area 2',
				[`statement-${second.statements[2]!.id}`]:
					'Statement 3 of area 2 must be 500 characters or fewer'
			}
		});
	});

	it('tells visitors’ cached pages that the framework changed', async () => {
		const curator = await testMember(ctx.db, 'curator');
		const current = await currentFramework(ctx.db);
		const before = await readContentVersion(ctx.db);
		const result = await editFramework(ctx.db, curator, {
			basedOn: current.version.id,
			note: 'A plainer statement.',
			[`statement-${current.dimensions[3]!.statements[0]!.id}`]: 'Plainer.'
		});
		expect(result.ok).toBe(true);
		expect(await readContentVersion(ctx.db)).toBe(before + 1);
	});

	it('lists the latest versions, newest first, with who saved them, for curators only', async () => {
		const curator = await testMember(ctx.db, 'curator');
		const member = await testMember(ctx.db);
		await expect(listFrameworkVersions(ctx.db, member)).rejects.toBeInstanceOf(ForbiddenError);
		await expect(listFrameworkVersions(ctx.db, null)).rejects.toBeInstanceOf(ForbiddenError);

		let current = await currentFramework(ctx.db);
		for (let i = 0; i < 3; i++) {
			const result = await editFramework(ctx.db, curator, {
				basedOn: current.version.id,
				note: `Edit ${i + 1}.`
			});
			if (!result.ok) throw new Error(JSON.stringify(result));
			current = result.framework;
		}
		const all = await listFrameworkVersions(ctx.db, curator);
		expect(all.map((v) => v.number)).toEqual(
			Array.from({ length: current.version.number }, (_, i) => current.version.number - i)
		);
		expect(all[0]).toEqual({
			id: current.version.id,
			number: current.version.number,
			note: 'Edit 3.',
			created_at: current.version.created_at,
			created_by_name: curator.name
		});
		// Version 1 came with the database, from nobody.
		expect(all.at(-1)).toMatchObject({ number: 1, created_by_name: null });

		const latest = await listFrameworkVersions(ctx.db, curator, 2);
		expect(latest.map((v) => v.note)).toEqual(['Edit 3.', 'Edit 2.']);
	});
});
