import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '../refusals';
import { newId, nowIso } from '../ids';
import { describeEachDatabase } from '../testing/databases';
import { invitationsSchema } from './assessments.schema';
import {
	closeRound,
	createAssessment,
	hashSecret,
	inviteRespondents,
	listMyAssessments,
	openNewRound
} from './assessments.service';
import {
	assessmentValues,
	NOW,
	TEST_SITE,
	testAssessment,
	testMember
} from './assessments.testing';
import { currentFramework } from './framework.service';

describe('invitation addresses', () => {
	it('takes addresses one per line or separated by commas, each once, lower-cased', () => {
		const parsed = invitationsSchema.parse({
			emails: 'Sam@Example.org, kim@example.org\n\n  lee@example.org;sam@example.org\r\n'
		});
		expect(parsed.emails).toEqual(['sam@example.org', 'kim@example.org', 'lee@example.org']);
	});
	it('refuses wrong addresses, none, and more than 50', () => {
		expect(invitationsSchema.safeParse({ emails: 'sam@example.org, not-an-address' }).success).toBe(
			false
		);
		expect(invitationsSchema.safeParse({ emails: ' \n ' }).success).toBe(false);
		const many = Array.from({ length: 51 }, (_, i) => `p${i}@example.org`).join('\n');
		expect(invitationsSchema.safeParse({ emails: many }).success).toBe(false);
	});
});

describeEachDatabase('assessments', (ctx) => {
	it('starts an assessment on the current framework, with its creator as owner and round 1', async () => {
		const owner = await testMember(ctx.db);
		const result = await createAssessment(
			ctx.db,
			owner,
			assessmentValues({ closesDate: '2030-06-30', threshold: '5' }),
			NOW
		);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		const framework = await currentFramework(ctx.db);
		expect(result.assessment).toMatchObject({
			framework_version_id: framework.version.id,
			created_by: owner.id,
			open_to_visitors: 1,
			threshold: 5,
			results_visibility: 'owners'
		});
		expect(result.assessment.share_code.length).toBeGreaterThanOrEqual(20);
		const round = await ctx.db
			.selectFrom('assessment_round')
			.selectAll()
			.where('id', '=', result.roundId)
			.executeTakeFirstOrThrow();
		// The end of 30 June, London summer time.
		expect(round).toMatchObject({
			number: 1,
			closes_at: '2030-06-30T23:00:00.000Z',
			closed_at: null
		});
		const mine = await listMyAssessments(ctx.db, owner, NOW);
		expect(mine).toEqual([
			expect.objectContaining({
				id: result.assessment.id,
				latestRound: expect.objectContaining({ number: 1, open: true, submitted: 0 })
			})
		]);
	});

	it('refuses visitors, past dates, bad thresholds and organisations the creator is not in', async () => {
		await expect(createAssessment(ctx.db, null, assessmentValues(), NOW)).rejects.toBeInstanceOf(
			ForbiddenError
		);
		const owner = await testMember(ctx.db);
		const orgId = newId();
		await ctx.db
			.insertInto('organisation')
			.values({
				id: orgId,
				slug: `org-${orgId.slice(0, 8).toLowerCase()}`,
				name: 'Carers Together',
				description: '',
				website: null,
				created_by: null,
				created_at: nowIso(),
				updated_at: nowIso()
			})
			.execute();
		const result = await createAssessment(
			ctx.db,
			owner,
			assessmentValues({ closesDate: '2027-02-28', organisation: orgId }),
			NOW
		);
		expect(result).toMatchObject({
			ok: false,
			reason: 'invalid',
			errors: { closesDate: expect.any(String), organisation: expect.any(String) }
		});
		const threshold = await createAssessment(
			ctx.db,
			owner,
			assessmentValues({ threshold: '2' }),
			NOW
		);
		expect(threshold).toMatchObject({ ok: false, errors: { threshold: expect.any(String) } });

		await ctx.db
			.insertInto('organisation_member')
			.values({ organisation_id: orgId, user_id: owner.id, role: 'member', joined_at: nowIso() })
			.execute();
		const member = await createAssessment(
			ctx.db,
			owner,
			assessmentValues({ organisation: orgId }),
			NOW
		);
		expect(member).toMatchObject({ ok: true, assessment: { organisation_id: orgId } });
	});

	it('shows every mistake in one go: the closing date beside a missing title', async () => {
		const owner = await testMember(ctx.db);
		const result = await createAssessment(
			ctx.db,
			owner,
			assessmentValues({ title: '', closesDate: '2027-02-28', threshold: '-5' }),
			NOW
		);
		expect(result).toEqual({
			ok: false,
			reason: 'invalid',
			errors: {
				title: 'Enter the name of the service or project',
				closesDate: 'The closing date must be today or later',
				threshold:
					'The fewest answers before a group’s results show must be a whole number from 3 to 50'
			}
		});
		// In the order of the form, so the error summary reads top to bottom.
		if (!result.ok && result.reason === 'invalid') {
			expect(Object.keys(result.errors)).toEqual(['title', 'closesDate', 'threshold']);
		}
	});

	it('opens the next round only once the last one has closed', async () => {
		const { assessment, roundId, owner } = await testAssessment(ctx.db);
		const stranger = await testMember(ctx.db);
		expect(
			await openNewRound(ctx.db, owner, assessment.id, { closesDate: '2030-12-31' }, NOW)
		).toEqual({
			ok: false,
			reason: 'round-open'
		});
		await expect(closeRound(ctx.db, stranger, roundId, NOW)).rejects.toBeInstanceOf(ForbiddenError);
		expect(await closeRound(ctx.db, owner, roundId, NOW)).toEqual({ ok: true });
		await expect(
			openNewRound(ctx.db, stranger, assessment.id, { closesDate: '2030-12-31' }, NOW)
		).rejects.toBeInstanceOf(ForbiddenError);
		const next = await openNewRound(
			ctx.db,
			owner,
			assessment.id,
			{ closesDate: '2030-12-31' },
			NOW
		);
		expect(next).toMatchObject({ ok: true, round: { number: 2, assessment_id: assessment.id } });
		const mine = await listMyAssessments(ctx.db, owner, NOW);
		expect(mine[0]?.latestRound).toMatchObject({ number: 2, open: true });
	});

	it('emails each invitee a link that works once, keeping only a hash of its token', async () => {
		const { roundId, owner } = await testAssessment(ctx.db, { title: 'Carers’ café' });
		const stranger = await testMember(ctx.db);
		await expect(
			inviteRespondents(ctx.db, TEST_SITE, stranger, roundId, { emails: 'a@example.org' }, NOW)
		).rejects.toBeInstanceOf(ForbiddenError);
		const result = await inviteRespondents(
			ctx.db,
			TEST_SITE,
			owner,
			roundId,
			{ emails: 'Ann@example.org\nbo@example.org' },
			NOW
		);
		expect(result).toEqual({
			ok: true,
			sent: ['ann@example.org', 'bo@example.org'],
			alreadyAnswered: []
		});
		const mails = await ctx.db
			.selectFrom('mail_outbox')
			.select(['to_address', 'subject', 'text_body', 'kind'])
			.where('kind', '=', 'assessments.invitation')
			.where('to_address', 'in', ['ann@example.org', 'bo@example.org'])
			.execute();
		expect(mails).toHaveLength(2);
		const invitations = await ctx.db
			.selectFrom('assessment_invitation')
			.selectAll()
			.where('round_id', '=', roundId)
			.execute();
		expect(invitations).toHaveLength(2);
		for (const mail of mails) {
			const token = /\/assessments\/answer\/invitation\/([\w-]+)/.exec(mail.text_body)?.[1];
			expect(token).toBeTruthy();
			const invitation = invitations.find((i) => i.email === mail.to_address)!;
			expect(invitation.token_hash).toBe(hashSecret(token!));
			expect(invitation.token_hash).not.toContain(token!);
			expect(mail.subject).toContain('Carers’ café');
		}
		const invalid = await inviteRespondents(
			ctx.db,
			TEST_SITE,
			owner,
			roundId,
			{ emails: 'nope' },
			NOW
		);
		expect(invalid).toMatchObject({
			ok: false,
			reason: 'invalid',
			errors: { emails: expect.any(String) }
		});

		await closeRound(ctx.db, owner, roundId, NOW);
		expect(
			await inviteRespondents(ctx.db, TEST_SITE, owner, roundId, { emails: 'c@example.org' }, NOW)
		).toEqual({ ok: false, reason: 'closed' });
	});

	it('limits how many invitations one person sends an hour', async () => {
		const { roundId, owner } = await testAssessment(ctx.db);
		const batch = (n: number) =>
			Array.from({ length: 50 }, (_, i) => `b${n}-${i}@example.org`).join('\n');
		expect(
			await inviteRespondents(ctx.db, TEST_SITE, owner, roundId, { emails: batch(1) }, NOW)
		).toMatchObject({ ok: true });
		expect(
			await inviteRespondents(ctx.db, TEST_SITE, owner, roundId, { emails: batch(2) }, NOW)
		).toMatchObject({ ok: true });
		expect(
			await inviteRespondents(ctx.db, TEST_SITE, owner, roundId, { emails: batch(3) }, NOW)
		).toMatchObject({
			ok: false,
			reason: 'rate-limited'
		});
	});
});
