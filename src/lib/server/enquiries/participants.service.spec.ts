import { describe, expect, it } from 'vitest';
import type { SessionUser } from '../auth/auth.types';
import { readContentVersion } from '../cache/content-version';
import { newId, nowIso } from '../ids';
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
import {
	BODY_FIXED_MESSAGE,
	changeConsent,
	deleteInterview,
	editInterview,
	listInterviews,
	listParticipants,
	recordInterview,
	recordParticipant,
	viewInterview,
	viewParticipant,
	withdrawParticipant
} from './participants.service';

const typed = (text: string) => ({ text, format: 'typed' as const, name: null });

describeEachDatabase('enquiry participants and interviews', (ctx) => {
	const person = (o: Parameters<typeof createTestUser>[1] = {}): Promise<SessionUser> =>
		createTestUser(ctx.db, o);

	async function team() {
		const lead = await person();
		const interviewer = await person();
		const outsider = await person();
		const curator = await person({ role: 'curator' });
		const administrator = await person({ role: 'administrator' });
		const id = await insertTestEnquiry(ctx.db, lead.id);
		await insertTestMember(ctx.db, id, interviewer.id);
		return { lead, interviewer, outsider, curator, administrator, id };
	}

	async function quote(enquiryId: string, participantId: string, excerptId: string | null) {
		const sectionId = newId();
		const now = nowIso();
		await ctx.db
			.insertInto('enquiry_report_section')
			.values({
				id: sectionId,
				enquiry_id: enquiryId,
				position: 0,
				heading: 'Benefits',
				body: '',
				code_name: null,
				updated_by: null,
				created_at: now,
				updated_at: now
			})
			.execute();
		await ctx.db
			.insertInto('enquiry_report_quote')
			.values({
				id: newId(),
				section_id: sectionId,
				enquiry_id: enquiryId,
				participant_id: participantId,
				excerpt_id: excerptId,
				text: 'words',
				position: 0,
				added_by: null,
				added_at: now
			})
			.execute();
	}

	describe('participants and consent', () => {
		it('the team records a participant with consent, kept with who and when', async () => {
			const { interviewer, id } = await team();
			const result = await recordParticipant(ctx.db, interviewer, id, {
				label: 'Participant 4',
				perspective: 'carer',
				take_part: 'on',
				quote: 'perspective'
			});
			if (!result.ok) throw new Error('not recorded');
			const view = await viewParticipant(ctx.db, interviewer, id, result.id);
			expect(view?.participant).toMatchObject({
				label: 'Participant 4',
				perspectiveLabel: 'Carer',
				quoteLabel: 'By perspective only',
				consent_take_part: 1
			});
			expect(view?.history).toEqual([
				expect.objectContaining({ takePart: true, withdrawn: false, recordedBy: interviewer.name })
			]);
			const list = await listParticipants(ctx.db, interviewer, id);
			expect(list?.participants.map((p) => p.label)).toEqual(['Participant 4']);
		});

		it('refuses someone without consent to take part, and asks for the fields', async () => {
			const { lead, id } = await team();
			const result = await recordParticipant(ctx.db, lead, id, { label: '', perspective: 'x' });
			expect(result).toMatchObject({ ok: false, reason: 'invalid' });
			if (!result.ok && result.reason === 'invalid')
				expect(Object.keys(result.errors)).toEqual(
					expect.arrayContaining(['label', 'perspective', 'take_part', 'quote'])
				);
		});

		it('refuses outsiders, administrators and visitors every read and write', async () => {
			const { lead, outsider, curator, administrator, id } = await team();
			const pid = await insertTestParticipant(ctx.db, id);
			const iid = await insertTestInterview(ctx.db, id, pid, 'secret words', {
				interviewerId: lead.id
			});
			for (const who of [outsider, curator, administrator, null]) {
				await expect(listParticipants(ctx.db, who, id)).rejects.toThrow(ForbiddenError);
				await expect(viewParticipant(ctx.db, who, id, pid)).rejects.toThrow(ForbiddenError);
				await expect(viewInterview(ctx.db, who, id, iid)).rejects.toThrow(ForbiddenError);
				await expect(listInterviews(ctx.db, who, id)).rejects.toThrow(ForbiddenError);
				await expect(
					recordParticipant(ctx.db, who, id, {
						label: 'P',
						perspective: 'carer',
						take_part: 'on',
						quote: 'none'
					})
				).rejects.toThrow(ForbiddenError);
				await expect(
					changeConsent(ctx.db, who, id, pid, { take_part: 'on', quote: 'name' })
				).rejects.toThrow(ForbiddenError);
				await expect(withdrawParticipant(ctx.db, who, id, pid, {})).rejects.toThrow(ForbiddenError);
				await expect(deleteInterview(ctx.db, who, id, iid)).rejects.toThrow(ForbiddenError);
			}
			// Another enquiry's team cannot reach this one's participant by its address.
			const otherId = await insertTestEnquiry(ctx.db, outsider.id);
			expect(await viewParticipant(ctx.db, outsider, otherId, pid)).toBeUndefined();
			expect(await viewInterview(ctx.db, outsider, otherId, iid)).toBeUndefined();
		});

		it('records each change of consent with who and when; the page cache hears', async () => {
			const { lead, interviewer, id } = await team();
			const pid = await insertTestParticipant(ctx.db, id);
			const before = await readContentVersion(ctx.db);
			expect(
				await changeConsent(ctx.db, interviewer, id, pid, { quote: 'name', note: 'Asked by phone' })
			).toEqual({ ok: true });
			expect(await readContentVersion(ctx.db)).toBeGreaterThan(before);
			const view = await viewParticipant(ctx.db, lead, id, pid);
			expect(view?.participant).toMatchObject({ consent_take_part: 0, consent_quote: 'name' });
			expect(view?.history[0]).toMatchObject({
				takePart: false,
				quoteLabel: 'By name and perspective',
				note: 'Asked by phone',
				recordedBy: interviewer.name
			});
		});

		it('withdrawal deletes exactly that person’s words and quotes, at once, even after publishing', async () => {
			const { lead, interviewer, id } = await team();
			await ctx.db
				.updateTable('enquiry')
				.set({ stage: 'published' })
				.where('id', '=', id)
				.execute();
			const gone = await insertTestParticipant(ctx.db, id, { label: 'Gone' });
			const stays = await insertTestParticipant(ctx.db, id, { label: 'Stays' });
			const goneInterview = await insertTestInterview(ctx.db, id, gone, 'I want to withdraw.');
			const staysInterview = await insertTestInterview(ctx.db, id, stays, 'Keep my words.');
			const goneExcerpt = await insertTestCoding(ctx.db, id, goneInterview, { start: 0, end: 6 }, [
				'Barriers'
			]);
			const staysExcerpt = await insertTestCoding(
				ctx.db,
				id,
				staysInterview,
				{ start: 0, end: 4 },
				['Barriers']
			);
			await quote(id, gone, goneExcerpt);
			await quote(id, stays, staysExcerpt);
			const before = await readContentVersion(ctx.db);
			expect(
				await withdrawParticipant(ctx.db, interviewer, id, gone, { note: 'By email' })
			).toEqual({ ok: true });
			expect(await readContentVersion(ctx.db)).toBeGreaterThan(before);
			const ids = async (table: 'enquiry_interview' | 'enquiry_excerpt' | 'enquiry_report_quote') =>
				(
					await ctx.db
						.selectFrom(table)
						.select('participant_id')
						.where('enquiry_id', '=', id)
						.execute()
				).map((r) => r.participant_id);
			expect(await ids('enquiry_interview')).toEqual([stays]);
			expect(await ids('enquiry_excerpt')).toEqual([stays]);
			expect(await ids('enquiry_report_quote')).toEqual([stays]);
			const codings = await ctx.db
				.selectFrom('enquiry_coding')
				.select('excerpt_id')
				.where('excerpt_id', 'in', [goneExcerpt, staysExcerpt])
				.execute();
			expect(codings.map((c) => c.excerpt_id)).toEqual([staysExcerpt]);
			const view = await viewParticipant(ctx.db, lead, id, gone);
			expect(view?.participant.withdrawn_at).not.toBeNull();
			expect(view?.history[0]).toMatchObject({ withdrawn: true, note: 'By email' });
			expect(await withdrawParticipant(ctx.db, lead, id, gone, {})).toEqual({
				ok: false,
				reason: 'withdrawn'
			});
			expect(await changeConsent(ctx.db, lead, id, gone, { quote: 'name' })).toEqual({
				ok: false,
				reason: 'withdrawn'
			});
		});

		it('allows a withdrawal after the raw material was deleted, but no new participants', async () => {
			const { lead, id } = await team();
			const pid = await insertTestParticipant(ctx.db, id);
			await ctx.db
				.updateTable('enquiry')
				.set({ stage: 'published', raw_deleted_at: nowIso() })
				.where('id', '=', id)
				.execute();
			expect(await withdrawParticipant(ctx.db, lead, id, pid, {})).toEqual({ ok: true });
			expect(
				await recordParticipant(ctx.db, lead, id, {
					label: 'P',
					perspective: 'carer',
					take_part: 'on',
					quote: 'none'
				})
			).toMatchObject({ ok: false, reason: 'invalid' });
		});
	});

	describe('interviews', () => {
		it('records an interview for a participant with a team interviewer', async () => {
			const { lead, interviewer, id } = await team();
			const pid = await insertTestParticipant(ctx.db, id, { label: 'Priya' });
			const result = await recordInterview(
				ctx.db,
				interviewer,
				id,
				{
					participant_id: pid,
					interviewer_id: lead.id,
					title: 'With Priya',
					held_on: '2026-03-14',
					kind: 'notes'
				},
				{ text: 'We need each other.', format: 'docx', name: 'priya.docx' }
			);
			if (!result.ok) throw new Error(JSON.stringify(result));
			const view = await viewInterview(ctx.db, lead, id, result.id);
			expect(view?.interview).toMatchObject({
				body: 'We need each other.',
				source_format: 'docx',
				source_name: 'priya.docx',
				participantLabel: 'Priya',
				interviewerName: lead.name,
				created_by: interviewer.id,
				held_on: '2026-03-14'
			});
			const list = await listInterviews(ctx.db, lead, id);
			expect(list?.interviews.map((i) => i.participant_label)).toEqual(['Priya']);
		});

		it('refuses a withdrawn participant, an interviewer off the team, and an empty body', async () => {
			const { lead, outsider, id } = await team();
			const pid = await insertTestParticipant(ctx.db, id);
			await withdrawParticipant(ctx.db, lead, id, pid, {});
			const result = await recordInterview(
				ctx.db,
				lead,
				id,
				{ participant_id: pid, interviewer_id: outsider.id, title: 'T', kind: 'notes' },
				null
			);
			expect(result).toMatchObject({ ok: false, reason: 'invalid' });
			if (!result.ok && result.reason === 'invalid')
				expect(Object.keys(result.errors).sort()).toEqual([
					'body',
					'interviewer_id',
					'participant_id'
				]);
		});

		it('changes the words only while nothing is coded; details always', async () => {
			const { lead, id } = await team();
			const pid = await insertTestParticipant(ctx.db, id);
			const iid = await insertTestInterview(ctx.db, id, pid, 'First words.');
			const details = { interviewer_id: lead.id, title: 'New title', kind: 'transcript' };
			expect(await editInterview(ctx.db, lead, id, iid, details, typed('Second words.'))).toEqual({
				ok: true
			});
			await insertTestCoding(ctx.db, id, iid, { start: 0, end: 6 }, ['Voice']);
			expect(await editInterview(ctx.db, lead, id, iid, details, typed('Third words.'))).toEqual({
				ok: false,
				reason: 'invalid',
				errors: { body: BODY_FIXED_MESSAGE }
			});
			expect(
				await editInterview(
					ctx.db,
					lead,
					id,
					iid,
					{ ...details, title: 'Again' },
					typed('Second words.')
				)
			).toEqual({ ok: true });
			expect(
				await editInterview(ctx.db, lead, id, iid, { ...details, title: 'Kept' }, 'unchanged')
			).toEqual({ ok: true });
			const view = await viewInterview(ctx.db, lead, id, iid);
			expect(view?.interview).toMatchObject({ title: 'Kept', body: 'Second words.' });
			expect(view?.excerpts).toBe(1);
		});

		it('the team deletes an interview with its coded passages', async () => {
			const { interviewer, id } = await team();
			const pid = await insertTestParticipant(ctx.db, id);
			const iid = await insertTestInterview(ctx.db, id, pid, 'Words.');
			await insertTestCoding(ctx.db, id, iid, { start: 0, end: 5 }, ['Voice']);
			expect(await deleteInterview(ctx.db, interviewer, id, iid)).toEqual({ ok: true });
			expect(await viewInterview(ctx.db, interviewer, id, iid)).toBeUndefined();
			const left = await ctx.db
				.selectFrom('enquiry_excerpt')
				.select('id')
				.where('interview_id', '=', iid)
				.execute();
			expect(left).toEqual([]);
		});
	});
});
