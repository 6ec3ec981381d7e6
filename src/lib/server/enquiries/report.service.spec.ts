import { expect, it } from 'vitest';
import { parseForm, toFormData } from '../forms';
import { ForbiddenError } from '../refusals';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import {
	insertTestCoding,
	insertTestEnquiry,
	insertTestInterview,
	insertTestMember,
	insertTestParticipant
} from './enquiries.testing';
import { publishSchema, sectionSchema } from './report.schema';
import {
	addFollowOn,
	addQuote,
	addSection,
	consentCheck,
	deleteRawMaterial,
	deleteSection,
	followOnsForEditing,
	removeFollowOn,
	editSection,
	enquiriesThatLedTo,
	moveQuote,
	moveSection,
	parseFollowOnAddress,
	publishReport,
	quotePicker,
	rawMaterialForDeleting,
	readPublishedReport,
	removeQuote,
	saveReportDetails,
	sectionForEditing,
	viewDraftReport,
	viewReportForPrint
} from './report.service';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { nowIso } from '../ids';

const section = (heading: string, theme = '', body = 'What people told us.') => ({
	heading,
	body,
	theme
});

/** An enquiry in reporting with a lead, an interviewer, three speakers and coded excerpts. */
async function setUp(db: Kysely<DB>) {
	const lead = await createTestUser(db, { name: 'Lena Lead' });
	const interviewer = await createTestUser(db);
	const outsider = await createTestUser(db);
	const curator = await createTestUser(db, { role: 'curator' });
	const id = await insertTestEnquiry(db, lead.id, { stage: 'reporting' });
	await insertTestMember(db, id, interviewer.id, 'interviewer');
	const priya = await insertTestParticipant(db, id, {
		label: 'Priya',
		perspective: 'carer',
		quote: 'name'
	});
	const sam = await insertTestParticipant(db, id, {
		label: 'Participant 2',
		perspective: 'council-staff',
		quote: 'perspective'
	});
	const quiet = await insertTestParticipant(db, id, {
		label: 'Participant 3',
		perspective: 'volunteer',
		quote: 'none'
	});
	const body1 = 'We were asked from the start. It felt like our service.';
	const body2 = 'Managers did not give permission. Time was short.';
	const body3 = 'I would rather not be quoted, but it was good.';
	const i1 = await insertTestInterview(db, id, priya, body1);
	const i2 = await insertTestInterview(db, id, sam, body2);
	const i3 = await insertTestInterview(db, id, quiet, body3);
	const e1 = await insertTestCoding(db, id, i1, { start: 0, end: 28 }, ['A voice for people']);
	const e2 = await insertTestCoding(db, id, i2, { start: 0, end: 32 }, [
		'No permission from leaders'
	]);
	const e3 = await insertTestCoding(db, id, i3, { start: 0, end: 30 }, ['A voice for people']);
	return { lead, interviewer, outsider, curator, id, priya, sam, quiet, e1, e2, e3 };
}

const refused = (promise: Promise<unknown>) => expect(promise).rejects.toThrow(ForbiddenError);

async function withdraw(db: Kysely<DB>, participantId: string) {
	await db
		.updateTable('enquiry_participant')
		.set({ withdrawn_at: nowIso() })
		.where('id', '=', participantId)
		.execute();
}

async function setQuoting(db: Kysely<DB>, participantId: string, quote: 'name' | 'perspective') {
	await db
		.updateTable('enquiry_participant')
		.set({ consent_quote: quote })
		.where('id', '=', participantId)
		.execute();
}

describeEachDatabase('enquiry report', (ctx) => {
	it('refuses the section form without a heading, and a body over the limit, keeping the words', () => {
		const result = parseForm(sectionSchema, toFormData({ heading: ' ', body: 'x'.repeat(20_001) }));
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.errors.heading).toBe('Give the section a heading');
		expect(result.errors.body).toContain('20,000 characters or fewer');
		expect(result.values.body).toHaveLength(20_001);
		const publish = parseForm(publishSchema, toFormData({}));
		expect(!publish.ok && publish.errors.checked).toContain('checked everyone’s consent');
	});

	it('lets the team write sections, move them and set a theme from the codebook', async () => {
		const db = ctx.db;
		const s = await setUp(db);
		const a = await addSection(db, s.lead, s.id, section('Benefits', 'A voice for people'));
		const b = await addSection(db, s.interviewer, s.id, section('Barriers'));
		expect(a.ok && b.ok).toBe(true);
		if (!a.ok || !b.ok) return;
		expect(await addSection(db, s.lead, s.id, section('Odd', 'No such code'))).toEqual({
			ok: false,
			reason: 'bad-theme'
		});
		await moveSection(db, s.lead, s.id, b.sectionId, 'up');
		const draft = await viewDraftReport(db, s.interviewer, s.id);
		expect(draft?.report.sections.map((x) => x.heading)).toEqual(['Barriers', 'Benefits']);
		expect(draft?.report.sections[1]?.theme).toBe('A voice for people');
		await editSection(
			db,
			s.lead,
			s.id,
			a.sectionId,
			section('Benefits', '', '**Yes** <script>x</script>')
		);
		const again = await viewDraftReport(db, s.lead, s.id);
		const html = again?.report.sections.find((x) => x.id === a.sectionId)?.bodyHtml ?? '';
		expect(html).toContain('<strong>Yes</strong>');
		expect(html).not.toContain('<script>');
		expect(
			await saveReportDetails(db, s.lead, s.id, { title: 'What we heard', summary: 'Short.' })
		).toEqual({ ok: true });
	});

	it('refuses the draft, its writes and the print page to anyone outside the team', async () => {
		const db = ctx.db;
		const s = await setUp(db);
		const a = await addSection(db, s.lead, s.id, section('Benefits'));
		if (!a.ok) throw new Error('no section');
		for (const who of [s.outsider, s.curator, null]) {
			await refused(viewDraftReport(db, who, s.id));
			await refused(viewReportForPrint(db, who, s.id));
			await refused(addSection(db, who, s.id, section('Mine')));
			await refused(editSection(db, who, s.id, a.sectionId, section('Mine')));
			await refused(moveSection(db, who, s.id, a.sectionId, 'down'));
			await refused(sectionForEditing(db, who, s.id, a.sectionId));
			await refused(quotePicker(db, who, s.id, a.sectionId, { page: 1 }));
			await refused(addQuote(db, who, s.id, a.sectionId, s.e1));
			await refused(saveReportDetails(db, who, s.id, { title: 'T', summary: '' }));
			await refused(consentCheck(db, who, s.id));
			await refused(publishReport(db, who, s.id, { timeZone: 'UTC' }));
			await refused(addFollowOn(db, who, s.id, { address: '/ideas/x' }, 'UTC'));
		}
		const q = await addQuote(db, s.lead, s.id, a.sectionId, s.e1);
		if (!q.ok) throw new Error('no quote');
		for (const who of [s.outsider, s.curator, null]) {
			await refused(moveQuote(db, who, s.id, q.quoteId, 'up'));
			await refused(removeQuote(db, who, s.id, q.quoteId));
			await refused(deleteSection(db, who, s.id, a.sectionId));
			await refused(followOnsForEditing(db, who, s.id));
			await refused(removeFollowOn(db, who, s.id, 'idea', 'any'));
			await refused(rawMaterialForDeleting(db, who, s.id));
			await refused(deleteRawMaterial(db, who, s.id));
		}
		expect(
			await db
				.selectFrom('enquiry_report_section')
				.select('id')
				.where('id', '=', a.sectionId)
				.execute()
		).toHaveLength(1);
		expect(await readPublishedReport(db, s.id)).toBeNull();
		// The interviewer is on the team but does not publish.
		await refused(consentCheck(db, s.interviewer, s.id));
		await refused(publishReport(db, s.interviewer, s.id, { timeZone: 'UTC' }));
		expect((await viewReportForPrint(db, s.interviewer, s.id))?.draft).toBe(true);
		expect(await viewDraftReport(db, s.lead, 'no-such-enquiry')).toBeUndefined();
	});

	it('lists excerpts with attribution, and refuses a quote without consent or from a withdrawn speaker', async () => {
		const db = ctx.db;
		const s = await setUp(db);
		const a = await addSection(db, s.lead, s.id, section('Voice', 'A voice for people'));
		if (!a.ok) throw new Error('no section');
		const picker = await quotePicker(db, s.interviewer, s.id, a.sectionId, { page: 1 });
		// Defaults to the section's theme: Priya's and the unquotable volunteer's excerpts.
		expect(picker?.total).toBe(2);
		const byId = new Map(picker?.excerpts.map((e) => [e.id, e]));
		expect(byId.get(s.e1)?.attribution).toBe('Priya, a carer');
		expect(byId.get(s.e3)?.attribution).toBeNull();
		expect(byId.get(s.e3)?.whyNot).toBe('They asked not to be quoted.');
		const all = await quotePicker(db, s.lead, s.id, a.sectionId, { code: 'all', page: 1 });
		expect(all?.total).toBe(3);
		// An excerpt of another enquiry is not found from this one.
		const other = await insertTestEnquiry(db, s.lead.id, { stage: 'reporting' });
		const stranger = await insertTestParticipant(db, other, { quote: 'name' });
		const otherInterview = await insertTestInterview(db, other, stranger, 'Somewhere else.');
		const foreign = await insertTestCoding(db, other, otherInterview, { start: 0, end: 9 }, ['X']);
		expect(await addQuote(db, s.lead, s.id, a.sectionId, foreign)).toEqual({
			ok: false,
			reason: 'not-found'
		});

		expect(await addQuote(db, s.lead, s.id, a.sectionId, s.e3)).toEqual({
			ok: false,
			reason: 'no-consent'
		});
		const ok = await addQuote(db, s.lead, s.id, a.sectionId, s.e1);
		expect(ok.ok).toBe(true);
		expect(await addQuote(db, s.lead, s.id, a.sectionId, s.e1)).toEqual({
			ok: false,
			reason: 'already-quoted'
		});
		await withdraw(db, s.sam);
		expect(await addQuote(db, s.lead, s.id, a.sectionId, s.e2)).toEqual({
			ok: false,
			reason: 'withdrawn'
		});
		const quotes = await db
			.selectFrom('enquiry_report_quote')
			.selectAll()
			.where('enquiry_id', '=', s.id)
			.execute();
		expect(quotes).toHaveLength(1);
		expect(quotes[0]).toMatchObject({
			participant_id: s.priya,
			excerpt_id: s.e1,
			text: 'We were asked from the start'
		});
	});

	it('applies consent when the report is read: withdrawn and "none" vanish, a changed attribution shows', async () => {
		const db = ctx.db;
		const s = await setUp(db);
		const a = await addSection(db, s.lead, s.id, section('Everything'));
		if (!a.ok) throw new Error('no section');
		const q1 = await addQuote(db, s.lead, s.id, a.sectionId, s.e1);
		const q2 = await addQuote(db, s.lead, s.id, a.sectionId, s.e2);
		if (!q1.ok || !q2.ok) throw new Error('no quotes');
		await moveQuote(db, s.lead, s.id, q2.quoteId, 'up');
		let draft = await viewDraftReport(db, s.lead, s.id);
		expect(draft?.report.sections[0]?.quotes.map((q) => q.attribution)).toEqual([
			'a member of council staff',
			'Priya, a carer'
		]);

		await setQuoting(db, s.priya, 'perspective');
		await withdraw(db, s.sam);
		draft = await viewDraftReport(db, s.lead, s.id);
		expect(draft?.report.sections[0]?.quotes).toEqual([
			{ id: q1.quoteId, text: 'We were asked from the start', attribution: 'a carer' }
		]);
		expect(draft?.report.sections[0]?.hiddenQuotes).toBe(1);

		await db
			.updateTable('enquiry_participant')
			.set({ consent_quote: 'none' })
			.where('id', '=', s.priya)
			.execute();
		draft = await viewDraftReport(db, s.lead, s.id);
		expect(draft?.report.sections[0]?.quotes).toEqual([]);
		await removeQuote(db, s.lead, s.id, q1.quoteId);
		const left = await db
			.selectFrom('enquiry_report_quote')
			.select('id')
			.where('enquiry_id', '=', s.id)
			.execute();
		expect(left).toEqual([{ id: q2.quoteId }]);
	});

	it('shows the lead each quoted person’s consent, then publishes once with drafts to announce it', async () => {
		const db = ctx.db;
		const s = await setUp(db);
		const lead = { ...s.lead, role: 'curator' as const };
		await db.updateTable('app_user').set({ role: 'curator' }).where('id', '=', s.lead.id).execute();
		await db
			.updateTable('enquiry_participant')
			.set({ consent_recorded_by: s.interviewer.id })
			.where('id', '=', s.priya)
			.execute();
		const a = await addSection(db, s.lead, s.id, section('Everything'));
		if (!a.ok) throw new Error('no section');
		await addQuote(db, s.lead, s.id, a.sectionId, s.e1);
		await addQuote(db, s.lead, s.id, a.sectionId, s.e2);
		await withdraw(db, s.sam);

		const check = await consentCheck(db, lead, s.id);
		expect(check?.people).toHaveLength(2);
		const priya = check?.people.find((p) => p.label === 'Priya');
		expect(priya).toMatchObject({
			perspectiveLabel: 'Carer',
			consentLabel: 'By name and perspective',
			recordedBy: s.interviewer.name,
			quotes: 1,
			attribution: 'Priya, a carer',
			willNotShow: null
		});
		expect(check?.notShowing.map((p) => [p.label, p.willNotShow])).toEqual([
			['Participant 2', 'They withdrew from the enquiry.']
		]);

		const published = await publishReport(db, lead, s.id, {
			timeZone: 'UTC',
			blogPost: true,
			announcement: true
		});
		expect(published.ok).toBe(true);
		if (!published.ok) return;
		expect(published.postEditPath).toMatch(/^\/blog\/.+\/edit$/);
		expect(published.announcementEditPath).toMatch(/^\/updates\/announcements\/new\?edit=/);
		const post = await db
			.selectFrom('post')
			.select(['status', 'author_id', 'body'])
			.where('author_id', '=', s.lead.id)
			.executeTakeFirstOrThrow();
		expect(post).toMatchObject({ status: 'draft', author_id: s.lead.id });
		expect(post.body).toContain(`/enquiries/${s.id}`);
		const enquiry = await db
			.selectFrom('enquiry')
			.selectAll()
			.where('id', '=', s.id)
			.executeTakeFirstOrThrow();
		expect(enquiry.stage).toBe('published');
		expect(enquiry.published_at).not.toBeNull();
		// Published: nobody writes the report any more, and the lead cannot publish twice.
		await refused(publishReport(db, lead, s.id, { timeZone: 'UTC' }));
		await refused(addSection(db, s.lead, s.id, section('Late')));

		const report = await readPublishedReport(db, s.id);
		expect(report?.sections[0]?.quotes.map((q) => q.attribution)).toEqual(['Priya, a carer']);
		expect(report?.sections[0]?.hiddenQuotes).toBe(0);
		expect((await viewReportForPrint(db, null, s.id))?.draft).toBe(false);
	});

	it('starts no announcement draft for a lead who is not a curator', async () => {
		const db = ctx.db;
		const s = await setUp(db);
		const result = await publishReport(db, s.lead, s.id, { timeZone: 'UTC', announcement: true });
		expect(result.ok && result.announcementEditPath).toBeNull();
	});

	it('deletes the raw material after publishing, keeping the report, and a later withdrawal still hides quotes', async () => {
		const db = ctx.db;
		const s = await setUp(db);
		const a = await addSection(db, s.lead, s.id, section('Everything'));
		if (!a.ok) throw new Error('no section');
		await addQuote(db, s.lead, s.id, a.sectionId, s.e1);
		await addQuote(db, s.lead, s.id, a.sectionId, s.e2);
		await refused(rawMaterialForDeleting(db, s.lead, s.id));
		await refused(deleteRawMaterial(db, s.lead, s.id));
		await publishReport(db, s.lead, s.id, { timeZone: 'UTC' });
		await refused(deleteRawMaterial(db, s.interviewer, s.id));
		await refused(deleteRawMaterial(db, s.outsider, s.id));
		const before = await readPublishedReport(db, s.id);
		expect((await rawMaterialForDeleting(db, s.lead, s.id))?.interviews).toBe(3);

		expect(await deleteRawMaterial(db, s.lead, s.id)).toEqual({ ok: true });
		for (const table of [
			'enquiry_interview',
			'enquiry_excerpt',
			'enquiry_code',
			'enquiry_memo'
		] as const) {
			const rows = await db.selectFrom(table).select('id').where('enquiry_id', '=', s.id).execute();
			expect(rows, table).toHaveLength(0);
		}
		const codings = await db
			.selectFrom('enquiry_coding')
			.select('excerpt_id')
			.where('excerpt_id', 'in', [s.e1, s.e2, s.e3])
			.execute();
		expect(codings).toHaveLength(0);
		const quotes = await db
			.selectFrom('enquiry_report_quote')
			.selectAll()
			.where('enquiry_id', '=', s.id)
			.execute();
		expect(quotes.map((q) => q.excerpt_id)).toEqual([null, null]);
		expect(await readPublishedReport(db, s.id)).toEqual(before);
		await refused(deleteRawMaterial(db, s.lead, s.id));

		// Read-time filtering alone hides a withdrawn speaker's quote…
		await withdraw(db, s.sam);
		let after = await readPublishedReport(db, s.id);
		expect(after?.sections[0]?.quotes.map((q) => q.attribution)).toEqual(['Priya, a carer']);
		// …and so does deleting their quotes, as recording a withdrawal does.
		await withdraw(db, s.priya);
		await db.deleteFrom('enquiry_report_quote').where('participant_id', '=', s.priya).execute();
		after = await readPublishedReport(db, s.id);
		expect(after?.sections[0]?.quotes).toEqual([]);
	});

	it('links public decisions, ideas and pilots that followed, refusing other addresses', async () => {
		const db = ctx.db;
		const s = await setUp(db);
		expect(parseFollowOnAddress('https://colab.example/ideas/repair-cafe?x=1')).toEqual({
			kind: 'idea',
			slug: 'repair-cafe'
		});
		expect(parseFollowOnAddress('/events/repair-cafe')).toBeNull();
		expect(await addFollowOn(db, s.lead, s.id, { address: '/events/x' }, 'UTC')).toEqual({
			ok: false,
			reason: 'not-a-link'
		});
		expect(await addFollowOn(db, s.lead, s.id, { address: '/ideas/nothing-here' }, 'UTC')).toEqual({
			ok: false,
			reason: 'link-not-found'
		});
		const now = nowIso();
		await db
			.insertInto('idea')
			.values({
				id: 'idea-1',
				slug: 'champions-for-frontline-staff',
				title: 'Champions for frontline staff',
				body: 'People who help.',
				author_id: s.lead.id,
				stage: 'new',
				support_count: 0,
				became_kind: null,
				became_id: null,
				became_title: null,
				became_path: null,
				removed_at: null,
				created_at: now,
				updated_at: now
			})
			.execute();
		const added = await addFollowOn(
			db,
			s.interviewer,
			s.id,
			{ address: '/ideas/champions-for-frontline-staff' },
			'UTC'
		);
		expect(added).toEqual({ ok: true, title: 'Champions for frontline staff' });
		expect(
			await addFollowOn(
				db,
				s.lead,
				s.id,
				{ address: '/ideas/champions-for-frontline-staff' },
				'UTC'
			)
		).toEqual({ ok: false, reason: 'already-linked' });
		expect(await enquiriesThatLedTo(db, 'idea', 'idea-1')).toEqual([]);
		await publishReport(db, s.lead, s.id, { timeZone: 'UTC' });
		expect((await readPublishedReport(db, s.id))?.followOns).toMatchObject([
			{
				kind: 'idea',
				title: 'Champions for frontline staff',
				path: '/ideas/champions-for-frontline-staff'
			}
		]);
		expect(await enquiriesThatLedTo(db, 'idea', 'idea-1')).toEqual([
			{ title: 'What does co-production mean here?', path: `/enquiries/${s.id}` }
		]);
	});
});
