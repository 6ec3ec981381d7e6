import { expect, it } from 'vitest';
import { seedDemoPeople } from '../demo/demo';
import { searchDocuments, type SearchViewer } from '../search/search.repository';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import { deleteAccount } from '../your-data/your-data.service';
import type { EnquiryInput } from './enquiries.schema';
import { ENQUIRY_SEARCH } from './enquiries.search';
import { editEnquiry, moveEnquiryStage, startEnquiry } from './enquiries.service';
import { insertTestCoding, insertTestInterview, insertTestParticipant } from './enquiries.testing';
import { withdrawParticipant } from './participants.service';
import { DEMO_DRAFT_ENQUIRY_ID, DEMO_ENQUIRY_ID, seedReportDemo } from './report.demo';
import { addQuote, addSection, publishReport, saveReportDetails } from './report.service';

type Person = Awaited<ReturnType<typeof createTestUser>>;

const visitor: SearchViewer = { signedIn: false, audiences: [] };
const member: SearchViewer = { signedIn: true, audiences: [] };

function details(overrides: Partial<EnquiryInput> = {}): EnquiryInput {
	return {
		title: 'Keeping the lighthouse lit',
		questions: 'How do volunteers keep the lighthouse open?\nWhat would help?',
		purpose: 'To learn what samphire gatherers need from the network.',
		method: 'Paired interviews about periwinkle walks.',
		consent_text: 'You can stop at any time.',
		...overrides
	};
}

describeEachDatabase('enquiries in search', (ctx) => {
	async function find(query: string, viewer = visitor) {
		const page = await searchDocuments(ctx.db, {
			query,
			kinds: ['enquiry'],
			visibleTo: viewer,
			limit: 20,
			offset: 0
		});
		return { ids: page.results.map((r) => r.docId), total: page.total, page };
	}

	async function started(lead: Person, overrides: Partial<EnquiryInput> = {}) {
		const result = await startEnquiry(ctx.db, lead, details(overrides));
		if (!result.ok) throw new Error('not started');
		return result.id;
	}

	it('finds an unpublished enquiry by what its public page shows, never the draft report', async () => {
		const lead = await createTestUser(ctx.db, { name: 'Lowenna Lead' });
		const id = await started(lead);
		for (const viewer of [visitor, member]) {
			const { ids, total, page } = await find('samphire', viewer);
			expect(ids).toEqual([id]);
			expect(total).toBe(1);
			expect(page.results[0]!.path).toBe(`/enquiries/${id}`);
			expect(page.results[0]!.type).toBe('planning');
		}
		expect((await find('lighthouse')).ids).toEqual([id]);
		// The team's names and the consent text are not part of it.
		expect((await find('Lowenna')).total).toBe(0);
		await saveReportDetails(ctx.db, lead, id, { title: 'Report', summary: 'Kittiwake findings.' });
		await addSection(ctx.db, lead, id, {
			heading: 'Barnacles',
			body: 'Barnacle detail.',
			theme: ''
		});
		expect((await find('kittiwake')).total).toBe(0);
		expect((await find('barnacle')).total).toBe(0);
		await moveEnquiryStage(ctx.db, lead, id, { stage: 'gathering' });
		expect((await find('samphire')).page.results[0]!.type).toBe('gathering');
		await editEnquiry(ctx.db, lead, id, details({ purpose: 'To learn about razorbills.' }));
		expect((await find('samphire')).total).toBe(0);
		expect((await find('razorbills')).ids).toEqual([id]);
	});

	it('finds the published report as plain text, and never a quote, before or after a withdrawal', async () => {
		const lead = await createTestUser(ctx.db);
		const id = await started(lead, { title: 'Harbour voices' });
		const speaker = await insertTestParticipant(ctx.db, id, {
			label: 'Morwenna',
			perspective: 'carer',
			quote: 'name'
		});
		const interview = await insertTestInterview(
			ctx.db,
			id,
			speaker,
			'The cormorant service listened to us.'
		);
		const excerpt = await insertTestCoding(ctx.db, id, interview, { start: 0, end: 37 }, [
			'Being heard'
		]);
		await saveReportDetails(ctx.db, lead, id, {
			title: 'What the harbour told us',
			summary: 'People felt **guillemot** heard.'
		});
		const section = await addSection(ctx.db, lead, id, {
			heading: 'Being heard',
			body: '- A puffin list item\n- Another',
			theme: 'Being heard'
		});
		if (!section.ok) throw new Error('no section');
		expect(await addQuote(ctx.db, lead, id, section.sectionId, excerpt)).toMatchObject({
			ok: true
		});
		expect(await publishReport(ctx.db, lead, id, { timeZone: 'UTC' })).toMatchObject({ ok: true });

		const { ids, page } = await find('guillemot');
		expect(ids).toEqual([id]);
		expect(page.results[0]!.title).toBe('What the harbour told us');
		expect(page.results[0]!.type).toBe('report');
		expect(page.results[0]!.snippetHtml).not.toContain('**');
		expect((await find('puffin')).ids).toEqual([id]);
		for (const word of ['cormorant', 'Morwenna']) expect((await find(word)).total).toBe(0);

		expect(await withdrawParticipant(ctx.db, lead, id, speaker, { note: '' })).toEqual({
			ok: true
		});
		expect((await find('cormorant')).total).toBe(0);
		expect((await find('guillemot')).ids).toEqual([id]);

		// The lead may still correct the details after publishing.
		await editEnquiry(ctx.db, lead, id, details({ title: 'Harbour voices', purpose: 'Auk.' }));
		expect((await find('auk')).ids).toEqual([id]);
	});

	it('drops an unpublished enquiry deleted with its only lead', async () => {
		const lead = await createTestUser(ctx.db);
		const id = await started(lead, { purpose: 'To hear about oystercatchers.' });
		expect((await find('oystercatchers')).ids).toEqual([id]);
		await deleteAccount(ctx.db, lead.id, { contributions: 'remove' });
		expect((await find('oystercatchers')).total).toBe(0);
	});

	it('lists enquiries for a reindex in stable pages covering them all, and indexes the demo', async () => {
		const all: string[] = [];
		let after: string | null = null;
		for (;;) {
			const batch: Awaited<ReturnType<typeof ENQUIRY_SEARCH.listForReindex>> =
				await ENQUIRY_SEARCH.listForReindex(ctx.db, { after, limit: 2 });
			if (!batch.rows.length) break;
			all.push(...batch.rows.map((r) => r.id));
			after = batch.lastId;
		}
		const ids = (await ctx.db.selectFrom('enquiry').select('id').orderBy('id').execute()).map(
			(r) => r.id
		);
		expect(all).toEqual(ids);

		await seedDemoPeople(ctx.db);
		await seedReportDemo(ctx.db);
		const docs = await ctx.db
			.selectFrom('search_document')
			.select(['doc_id', 'type'])
			.where('kind', '=', 'enquiry')
			.where('doc_id', 'in', [DEMO_ENQUIRY_ID, DEMO_DRAFT_ENQUIRY_ID])
			.orderBy('doc_id')
			.execute();
		expect(docs).toEqual([
			{ doc_id: DEMO_ENQUIRY_ID, type: 'report' },
			{ doc_id: DEMO_DRAFT_ENQUIRY_ID, type: 'reporting' }
		]);
	});
});
