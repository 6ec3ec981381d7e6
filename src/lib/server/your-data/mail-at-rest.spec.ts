import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { createAssessment } from '../assessments/assessments.service';
import { assessmentValues, NOW as ASSESSMENT_NOW } from '../assessments/assessments.testing';
import { inviteCoOwner } from '../assessments/co-owners.service';
import { messageAttendees } from '../events/events.service';
import { publishedEvent, TEST_SITE } from '../events/events.testing';
import { registerMember } from '../events/registrations.service';
import { retryMail } from '../mail/mail.service';
import { startMailWorker, type MailWorker } from '../mail/mail.worker';
import { enqueueMail } from '../mail/outbox';
import { TestSmtpServer, waitUntil } from '../mail/smtp-test-server';
import { createSmtpTransport } from '../mail/transport';
import { nowIso } from '../ids';
import {
	createOrganisation,
	inviteToOrganisation,
	viewInvite
} from '../organisations/organisations.service';
import { describeEachDatabase } from '../testing/databases';
import { wholeDatabase } from '../testing/dump';
import { createTestUser } from '../testing/factories';
import { deleteAccount } from './your-data.service';

// Issue 18: once a mail is sent, the outbox keeps who it went to, what kind it was, its subject,
// when, and its Message-Id; never its text, HTML or attachments, which held other people's
// names and words and links that worked for anyone reading the database or a backup.

const FROM = 'CoLab Spec <colab@example.test>';
const SITE = { siteName: 'CoLab Test', origin: 'http://colab.test' };

describeEachDatabase('mail at rest', (ctx) => {
	const smtp = new TestSmtpServer();
	let worker: MailWorker | undefined;

	beforeAll(() => smtp.start());
	afterAll(() => smtp.stop());
	beforeEach(async () => {
		smtp.reset();
		await ctx.db.deleteFrom('mail_outbox').execute();
	});
	afterEach(async () => {
		await worker?.stop();
		worker = undefined;
	});

	function startSending() {
		worker = startMailWorker(ctx.db, {
			transport: createSmtpTransport(smtp.url, FROM),
			pollMs: 25,
			backoffMs: () => 25
		});
	}

	const row = (id: string) =>
		ctx.db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

	async function allSent() {
		await waitUntil(
			async () =>
				(
					await ctx.db
						.selectFrom('mail_outbox')
						.select('id')
						.where('status', 'in', ['pending', 'sending'])
						.execute()
				).length === 0,
			10_000,
			'every waiting mail to be sent'
		);
	}

	it('keeps what was sent, to whom and when, but no text, HTML, attachment or link', async () => {
		const secret = 'k4Jq9-a-link-secret-only-the-recipient-should-ever-see';
		const id = await enqueueMail(ctx.db, {
			to: 'rowan@example.test',
			subject: 'Run “Carers’ support” with Morwenna Pike',
			keptSubject: 'An invitation to run “Carers’ support” as a co-owner',
			text: `Morwenna Pike invites you.\nhttp://colab.test/invite/${secret}`,
			html: `<p>Morwenna Pike invites you.</p><a href="http://colab.test/invite/${secret}">Open</a>`,
			attachments: [{ filename: 'event.ics', contentType: 'text/calendar', content: secret }],
			kind: 'assessments.co-owner-invitation'
		});
		expect(await row(id)).toMatchObject({ text_body: expect.stringContaining(secret) });
		startSending();
		await waitUntil(async () => (await row(id)).status === 'sent', 5000, 'the mail to be sent');

		// The person got all of it...
		const [received] = smtp.messages;
		expect(received).toMatchObject({
			subject: 'Run “Carers’ support” with Morwenna Pike',
			text: expect.stringContaining(secret)
		});
		// ...and the outbox keeps the record only.
		expect(await row(id)).toMatchObject({
			status: 'sent',
			to_address: 'rowan@example.test',
			kind: 'assessments.co-owner-invitation',
			subject: 'An invitation to run “Carers’ support” as a co-owner',
			kept_subject: null,
			message_id: received!.messageId,
			text_body: '',
			html_body: null,
			attachments: null,
			sent_at: expect.any(String)
		});
		const everything = await wholeDatabase(ctx.db);
		expect(everything).not.toContain(secret);
		expect(everything).not.toContain('Morwenna');
	});

	it('keeps a failed mail whole until it is sent after all', async () => {
		smtp.refuseRecipient('far-away@example.test');
		const id = await enqueueMail(ctx.db, {
			to: 'far-away@example.test',
			subject: 'Your place at the café',
			text: 'Hello Ines, your place is kept.',
			kind: 'events.registration-confirmed'
		});
		startSending();
		await waitUntil(async () => (await row(id)).status === 'failed', 5000, 'the mail to fail');
		// Kept whole, so an administrator can send it again.
		expect(await row(id)).toMatchObject({
			text_body: 'Hello Ines, your place is kept.',
			subject: 'Your place at the café'
		});

		smtp.reset();
		expect(await retryMail(ctx.db, id)).toEqual({ ok: true });
		await waitUntil(async () => (await row(id)).status === 'sent', 5000, 'the retry to be sent');
		expect(smtp.messages.map((m) => m.text.trimEnd())).toEqual(['Hello Ines, your place is kept.']);
		expect(await row(id)).toMatchObject({ text_body: '', subject: 'Your place at the café' });
	});

	it('after two members who took part delete their accounts, no mail or row names them', async () => {
		const sam = await createTestUser(ctx.db, {
			role: 'curator',
			name: 'Samphire Okonkwo-Reyes',
			email: 'samphire.okonkwo@example.test'
		});
		const kim = await createTestUser(ctx.db, {
			name: 'Kimberley Vasquez-Thorne',
			email: 'kimberley.vt@example.test'
		});
		const samBio = 'I run the Tuesday carers circle at the old library';
		const kimBio = 'I look after my brother, who has a learning disability';
		const kimNeeds = 'I need a seat near the door because of panic attacks';
		for (const [person, bio] of [
			[sam, samBio],
			[kim, kimBio]
		] as const) {
			await ctx.db
				.insertInto('profile')
				.values({
					user_id: person.id,
					bio,
					pronouns: null,
					show_bio: 1,
					show_pronouns: 0,
					show_organisations: 1,
					show_email: 0,
					updated_at: nowIso()
				})
				.execute();
		}

		// Sam runs an organisation and invites someone to it (the mail names Sam)...
		const organisation = await createOrganisation(ctx.db, sam, {
			name: 'Riverside Carers Circle',
			description: 'Carers meeting carers.',
			website: ''
		});
		if (!organisation.ok) throw new Error('no organisation');
		expect(
			await inviteToOrganisation(ctx.db, SITE, sam, organisation.organisation.id, {
				email: 'newcomer@example.test',
				role: 'member'
			})
		).toMatchObject({ ok: true });
		// ...asks Kim to run a check with them (the subject names Sam)...
		const check = await createAssessment(ctx.db, sam, assessmentValues(), ASSESSMENT_NOW);
		if (!check.ok) throw new Error('no check');
		expect(
			await inviteCoOwner(
				ctx.db,
				{ ...SITE, timeZone: 'Europe/London' },
				sam,
				check.assessment.id,
				{ email: kim.email },
				ASSESSMENT_NOW
			)
		).toMatchObject({ ok: true });
		// ...and hosts an event, where Kim takes a place with access needs in her own words,
		// and Sam writes to everyone coming.
		const { event } = await publishedEvent(ctx.db, {}, sam);
		expect(
			await registerMember(ctx.db, TEST_SITE, kim, event.id, {
				needs: ['other'],
				needDetails: kimNeeds
			})
		).toMatchObject({ ok: true });
		expect(
			await messageAttendees(ctx.db, TEST_SITE, sam, event.id, {
				subject: 'From Samphire: parking',
				body: 'Samphire here: park behind the library.'
			})
		).toMatchObject({ ok: true });

		startSending();
		await allSent();
		expect(smtp.messages.length).toBeGreaterThanOrEqual(4);
		expect(smtp.messages.some((m) => m.text.includes('Samphire Okonkwo-Reyes'))).toBe(true);

		// One more invitation from Sam is still waiting when both delete their accounts: it goes
		// out afterwards, whole, and its link works.
		await worker!.stop();
		expect(
			await inviteToOrganisation(ctx.db, SITE, sam, organisation.organisation.id, {
				email: 'late@example.test',
				role: 'member'
			})
		).toMatchObject({ ok: true });
		// Sam keeps what they shared in public (the organisation stays, so its invitation works).
		await deleteAccount(ctx.db, sam.id, { contributions: 'keep-as-former-member', site: SITE });
		await deleteAccount(ctx.db, kim.id, { contributions: 'remove', site: SITE });
		startSending();
		await allSent();
		const late = smtp.messages.find((m) => m.to.includes('late@example.test'))!;
		expect(late.text).toContain('Samphire Okonkwo-Reyes');
		const token = decodeURIComponent(/\/organisations\/invites\/([^\s/]+)/.exec(late.text)![1]!);
		expect(await viewInvite(ctx.db, null, token)).toMatchObject({
			state: 'open',
			organisation: { name: 'Riverside Carers Circle' }
		});

		const everything = await wholeDatabase(ctx.db);
		for (const trace of [
			sam.email,
			kim.email,
			'Samphire',
			'Okonkwo',
			'Kimberley',
			'Vasquez',
			samBio,
			kimBio,
			kimNeeds
		]) {
			expect(everything, trace).not.toContain(trace);
		}
		// The mail to the newcomer is still on record, by what is kept.
		const toNewcomer = await ctx.db
			.selectFrom('mail_outbox')
			.select(['subject', 'status', 'text_body'])
			.where('to_address', '=', 'newcomer@example.test')
			.execute();
		expect(toNewcomer).toEqual([
			{
				subject: 'You are invited to join Riverside Carers Circle on CoLab Test',
				status: 'sent',
				text_body: ''
			}
		]);
	});
});
