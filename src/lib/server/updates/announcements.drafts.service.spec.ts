import { expect, it } from 'vitest';
import { ForbiddenError } from '../refusals';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import { newId, nowIso } from '../ids';
import { hashAddress } from './updates.service';
import {
	cancelAnnouncement,
	draftFormValues,
	listDraftsAndScheduled,
	saveAnnouncementDraft
} from './announcements.drafts.service';
import {
	checkAnnouncement,
	findArchived,
	sendAnnouncement,
	sendDueAnnouncements
} from './announcements.service';
import type { AnnouncementDraftInput, AnnouncementInput } from './announcements.schema';

const SITE = { siteName: 'CoLab Test', origin: 'https://colab.test' };
const ZONE = 'UTC';

function input(overrides: Partial<AnnouncementInput> = {}): AnnouncementInput {
	return {
		draft: newId(),
		title: 'Autumn plans',
		body: 'We meet **in October**.',
		topics: ['announcements'],
		when: 'now',
		sendAt: '',
		...overrides
	};
}

describeEachDatabase('announcement drafts and cancelling', (ctx) => {
	let counter = 0;
	async function subscriber(topics: string[]) {
		counter++;
		const email = `drafts-${counter}-${Math.random().toString(36).slice(2, 8)}@example.test`;
		const id = newId();
		const now = nowIso();
		await ctx.db
			.insertInto('update_subscriber')
			.values({
				id,
				email,
				email_hash: hashAddress(email),
				status: 'subscribed',
				pending_topics: null,
				confirm_token_hash: null,
				confirm_expires_at: null,
				consented_at: now,
				consent_method: 'form',
				created_at: now,
				updated_at: now
			})
			.execute();
		await ctx.db
			.insertInto('update_subscriber_topic')
			.values(topics.map((topic) => ({ subscriber_id: id, topic })))
			.execute();
		return { id, email };
	}

	async function mailsTo(email: string, subject: string) {
		return ctx.db
			.selectFrom('mail_outbox')
			.selectAll()
			.where('to_address', '=', email)
			.where('subject', '=', subject)
			.execute();
	}

	async function checked(i: AnnouncementInput, now = nowIso()) {
		const result = await checkAnnouncement(ctx.db, i, ZONE, now);
		if (!result.ok) throw new Error(JSON.stringify(result.errors));
		return result;
	}

	it('refuses members and visitors every step', async () => {
		const member = await createTestUser(ctx.db, { role: 'member' });
		const curator = await createTestUser(ctx.db, { role: 'curator' });
		const i = input({ title: 'Not for members' });
		for (const who of [member, null]) {
			await expect(saveAnnouncementDraft(ctx.db, who, i, ZONE)).rejects.toBeInstanceOf(
				ForbiddenError
			);
			await expect(listDraftsAndScheduled(ctx.db, who, 1)).rejects.toBeInstanceOf(ForbiddenError);
			await expect(draftFormValues(ctx.db, who, i.draft, ZONE)).rejects.toBeInstanceOf(
				ForbiddenError
			);
		}
		const later = input({ title: 'Scheduled by a curator', when: 'later' });
		const at = new Date(Date.now() + 3_600_000).toISOString().slice(0, 16);
		later.sendAt = at;
		expect((await sendAnnouncement(ctx.db, curator, SITE, later, await checked(later))).ok).toBe(
			true
		);
		for (const who of [member, null])
			await expect(cancelAnnouncement(ctx.db, who, later.draft)).rejects.toBeInstanceOf(
				ForbiddenError
			);
		const row = await ctx.db
			.selectFrom('update_announcement')
			.select('status')
			.where('id', '=', later.draft)
			.executeTakeFirstOrThrow();
		expect(row.status).toBe('scheduled');
	});

	it('saves a draft with only a title, sends nothing, and lets a curator finish and send it once', async () => {
		const curator = await createTestUser(ctx.db, { role: 'curator' });
		const other = await createTestUser(ctx.db, { role: 'curator' });
		const reader = await subscriber(['announcements']);
		const draft: AnnouncementDraftInput = {
			...input({ title: 'Half written' }),
			body: '',
			topics: []
		};
		expect(await saveAnnouncementDraft(ctx.db, curator, draft, ZONE)).toEqual({
			ok: true,
			id: draft.draft
		});
		// Not sent, not public, not picked up by the worker.
		await sendDueAnnouncements(ctx.db, SITE);
		expect(await mailsTo(reader.email, 'Half written')).toHaveLength(0);
		expect(await findArchived(ctx.db, draft.draft)).toBeUndefined();
		const listed = await listDraftsAndScheduled(ctx.db, curator, 1);
		expect(listed.items.find((a) => a.id === draft.draft)).toMatchObject({
			title: 'Half written',
			status: 'draft'
		});

		// Another curator opens it, finishes it and saves again.
		expect(await draftFormValues(ctx.db, other, draft.draft, ZONE)).toMatchObject({
			draft: draft.draft,
			title: 'Half written',
			body: '',
			topics: []
		});
		const finished = input({ draft: draft.draft, title: 'Fully written' });
		expect((await saveAnnouncementDraft(ctx.db, other, finished, ZONE)).ok).toBe(true);
		expect(await draftFormValues(ctx.db, curator, draft.draft, ZONE)).toMatchObject({
			title: 'Fully written',
			body: 'We meet **in October**.',
			topics: ['announcements'],
			when: 'now'
		});
		// A topic no longer offered is refused.
		expect(
			await saveAnnouncementDraft(ctx.db, other, { ...finished, topics: ['format:gone'] }, ZONE)
		).toMatchObject({ ok: false, reason: 'invalid' });

		// Sent: once, even when pressed twice; then it is no longer a draft.
		const sent = await sendAnnouncement(ctx.db, other, SITE, finished, await checked(finished));
		expect(sent).toMatchObject({ ok: true, scheduled: false, recipients: 1 });
		expect(
			await sendAnnouncement(ctx.db, other, SITE, finished, await checked(finished))
		).toMatchObject({ ok: false, reason: 'already-sent' });
		expect(await mailsTo(reader.email, 'Fully written')).toHaveLength(1);
		expect((await findArchived(ctx.db, draft.draft))?.title).toBe('Fully written');
		expect(await draftFormValues(ctx.db, curator, draft.draft, ZONE)).toBeUndefined();
		expect(await saveAnnouncementDraft(ctx.db, curator, finished, ZONE)).toEqual({
			ok: false,
			reason: 'not-a-draft',
			id: draft.draft
		});
		expect(
			(await listDraftsAndScheduled(ctx.db, curator, 1)).items.some((a) => a.id === draft.draft)
		).toBe(false);
	});

	it('a cancelled announcement never sends, and only a scheduled one can be cancelled', async () => {
		const curator = await createTestUser(ctx.db, { role: 'curator' });
		const reader = await subscriber(['announcements']);
		const at = new Date(Date.now() + 2 * 3_600_000);
		const later = input({
			title: 'Called off',
			when: 'later',
			sendAt: at.toISOString().slice(0, 16)
		});
		expect(
			await sendAnnouncement(ctx.db, curator, SITE, later, await checked(later))
		).toMatchObject({ ok: true, scheduled: true });
		expect(
			(await listDraftsAndScheduled(ctx.db, curator, 1)).items.find((a) => a.id === later.draft)
				?.status
		).toBe('scheduled');
		expect(await cancelAnnouncement(ctx.db, curator, later.draft)).toEqual({
			ok: true,
			title: 'Called off'
		});
		expect(await cancelAnnouncement(ctx.db, curator, later.draft)).toEqual({
			ok: false,
			reason: 'not-scheduled'
		});
		// Its time comes and goes: nothing is sent, by any instance.
		const after = new Date(at.getTime() + 3_600_000).toISOString();
		await sendDueAnnouncements(ctx.db, SITE, after);
		await sendDueAnnouncements(ctx.db, SITE, after);
		expect(await mailsTo(reader.email, 'Called off')).toHaveLength(0);
		expect(await findArchived(ctx.db, later.draft)).toBeUndefined();
		// A second press of "Send" does not bring it back.
		expect(
			await sendAnnouncement(ctx.db, curator, SITE, later, await checked(later))
		).toMatchObject({ ok: false, reason: 'already-sent' });

		// A sent one cannot be cancelled.
		const now = input({ title: 'Already out' });
		await sendAnnouncement(ctx.db, curator, SITE, now, await checked(now));
		expect(await cancelAnnouncement(ctx.db, curator, now.draft)).toEqual({
			ok: false,
			reason: 'not-scheduled'
		});
		expect(await mailsTo(reader.email, 'Already out')).toHaveLength(1);
		expect(await cancelAnnouncement(ctx.db, curator, 'no-such-thing')).toEqual({
			ok: false,
			reason: 'not-scheduled'
		});
	});
});
