import type { Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { ForbiddenError } from '../refusals';
import type { DB } from '../db/schema';
import { describeEachDatabase } from '../testing/databases';
import { getAssessmentForManaging, listMyAssessments } from './assessments.service';
import { NOW, TEST_SITE, testAssessment, testMember } from './assessments.testing';
import { forgetClosedRounds } from './assessments.worker';
import {
	acceptCoOwnerInvitation,
	CO_OWNER_INVITATION_DAYS,
	inviteCoOwner,
	removeOwner,
	viewCoOwnerInvitation
} from './co-owners.service';

async function tokenSentTo(db: Kysely<DB>, email: string): Promise<string> {
	const mail = await db
		.selectFrom('mail_outbox')
		.select('text_body')
		.where('to_address', '=', email)
		.orderBy('created_at', 'desc')
		.executeTakeFirstOrThrow();
	return /\/assessments\/owners\/([\w-]+)/.exec(mail.text_body)![1]!;
}

describeEachDatabase('co-owners', (ctx) => {
	it('are invited by email and become owners only when they accept', async () => {
		const { assessment, owner } = await testAssessment(ctx.db);
		const colleague = await testMember(ctx.db);
		const stranger = await testMember(ctx.db);
		await expect(
			inviteCoOwner(ctx.db, TEST_SITE, stranger, assessment.id, { email: colleague.email }, NOW)
		).rejects.toBeInstanceOf(ForbiddenError);
		expect(
			await inviteCoOwner(ctx.db, TEST_SITE, owner, assessment.id, { email: 'not-an-address' }, NOW)
		).toMatchObject({ ok: false, reason: 'invalid' });

		// The same reply whether or not the address has an account.
		expect(
			await inviteCoOwner(
				ctx.db,
				TEST_SITE,
				owner,
				assessment.id,
				{ email: 'nobody@example.test' },
				NOW
			)
		).toEqual({ ok: true, email: 'nobody@example.test' });
		expect(
			await inviteCoOwner(
				ctx.db,
				TEST_SITE,
				owner,
				assessment.id,
				{ email: colleague.email.toUpperCase() },
				NOW
			)
		).toEqual({ ok: true, email: colleague.email.toLowerCase() });
		// Not an owner yet: nothing shows in their list.
		expect(await listMyAssessments(ctx.db, colleague, NOW)).toEqual([]);

		const token = await tokenSentTo(ctx.db, colleague.email.toLowerCase());
		expect(await viewCoOwnerInvitation(ctx.db, token, NOW)).toMatchObject({
			assessmentTitle: assessment.title,
			inviterName: owner.name,
			expired: false
		});
		// Someone else signed in cannot use it.
		expect(await acceptCoOwnerInvitation(ctx.db, stranger, token, NOW)).toEqual({
			ok: false,
			reason: 'wrong-person'
		});
		expect(await acceptCoOwnerInvitation(ctx.db, colleague, token, NOW)).toEqual({
			ok: true,
			assessmentId: assessment.id
		});
		expect((await listMyAssessments(ctx.db, colleague, NOW)).map((a) => a.id)).toEqual([
			assessment.id
		]);
		// It works once.
		expect(await acceptCoOwnerInvitation(ctx.db, colleague, token, NOW)).toEqual({
			ok: false,
			reason: 'not-found'
		});
	});

	it('expire after 14 days', async () => {
		const { assessment, owner } = await testAssessment(ctx.db);
		const colleague = await testMember(ctx.db);
		await inviteCoOwner(ctx.db, TEST_SITE, owner, assessment.id, { email: colleague.email }, NOW);
		const token = await tokenSentTo(ctx.db, colleague.email.toLowerCase());
		const later = new Date(NOW.getTime() + (CO_OWNER_INVITATION_DAYS * 24 + 1) * 3600_000);
		expect((await viewCoOwnerInvitation(ctx.db, token, later))?.expired).toBe(true);
		expect(await acceptCoOwnerInvitation(ctx.db, colleague, token, later)).toEqual({
			ok: false,
			reason: 'expired'
		});
		// The worker then forgets it, address and all.
		expect((await forgetClosedRounds(ctx.db, later)).ownerInvitations).toBeGreaterThanOrEqual(1);
		expect(await viewCoOwnerInvitation(ctx.db, token, later)).toBeUndefined();
	});

	it('can be taken off, or step down, but the last owner stays', async () => {
		const { assessment, owner } = await testAssessment(ctx.db);
		const colleague = await testMember(ctx.db);
		const stranger = await testMember(ctx.db);
		await inviteCoOwner(ctx.db, TEST_SITE, owner, assessment.id, { email: colleague.email }, NOW);
		await acceptCoOwnerInvitation(
			ctx.db,
			colleague,
			await tokenSentTo(ctx.db, colleague.email.toLowerCase()),
			NOW
		);
		await expect(removeOwner(ctx.db, stranger, assessment.id, colleague.id)).rejects.toBeInstanceOf(
			ForbiddenError
		);
		expect(await removeOwner(ctx.db, owner, assessment.id, stranger.id)).toEqual({
			ok: false,
			reason: 'not-found'
		});
		expect(await removeOwner(ctx.db, colleague, assessment.id, colleague.id)).toEqual({ ok: true });
		expect(await removeOwner(ctx.db, owner, assessment.id, owner.id)).toEqual({
			ok: false,
			reason: 'last-owner'
		});
		expect((await getAssessmentForManaging(ctx.db, owner, assessment.id, NOW))?.owners).toEqual([
			{ id: owner.id, name: owner.name }
		]);
	});
});
