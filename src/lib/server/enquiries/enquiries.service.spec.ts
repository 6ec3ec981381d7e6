import { describe, expect, it } from 'vitest';
import type { SessionUser } from '../auth/auth.types';
import { readContentVersion } from '../cache/content-version';
import { publishedEvent } from '../events/events.testing';
import { ForbiddenError } from '../refusals';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import { insertTestEnquiry, insertTestMember } from './enquiries.testing';
import {
	ENQUIRY_INVITE_RATE,
	acceptEnquiryInvitation,
	cancelEnquiryInvitation,
	editEnquiry,
	enquiriesOfEvent,
	hashEnquiryToken,
	inviteToEnquiry,
	leaveEnquiry,
	linkSession,
	listEnquiries,
	moveEnquiryStage,
	removeTeamMember,
	startEnquiry,
	unlinkSession,
	viewEnquiry,
	viewEnquiryInvitation,
	viewTeam
} from './enquiries.service';

const SITE = { siteName: 'CoLab Test', origin: 'http://colab.test' };
const details = {
	title: 'What does co-production mean here?',
	questions: 'What does co-production mean to you?\n\nWhat gets in the way?',
	purpose: 'To hear what people mean by it.',
	method: 'Paired interviews.',
	consent_text: 'You can stop at any time.'
};

describeEachDatabase('enquiries', (ctx) => {
	const person = (o: Parameters<typeof createTestUser>[1] = {}): Promise<SessionUser> =>
		createTestUser(ctx.db, o);

	async function started(lead?: SessionUser) {
		const who = lead ?? (await person());
		const result = await startEnquiry(ctx.db, who, details);
		if (!result.ok) throw new Error('not started');
		return { lead: who, id: result.id };
	}

	async function invite(lead: SessionUser, id: string, email: string, role = 'interviewer') {
		const result = await inviteToEnquiry(ctx.db, SITE, lead, id, { email, role });
		if (!result.ok) throw new Error(`invite failed: ${JSON.stringify(result)}`);
		const mail = await ctx.db
			.selectFrom('mail_outbox')
			.selectAll()
			.where('to_address', '=', email.toLowerCase())
			.orderBy('created_at', 'desc')
			.executeTakeFirstOrThrow();
		const match = /\/enquiries\/invitations\/([A-Za-z0-9_-]+)/.exec(mail.text_body);
		if (!match?.[1]) throw new Error('no link');
		return match[1];
	}

	describe('starting and editing', () => {
		it('a member starts an enquiry at planning and leads it; the page cache hears', async () => {
			const before = await readContentVersion(ctx.db);
			const { lead, id } = await started();
			expect(await readContentVersion(ctx.db)).toBeGreaterThan(before);
			const view = await viewEnquiry(ctx.db, lead, id);
			expect(view).toMatchObject({
				stageLabel: 'Planning',
				questions: ['What does co-production mean to you?', 'What gets in the way?'],
				viewer: { role: 'lead', onTeam: true, canManage: true },
				counts: { participants: 0, interviews: 0 }
			});
			expect(view?.team.map((m) => m.role)).toEqual(['lead']);
		});

		it('refuses a visitor', async () => {
			await expect(startEnquiry(ctx.db, null, details)).rejects.toThrow(ForbiddenError);
		});

		it('a visitor sees the public page without counts or management', async () => {
			const { id } = await started();
			const view = await viewEnquiry(ctx.db, null, id);
			expect(view).toMatchObject({ viewer: { role: null, onTeam: false, canManage: false } });
			expect(view?.counts).toBeNull();
			expect(await viewEnquiry(ctx.db, null, 'nope')).toBeUndefined();
		});

		it('only the lead edits and moves the stage, back and forth but never to published', async () => {
			const { lead, id } = await started();
			const interviewer = await person();
			await insertTestMember(ctx.db, id, interviewer.id);
			const outsider = await person();
			for (const who of [interviewer, outsider, null]) {
				await expect(editEnquiry(ctx.db, who, id, details)).rejects.toThrow(ForbiddenError);
				await expect(moveEnquiryStage(ctx.db, who, id, { stage: 'gathering' })).rejects.toThrow(
					ForbiddenError
				);
			}
			expect(await editEnquiry(ctx.db, lead, id, { ...details, title: 'New' })).toEqual({
				ok: true
			});
			expect(await moveEnquiryStage(ctx.db, lead, id, { stage: 'analysing' })).toMatchObject({
				ok: true
			});
			expect(await moveEnquiryStage(ctx.db, lead, id, { stage: 'gathering' })).toMatchObject({
				ok: true,
				stage: 'gathering'
			});
			expect(await moveEnquiryStage(ctx.db, lead, id, { stage: 'published' })).toMatchObject({
				ok: false,
				reason: 'invalid'
			});
			const published = await insertTestEnquiry(ctx.db, lead.id, { stage: 'published' });
			expect(await moveEnquiryStage(ctx.db, lead, published, { stage: 'reporting' })).toMatchObject(
				{ ok: false, reason: 'invalid' }
			);
		});

		it('lists newest first with team names and a stage filter', async () => {
			const a = await started(await person({ name: 'Ada' }));
			const b = await started(await person({ name: 'Bo' }));
			await moveEnquiryStage(ctx.db, b.lead, b.id, { stage: 'gathering' });
			const all = await listEnquiries(ctx.db, null, 1);
			const ids = all.enquiries.map((e) => e.id);
			expect(ids.indexOf(b.id)).toBeLessThan(ids.indexOf(a.id));
			expect(all.enquiries.find((e) => e.id === a.id)).toMatchObject({
				team: ['Ada'],
				firstQuestion: 'What does co-production mean to you?'
			});
			const gathering = await listEnquiries(ctx.db, 'gathering', 1);
			expect(gathering.enquiries.every((e) => e.stage === 'gathering')).toBe(true);
			expect(gathering.enquiries.map((e) => e.id)).toContain(b.id);
		});
	});

	describe('the team', () => {
		it('the lead invites by email; the token is stored only hashed; the right person joins', async () => {
			const { lead, id } = await started();
			const colleague = await person({ email: 'kim@example.test' });
			const token = await invite(lead, id, 'Kim@Example.test');
			const stored = await ctx.db
				.selectFrom('enquiry_invitation')
				.selectAll()
				.where('enquiry_id', '=', id)
				.executeTakeFirstOrThrow();
			expect(stored.token_hash).toBe(hashEnquiryToken(token));
			expect(JSON.stringify(stored)).not.toContain(token);
			const stranger = await person();
			expect(await acceptEnquiryInvitation(ctx.db, stranger, token)).toEqual({
				ok: false,
				reason: 'wrong-person'
			});
			expect(await viewEnquiryInvitation(ctx.db, colleague, token)).toMatchObject({
				state: 'open',
				forViewer: true
			});
			expect(await acceptEnquiryInvitation(ctx.db, colleague, token)).toEqual({
				ok: true,
				enquiryId: id
			});
			expect(await acceptEnquiryInvitation(ctx.db, colleague, token)).toEqual({
				ok: false,
				reason: 'used'
			});
			const team = await viewTeam(ctx.db, colleague, id);
			expect(team?.members.map((m) => [m.name, m.role])).toContainEqual([
				colleague.name,
				'interviewer'
			]);
			await expect(acceptEnquiryInvitation(ctx.db, null, token)).rejects.toThrow(ForbiddenError);
		});

		it('refuses invitations from an interviewer, an outsider or a visitor; expired and cancelled links do not work', async () => {
			const { lead, id } = await started();
			const interviewer = await person();
			await insertTestMember(ctx.db, id, interviewer.id);
			for (const who of [interviewer, await person(), null])
				await expect(
					inviteToEnquiry(ctx.db, SITE, who, id, { email: 'a@example.test', role: 'lead' })
				).rejects.toThrow(ForbiddenError);
			const invitee = await person({ email: 'late@example.test' });
			const token = await invite(lead, id, 'late@example.test');
			const later = new Date(Date.now() + 15 * 86_400_000);
			expect(await acceptEnquiryInvitation(ctx.db, invitee, token, later)).toEqual({
				ok: false,
				reason: 'expired'
			});
			const team = await viewTeam(ctx.db, lead, id);
			const invitation = team!.invitations[0]!;
			await expect(
				cancelEnquiryInvitation(ctx.db, interviewer, id, { invitationId: invitation.id })
			).rejects.toThrow(ForbiddenError);
			expect(
				await cancelEnquiryInvitation(ctx.db, lead, id, { invitationId: invitation.id })
			).toEqual({ ok: true, email: 'late@example.test' });
			expect(await acceptEnquiryInvitation(ctx.db, invitee, token)).toEqual({
				ok: false,
				reason: 'cancelled'
			});
		});

		it('refuses an address already on the team, and rate-limits invitations', async () => {
			const { lead, id } = await started();
			expect(
				await inviteToEnquiry(ctx.db, SITE, lead, id, { email: lead.email, role: 'lead' })
			).toMatchObject({ ok: false, reason: 'invalid' });
			for (let i = 0; i < ENQUIRY_INVITE_RATE.limit; i++)
				await inviteToEnquiry(ctx.db, SITE, lead, id, {
					email: `p${i}@example.test`,
					role: 'interviewer'
				});
			expect(
				await inviteToEnquiry(ctx.db, SITE, lead, id, {
					email: 'one-more@example.test',
					role: 'lead'
				})
			).toMatchObject({ ok: false, reason: 'rate-limited' });
		});

		it('keeps at least one lead: the last lead can neither leave nor be removed', async () => {
			const { lead, id } = await started();
			const interviewer = await person();
			await insertTestMember(ctx.db, id, interviewer.id);
			expect(await leaveEnquiry(ctx.db, lead, id)).toEqual({ ok: false, reason: 'last-lead' });
			expect(await removeTeamMember(ctx.db, lead, id, { userId: lead.id })).toEqual({
				ok: false,
				reason: 'last-lead'
			});
			await expect(removeTeamMember(ctx.db, interviewer, id, { userId: lead.id })).rejects.toThrow(
				ForbiddenError
			);
			const second = await person();
			await insertTestMember(ctx.db, id, second.id, 'lead');
			expect(await leaveEnquiry(ctx.db, lead, id)).toEqual({ ok: true });
			expect(await removeTeamMember(ctx.db, second, id, { userId: interviewer.id })).toEqual({
				ok: true
			});
			await expect(leaveEnquiry(ctx.db, interviewer, id)).rejects.toThrow(ForbiddenError);
			await expect(viewTeam(ctx.db, interviewer, id)).rejects.toThrow(ForbiddenError);
		});
	});

	describe('sessions', () => {
		it('the lead links and unlinks enquiry-format events; others are refused', async () => {
			const { lead, id } = await started();
			const { event } = await publishedEvent(ctx.db, { format: 'enquiry' });
			const { event: other } = await publishedEvent(ctx.db, { format: 'exchange' });
			const interviewer = await person();
			await insertTestMember(ctx.db, id, interviewer.id);
			await expect(linkSession(ctx.db, interviewer, id, { eventId: event.id })).rejects.toThrow(
				ForbiddenError
			);
			expect(await linkSession(ctx.db, lead, id, { eventId: other.id })).toMatchObject({
				ok: false,
				reason: 'invalid'
			});
			expect(await linkSession(ctx.db, lead, id, { eventId: event.id })).toEqual({ ok: true });
			expect((await viewEnquiry(ctx.db, null, id))?.sessions.map((s) => s.id)).toEqual([event.id]);
			expect(await enquiriesOfEvent(ctx.db, event.id)).toEqual([
				{ id, title: details.title, url: `/enquiries/${id}` }
			]);
			expect(await unlinkSession(ctx.db, lead, id, { eventId: event.id })).toEqual({ ok: true });
			expect((await viewEnquiry(ctx.db, null, id))?.sessions).toEqual([]);
		});
	});
});
