import { expect, it } from 'vitest';
import { describeEachDatabase } from '../testing/databases';
import { libraryVocabulary, unknownTags } from './tags.service';

describeEachDatabase('the library’s words', (ctx) => {
	it('starts with the service areas, and the benefit and barrier themes people named', async () => {
		const words = await libraryVocabulary(ctx.db);
		expect(words.serviceAreas.map((t) => t.label)).toContain('Mental health');
		expect(words.benefits).toHaveLength(19);
		expect(words.barriers).toHaveLength(21);
		expect(words.benefits.map((t) => t.label)[0]).toBe('Better and more efficient services');
		expect(words.benefits.find((t) => t.label.startsWith('Active involvement'))?.slug).toBe(
			'active-involvement-in-ones-own-care'
		);
		expect(words.barriers.find((t) => t.slug === 'what-is-in-it-for-us')?.id).toBe(
			'barrier:what-is-in-it-for-us'
		);
		// The check's dimensions, by key, in the framework's order.
		expect(words.dimensions.length).toBeGreaterThan(0);
		expect(words.dimensions[0]).toEqual({ key: expect.any(String), title: expect.any(String) });
	});

	it('offers only active words, but keeps a retired word on what already has it', async () => {
		await ctx.db
			.updateTable('library_tag')
			.set({ status: 'retired' })
			.where('id', '=', 'benefit:shared-power')
			.execute();
		const words = await libraryVocabulary(ctx.db);
		expect(words.benefits.map((t) => t.id)).not.toContain('benefit:shared-power');
		const all = await libraryVocabulary(ctx.db, { includeRetired: true });
		expect(all.benefits.map((t) => t.id)).toContain('benefit:shared-power');

		expect(await unknownTags(ctx.db, 'benefit', ['benefit:shared-power'])).toEqual([
			'benefit:shared-power'
		]);
		expect(
			await unknownTags(ctx.db, 'benefit', ['benefit:shared-power'], ['benefit:shared-power'])
		).toEqual([]);
	});

	it('refuses a word that does not exist, or one from another list', async () => {
		expect(
			await unknownTags(ctx.db, 'barrier', ['barrier:time', 'benefit:empowerment', 'made-up'])
		).toEqual(['benefit:empowerment', 'made-up']);
		expect(await unknownTags(ctx.db, 'barrier', [])).toEqual([]);
	});
});
