import { expect, it } from 'vitest';
import { seedDemo } from '../demo/demo';
import { describeEachDatabase } from '../testing/databases';
import { DEMO_DRAFT_ENQUIRY_ID, DEMO_ENQUIRY_ID, seedReportDemo } from './report.demo';
import { enquiriesThatLedTo, readPublishedReport } from './report.service';

describeEachDatabase('the demo enquiry', (ctx) => {
	it('has eleven coded interviews, one withdrawal and a published report quoting only consented speakers', async () => {
		const db = ctx.db;
		await seedDemo(db);
		await seedReportDemo(db); // a second run changes nothing
		const interviews = await db
			.selectFrom('enquiry_interview')
			.select('participant_id')
			.where('enquiry_id', '=', DEMO_ENQUIRY_ID)
			.execute();
		expect(interviews).toHaveLength(11);
		const withdrawn = await db
			.selectFrom('enquiry_participant')
			.select('id')
			.where('enquiry_id', '=', DEMO_ENQUIRY_ID)
			.where('withdrawn_at', 'is not', null)
			.execute();
		expect(withdrawn).toHaveLength(1);
		expect(interviews.map((i) => i.participant_id)).not.toContain(withdrawn[0]!.id);
		const history = await db
			.selectFrom('enquiry_consent_change')
			.select('withdrawn')
			.where('participant_id', '=', withdrawn[0]!.id)
			.orderBy('recorded_at')
			.execute();
		expect(history.map((h) => Number(h.withdrawn))).toEqual([0, 1]);
		const codes = await db
			.selectFrom('enquiry_code')
			.select(['name', 'parent_id'])
			.where('enquiry_id', '=', DEMO_ENQUIRY_ID)
			.execute();
		expect(
			codes
				.filter((c) => c.parent_id === null)
				.map((c) => c.name)
				.sort()
		).toEqual(['Barriers', 'Benefits']);
		const session = await db
			.selectFrom('enquiry_session')
			.select('event_id')
			.where('enquiry_id', '=', DEMO_ENQUIRY_ID)
			.execute();
		expect(session).toEqual([{ event_id: 'demo-enquiry-what-coproduction' }]);

		const report = await readPublishedReport(db, DEMO_ENQUIRY_ID);
		expect(report?.sections.length).toBeGreaterThanOrEqual(4);
		// The idea that followed links back to the report, and the report to it.
		expect(report?.followOns.map((f) => f.path)).toEqual([
			'/ideas/easy-read-letters-from-the-council'
		]);
		const idea = await db
			.selectFrom('idea')
			.select('id')
			.where('slug', '=', 'easy-read-letters-from-the-council')
			.executeTakeFirstOrThrow();
		expect(await enquiriesThatLedTo(db, 'idea', idea.id)).toEqual([
			{ title: report!.title, path: `/enquiries/${DEMO_ENQUIRY_ID}` }
		]);
		const quotes = report!.sections.flatMap((s) => s.quotes);
		expect(quotes.length).toBeGreaterThanOrEqual(8);
		expect(quotes.map((q) => q.attribution)).toContain('Priya, a carer');
		// Participant 5 asked not to be quoted: never in the report.
		expect(quotes.some((q) => q.text.includes('waiting times'))).toBe(false);
		const total = await db
			.selectFrom('enquiry_report_quote')
			.select((eb) => eb.fn.countAll().as('n'))
			.where('enquiry_id', '=', DEMO_ENQUIRY_ID)
			.executeTakeFirstOrThrow();
		expect(Number(total.n)).toBe(quotes.length);
		// A second enquiry whose report is still a draft, for the team's pages.
		expect(await readPublishedReport(db, DEMO_DRAFT_ENQUIRY_ID)).toBeNull();
	});
});
