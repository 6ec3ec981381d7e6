import { afterEach, beforeEach, expect, it } from 'vitest';
import { upsertSearchDocument } from '../../lib/server/search/search.repository';
import { SEARCH_REGISTRATIONS } from '../../lib/server/site-search/site-search.registry';
import { describeEachDatabase } from '../../lib/server/testing/databases';
import { cliEnvironment, readCliDatabase, runCliForSpec } from '../cli.testing';

describeEachDatabase('cli search:reindex', (ctx) => {
	let setup: ReturnType<typeof cliEnvironment>;
	beforeEach(() => {
		setup = cliEnvironment(ctx);
	});
	afterEach(() => setup.cleanup());

	it('rebuilds the index, says how many per kind, and removes kinds no longer registered', async () => {
		expect((await runCliForSpec(['migrate'], setup.env)).code).toBe(0);
		await readCliDatabase(ctx, setup.dataDir, (db) =>
			upsertSearchDocument(db, {
				kind: 'retired-kind',
				docId: 'x',
				title: 'Left behind',
				body: 'By a feature that is gone.',
				path: '/gone',
				visibility: 'public',
				updatedAt: '2026-01-01T00:00:00.000Z'
			})
		);
		const run = await runCliForSpec(['search:reindex'], setup.env);
		expect(run).toMatchObject({ code: 0, stderr: '' });
		for (const registration of SEARCH_REGISTRATIONS) {
			expect(run.stdout).toMatch(
				new RegExp(`^  ${registration.kind}: \\d+ written, \\d+ removed$`, 'm')
			);
		}
		expect(run.stdout).toContain('  retired-kind (no longer registered): 1 removed\n');
		expect(run.stdout).toMatch(/^Search index rebuilt: \d+ documents? of \d+ kinds?\.$/m);
		const left = await readCliDatabase(ctx, setup.dataDir, (db) =>
			db.selectFrom('search_document').select('kind').where('kind', '=', 'retired-kind').execute()
		);
		expect(left).toEqual([]);
	});

	it('takes no arguments', async () => {
		expect((await runCliForSpec(['search:reindex', '--fast'], setup.env)).code).toBe(2);
	});
});
