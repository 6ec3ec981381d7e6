import { expect, it } from 'vitest';
import { ForbiddenError } from '../refusals';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import { libraryVocabulary } from './tags.service';
import { addLibraryWord, libraryWordsForCurators, setLibraryWordStatus } from './words.service';

describeEachDatabase('the library’s words, kept by curators', (ctx) => {
	it('a curator adds a word, retires it and offers it again; each change is in the audit log', async () => {
		const curator = await createTestUser(ctx.db, { role: 'curator' });
		const added = await addLibraryWord(ctx.db, curator, {
			kind: 'barrier',
			label: 'Parking at the venue'
		});
		expect(added).toMatchObject({
			ok: true,
			tag: { id: 'barrier:parking-at-the-venue', status: 'active', position: 21 }
		});
		expect((await libraryVocabulary(ctx.db)).barriers.at(-1)?.label).toBe('Parking at the venue');
		await setLibraryWordStatus(ctx.db, curator, 'barrier:parking-at-the-venue', 'retired');
		expect((await libraryVocabulary(ctx.db)).barriers.map((t) => t.slug)).not.toContain(
			'parking-at-the-venue'
		);
		const all = await libraryWordsForCurators(ctx.db, curator);
		expect(all.barriers.find((t) => t.slug === 'parking-at-the-venue')?.status).toBe('retired');
		await setLibraryWordStatus(ctx.db, curator, 'barrier:parking-at-the-venue', 'active');
		expect((await libraryVocabulary(ctx.db)).barriers.map((t) => t.slug)).toContain(
			'parking-at-the-venue'
		);
		const log = await ctx.db
			.selectFrom('audit_log')
			.select('action')
			.where('target_id', '=', 'barrier:parking-at-the-venue')
			.orderBy('created_at')
			.execute();
		expect(log.map((l) => l.action)).toEqual([
			'library_word.added',
			'library_word.retired',
			'library_word.restored'
		]);
	});

	it('says what is wrong with a word: empty, too long, already there, or no list chosen', async () => {
		const curator = await createTestUser(ctx.db, { role: 'curator' });
		expect(await addLibraryWord(ctx.db, curator, { kind: 'benefit', label: '' })).toMatchObject({
			ok: false,
			errors: { label: 'Enter the word or phrase' }
		});
		expect(
			await addLibraryWord(ctx.db, curator, { kind: 'benefit', label: 'x'.repeat(81) })
		).toMatchObject({ ok: false, errors: { label: expect.stringContaining('80 characters') } });
		expect(
			await addLibraryWord(ctx.db, curator, { kind: 'benefit', label: 'Shared power' })
		).toMatchObject({ ok: false, errors: { label: '“Shared power” is already on that list.' } });
		expect(await addLibraryWord(ctx.db, curator, { kind: 'stage', label: 'Hmm' })).toMatchObject({
			ok: false,
			errors: { kind: 'Choose which list' }
		});
		expect(await setLibraryWordStatus(ctx.db, curator, 'no-such-word', 'retired')).toBeUndefined();
	});

	it('refuses members and visitors', async () => {
		const member = await createTestUser(ctx.db);
		await expect(
			addLibraryWord(ctx.db, member, { kind: 'benefit', label: 'Cake' })
		).rejects.toThrow(ForbiddenError);
		await expect(
			setLibraryWordStatus(ctx.db, member, 'benefit:shared-power', 'retired')
		).rejects.toThrow(ForbiddenError);
		await expect(libraryWordsForCurators(ctx.db, null)).rejects.toThrow(ForbiddenError);
	});
});
