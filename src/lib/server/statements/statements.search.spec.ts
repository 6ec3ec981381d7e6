import { expect, it } from 'vitest';
import { createOrganisation, updateOrganisation } from '../organisations/organisations.service';
import { searchDocuments, type SearchViewer } from '../search/search.repository';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import { seedDemo } from '../demo/demo';
import { deleteAccount } from '../your-data/your-data.service';
import { DEMO_STATEMENT_ID } from './statements.demo';
import { STATEMENT_SEARCH } from './statements.search';
import {
	applyAmendments,
	endorseStatement,
	proposeAmendment,
	startStatement,
	viewStatement
} from './statements.service';
import { amendmentValues, startValues } from './statements.testing';

const visitor: SearchViewer = { signedIn: false, audiences: [] };
const member: SearchViewer = { signedIn: true, audiences: [] };

describeEachDatabase('statements in search', (ctx) => {
	async function find(query: string, viewer = visitor) {
		const page = await searchDocuments(ctx.db, {
			query,
			kinds: ['statement'],
			visibleTo: viewer,
			limit: 20,
			offset: 0
		});
		return { ids: page.results.map((r) => r.docId), total: page.total, page };
	}

	async function fresh() {
		await ctx.db.deleteFrom('search_document').where('kind', '=', 'statement').execute();
		await ctx.db.deleteFrom('statement').execute();
		const curator = await createTestUser(ctx.db, { role: 'curator' });
		const amy = await createTestUser(ctx.db, { name: 'Amy Endorser' });
		return { curator, amy };
	}

	it('is found by everyone once started, at /statement, with its clauses as plain text', async () => {
		const { curator } = await fresh();
		expect((await find('equals')).total).toBe(0);
		const result = await startStatement(ctx.db, curator, startValues());
		expect(result.ok).toBe(true);
		const id = (await viewStatement(ctx.db, null))!.statement.id;
		for (const viewer of [visitor, member]) {
			const { ids, total, page } = await find('equals', viewer);
			expect(ids).toEqual([id]);
			expect(total).toBe(1);
			expect(page.results[0]!.path).toBe('/statement');
		}
		// Headings and list items are words, not Markdown.
		const doc = await STATEMENT_SEARCH.loadRow(ctx.db, id);
		const body = STATEMENT_SEARCH.toDocument(doc!)!.body;
		expect(body).toContain('How we work');
		expect(body).toContain('We share power over decisions from the start.');
		expect(body).not.toMatch(/^[-#]/m);
	});

	it('follows a new version and lists endorsing organisations, but not people', async () => {
		const { curator, amy } = await fresh();
		await startStatement(ctx.db, curator, startValues());
		const view = (await viewStatement(ctx.db, amy))!;
		const clause = view.sections[0]!.clauses[0]!;
		const proposed = await proposeAmendment(
			ctx.db,
			amy,
			amendmentValues({ clause: clause.id, text: 'Everyone designs services as kaleidoscope.' })
		);
		if (!proposed.ok) throw new Error('not proposed');
		// An open amendment is a proposal, not the statement.
		expect((await find('kaleidoscope')).total).toBe(0);
		await applyAmendments(ctx.db, curator, {
			statementId: view.statement.id,
			amendmentIds: [proposed.id],
			decisionId: null,
			note: ''
		});
		expect((await find('kaleidoscope')).ids).toEqual([view.statement.id]);
		expect((await find('"design them together, as equals"')).total).toBe(0);

		const created = await createOrganisation(ctx.db, amy, {
			name: 'Quillwort Carers',
			description: 'A local charity.',
			website: ''
		});
		if (!created.ok) throw new Error('no organisation');
		await endorseStatement(ctx.db, amy, {
			onBehalf: created.organisation.id,
			note: '',
			website: ''
		});
		await endorseStatement(ctx.db, amy, { onBehalf: 'me', note: '', website: '' });
		expect((await find('quillwort')).ids).toEqual([view.statement.id]);
		expect((await find('"Amy Endorser"')).total).toBe(0);
	});

	it('follows an endorsing organisation’s new name, and forgets it once it is deleted', async () => {
		const { curator, amy } = await fresh();
		await startStatement(ctx.db, curator, startValues());
		const id = (await viewStatement(ctx.db, null))!.statement.id;
		const details = (name: string) => ({ name, description: 'A local charity.', website: '' });
		const created = await createOrganisation(ctx.db, amy, details('Bladderwrack Carers'));
		if (!created.ok) throw new Error('no organisation');
		const org = created.organisation.id;
		await endorseStatement(ctx.db, amy, { onBehalf: org, note: '', website: '' });
		expect((await find('bladderwrack')).ids).toEqual([id]);

		expect(await updateOrganisation(ctx.db, amy, org, details('Samphire Carers'))).toMatchObject({
			ok: true
		});
		expect((await find('samphire')).ids).toEqual([id]);
		expect((await find('bladderwrack')).total).toBe(0);

		// Its only member leaves and takes their contributions: the organisation and its
		// endorsement go, and so does its name from the statement's document.
		expect(
			await deleteAccount(ctx.db, amy.id, {
				contributions: 'remove',
				site: { siteName: 'CoLab', origin: 'https://colab.example.test' }
			})
		).toMatchObject({ ok: true });
		expect((await find('samphire')).total).toBe(0);
		expect((await find('equals')).ids).toEqual([id]);
	});

	it('lists statements for a reindex in pages that cover them all, and seeds the demo one', async () => {
		await fresh();
		for (const [i, id] of ['st-a', 'st-b', 'st-c'].entries()) {
			const now = new Date().toISOString();
			await ctx.db
				.insertInto('statement')
				.values({
					id,
					slug: `statement-${i}`,
					title: `Statement ${i}`,
					current_version: 1,
					created_by: null,
					created_at: now,
					updated_at: now
				})
				.execute();
			await ctx.db
				.insertInto('statement_version')
				.values({
					id: `${id}-v1`,
					statement_id: id,
					number: 1,
					note: '',
					made_by: null,
					decision_id: null,
					created_at: now
				})
				.execute();
		}
		const first = await STATEMENT_SEARCH.listForReindex(ctx.db, { after: null, limit: 2 });
		const second = await STATEMENT_SEARCH.listForReindex(ctx.db, {
			after: first.lastId,
			limit: 2
		});
		const third = await STATEMENT_SEARCH.listForReindex(ctx.db, {
			after: second.lastId,
			limit: 2
		});
		expect([...first.rows, ...second.rows].map((r) => r.id)).toEqual(['st-a', 'st-b', 'st-c']);
		expect(third.rows).toEqual([]);

		await fresh();
		await seedDemo(ctx.db);
		expect((await find('co-production')).ids).toContain(DEMO_STATEMENT_ID);
	});
});
