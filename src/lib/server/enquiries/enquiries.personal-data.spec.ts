import { expect, it } from 'vitest';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import { deleteAccount, exportPersonData } from '../your-data/your-data.service';
import {
	insertTestCoding,
	insertTestEnquiry,
	insertTestInterview,
	insertTestParticipant,
	insertTestMember
} from './enquiries.testing';
import { inviteToEnquiry, startEnquiry } from './enquiries.service';
import { changeConsent, recordInterview, recordParticipant } from './participants.service';

const SITE = { siteName: 'CoLab Test', origin: 'http://colab.test' };
const details = {
	title: 'What does co-production mean here?',
	questions: 'What does it mean to you?',
	purpose: 'To hear.',
	method: 'Interviews.',
	consent_text: 'You can stop at any time.'
};

describeEachDatabase('enquiries: your data', (ctx) => {
	async function enquiryWithWork() {
		const lead = await createTestUser(ctx.db, { name: 'Lee' });
		const started = await startEnquiry(ctx.db, lead, details);
		if (!started.ok) throw new Error('not started');
		const id = started.id;
		const first = await createTestUser(ctx.db, { name: 'First' });
		const second = await createTestUser(ctx.db, { name: 'Second' });
		await insertTestMember(ctx.db, id, first.id);
		await insertTestMember(ctx.db, id, second.id);
		await ctx.db
			.updateTable('enquiry_member')
			.set({ added_at: '2030-01-01T00:00:00.000Z' })
			.where('user_id', '=', second.id)
			.execute();
		await inviteToEnquiry(ctx.db, SITE, lead, id, { email: 'kim@example.test', role: 'lead' });
		const p = await recordParticipant(ctx.db, lead, id, {
			label: 'Priya',
			perspective: 'carer',
			take_part: 'on',
			quote: 'name'
		});
		if (!p.ok) throw new Error('no participant');
		await changeConsent(ctx.db, lead, id, p.id, { take_part: 'on', quote: 'perspective' });
		const i = await recordInterview(
			ctx.db,
			lead,
			id,
			{ participant_id: p.id, interviewer_id: lead.id, title: 'With Priya', kind: 'transcript' },
			{ text: 'We need each other.', format: 'typed', name: null }
		);
		if (!i.ok) throw new Error('no interview');
		return { lead, first, second, id, participantId: p.id, interviewId: i.id };
	}

	it('exports what they started, their teams, invitations, consent records and transcripts', async () => {
		const { lead, id } = await enquiryWithWork();
		const data = await exportPersonData(ctx.db, lead.id);
		expect(data?.enquiriesYouStarted).toEqual([
			expect.objectContaining({ title: details.title, address: `/enquiries/${id}` })
		]);
		expect(data?.enquiryTeamsYouAreOn).toEqual([expect.objectContaining({ role: 'lead' })]);
		expect(data?.enquiryInvitationsYouSent).toEqual([
			expect.objectContaining({ email: 'kim@example.test', role: 'lead' })
		]);
		expect(data?.enquiryConsentYouRecorded).toHaveLength(2);
		expect(data?.enquiryParticipantsYouRecorded).toEqual([
			expect.objectContaining({ label: 'Priya' })
		]);
		expect(data?.enquiryInterviewsYouWrote).toEqual([
			expect.objectContaining({ title: 'With Priya', body: 'We need each other.' })
		]);
	});

	it('on deletion the longest-serving member becomes lead; the team keeps the transcripts without the name', async () => {
		const { lead, first, id, interviewId, participantId } = await enquiryWithWork();
		await deleteAccount(ctx.db, lead.id, { contributions: 'remove', site: SITE });
		const team = await ctx.db
			.selectFrom('enquiry_member')
			.select(['user_id', 'role'])
			.where('enquiry_id', '=', id)
			.orderBy('role')
			.execute();
		expect(team).toEqual(
			expect.arrayContaining([
				{ user_id: first.id, role: 'lead' },
				expect.objectContaining({ role: 'interviewer' })
			])
		);
		expect(team).toHaveLength(2);
		const interview = await ctx.db
			.selectFrom('enquiry_interview')
			.selectAll()
			.where('id', '=', interviewId)
			.executeTakeFirstOrThrow();
		expect(interview).toMatchObject({
			body: 'We need each other.',
			created_by: null,
			interviewer_id: null
		});
		const participant = await ctx.db
			.selectFrom('enquiry_participant')
			.selectAll()
			.where('id', '=', participantId)
			.executeTakeFirstOrThrow();
		expect(participant).toMatchObject({ created_by: null, consent_recorded_by: null });
		const enquiry = await ctx.db
			.selectFrom('enquiry')
			.select('created_by')
			.where('id', '=', id)
			.executeTakeFirstOrThrow();
		expect(enquiry.created_by).toBeNull();
		const invitation = await ctx.db
			.selectFrom('enquiry_invitation')
			.select('invited_by')
			.where('enquiry_id', '=', id)
			.executeTakeFirstOrThrow();
		expect(invitation.invited_by).toBeNull();
	});

	it('an invitation to the deleted person’s address is deleted', async () => {
		const { lead, id } = await enquiryWithWork();
		const kim = await createTestUser(ctx.db, { email: 'kim@example.test' });
		await deleteAccount(ctx.db, kim.id, { contributions: 'remove', site: SITE });
		const left = await ctx.db
			.selectFrom('enquiry_invitation')
			.select('email')
			.where('enquiry_id', '=', id)
			.execute();
		expect(left).toEqual([]);
		expect(lead).toBeDefined();
	});
	it('when the last person on a team goes, what people said goes too; a published report stays', async () => {
		const alone = await createTestUser(ctx.db, { name: 'Alone' });
		const draft = await insertTestEnquiry(ctx.db, alone.id, { stage: 'analysing' });
		const published = await insertTestEnquiry(ctx.db, alone.id, { stage: 'published' });
		for (const id of [draft, published]) {
			const p = await insertTestParticipant(ctx.db, id);
			const i = await insertTestInterview(ctx.db, id, p, 'We need each other.');
			await insertTestCoding(ctx.db, id, i, { start: 0, end: 7 }, ['Reciprocity']);
		}
		await deleteAccount(ctx.db, alone.id, { contributions: 'remove', site: SITE });

		const left = await ctx.db
			.selectFrom('enquiry')
			.select(['id', 'raw_deleted_at'])
			.where('id', 'in', [draft, published])
			.execute();
		expect(left).toEqual([{ id: published, raw_deleted_at: expect.any(String) }]);
		for (const table of ['enquiry_interview', 'enquiry_excerpt', 'enquiry_code'] as const) {
			const rows = await ctx.db
				.selectFrom(table)
				.select('enquiry_id')
				.where('enquiry_id', 'in', [draft, published])
				.execute();
			expect(rows, table).toEqual([]);
		}
	});
});
