import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../testing/databases';
import {
	hasSearchDocument,
	refreshSearchDocument,
	upsertSearchDocument
} from '../search/search.repository';
import { reindexSearch } from './reindex.service';
import { noteRegistration } from './site-search.testing';

describeEachDatabase('search reindex', (ctx) => {
	const notes = noteRegistration();
	const row = (id: string, extra: { draft?: boolean } = {}) => ({
		id,
		title: `Note ${id}`,
		body: `About the garden, part ${id}.`,
		visibility: 'public' as const,
		...extra
	});
	const stale = (kind: string, docId: string) =>
		upsertSearchDocument(ctx.db, {
			kind,
			docId,
			title: 'Old',
			body: 'Old words',
			path: '/old',
			visibility: 'public',
			updatedAt: '2026-01-01T00:00:00.000Z'
		});

	beforeAll(async () => {
		for (const id of ['a', 'b', 'c', 'e', 'f']) notes.rows.set(id, row(id));
		notes.rows.set('d', row('d', { draft: true }));
		// The index has drifted: 'a' and 'd' (now a draft) have documents, the rest do not.
		await stale('note', 'a');
		await stale('note', 'd');
		await stale('note', 'zzz');
		await stale('retired-kind', 'x1');
		await stale('retired-kind', 'x2');
	});

	it('writes missing documents, removes stale ones and kinds no longer registered', async () => {
		const seen: string[] = [];
		const report = await reindexSearch(ctx.db, {
			registrations: [notes],
			batch: 2,
			onKind: (counts) => seen.push(counts.kind)
		});
		expect(seen).toEqual(['note']);
		expect(report.kinds).toEqual([{ kind: 'note', written: 5, removed: 2 }]);
		expect(report.unregistered).toEqual([{ kind: 'retired-kind', count: 2 }]);
		for (const id of ['a', 'b', 'c', 'e', 'f'])
			expect(await hasSearchDocument(ctx.db, 'note', id)).toBe(true);
		for (const id of ['d', 'zzz']) expect(await hasSearchDocument(ctx.db, 'note', id)).toBe(false);
		expect(await hasSearchDocument(ctx.db, 'retired-kind', 'x1')).toBe(false);
		const a = await ctx.db
			.selectFrom('search_document')
			.select('title')
			.where('kind', '=', 'note')
			.where('doc_id', '=', 'a')
			.executeTakeFirstOrThrow();
		expect(a.title).toBe('Note a');
	});

	it('keeps a row created while the rebuild runs', async () => {
		const list = notes.listForReindex;
		let batches = 0;
		const racing = {
			...notes,
			listForReindex: async (db: Parameters<typeof list>[0], batch: Parameters<typeof list>[1]) => {
				const page = await list(db, batch);
				if (++batches === 2) {
					// Created after the first batch was read, with an id the listing has passed.
					notes.rows.set('aa', row('aa'));
					await refreshSearchDocument(ctx.db, notes, 'aa');
				}
				return page;
			}
		};
		const report = await reindexSearch(ctx.db, { registrations: [racing], batch: 2 });
		expect(report.kinds[0]).toMatchObject({ kind: 'note', removed: 0 });
		expect(await hasSearchDocument(ctx.db, 'note', 'aa')).toBe(true);
	});

	it('with nothing registered, empties the index', async () => {
		const report = await reindexSearch(ctx.db, { registrations: [] });
		expect(report.kinds).toEqual([]);
		expect(report.unregistered).toEqual([{ kind: 'note', count: 6 }]);
	});
});
