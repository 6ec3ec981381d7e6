import { expect, it } from 'vitest';
import { resetLinkIdentifier, signInLinkIdentifier } from '../../auth/link-tokens';
import { describeEachDatabase } from '../../testing/databases';
import { down, up } from './2026-12-02-16-mail-at-rest';

// Migration 2026-12-02-16 on a database that already holds mail and links: sent mail loses its
// text, waiting mail keeps it, and stored link secrets become the hashes CoLab now looks up
// (so a link emailed before the upgrade still works after it).
describeEachDatabase('migration 2026-12-02-16 (mail at rest)', (ctx) => {
	it('empties sent mail, keeps waiting and failed mail, and hashes stored links', async () => {
		await down(ctx.db);
		const mail = (id: string, status: string, kind: string, subject: string) => ({
			id,
			to_address: `${id}@example.test`,
			subject,
			text_body: `Text of ${id}, from Marigold Ashby`,
			html_body: `<p>Text of ${id}</p>`,
			attachments: null,
			kind,
			user_id: null,
			status,
			attempts: 1,
			next_attempt_at: '2026-12-01T10:00:00.000Z',
			locked_until: null,
			claimed_by: null,
			last_error: null,
			created_at: '2026-12-01T10:00:00.000Z',
			sent_at: status === 'sent' ? '2026-12-01T10:00:05.000Z' : null
		});
		await ctx.db
			.insertInto('mail_outbox')
			.values([
				mail('sent', 'sent', 'events.reminder', 'Tomorrow: Carers’ café'),
				mail('invite', 'sent', 'assessments.co-owner-invitation', 'Run “X” with Marigold Ashby'),
				mail('waiting', 'pending', 'auth.sign-in-link', 'Your sign-in link'),
				mail('failed', 'failed', 'events.host-message', 'From Marigold: parking')
			] as never)
			.execute();
		const link = (id: string, identifier: string) => ({
			id,
			identifier,
			value: 'someone',
			expires_at: '2030-01-01T00:00:00.000Z',
			created_at: '2026-12-01T10:00:00.000Z',
			updated_at: '2026-12-01T10:00:00.000Z'
		});
		await ctx.db
			.insertInto('auth_verification')
			.values([
				link('reset', 'reset-password:plain-reset-token'),
				link('sign-in', 'magic-link:plain-sign-in-token'),
				link('other', 'someone@example.test')
			])
			.execute();

		await up(ctx.db);

		const rows = await ctx.db
			.selectFrom('mail_outbox')
			.select(['id', 'subject', 'text_body', 'html_body', 'message_id', 'kept_subject'])
			.orderBy('id')
			.execute();
		expect(rows).toEqual([
			{
				id: 'failed',
				subject: 'From Marigold: parking',
				text_body: 'Text of failed, from Marigold Ashby',
				html_body: '<p>Text of failed</p>',
				message_id: null,
				kept_subject: null
			},
			{
				id: 'invite',
				subject: 'An invitation to run a co-production check as a co-owner',
				text_body: '',
				html_body: null,
				message_id: null,
				kept_subject: null
			},
			{
				id: 'sent',
				subject: 'Tomorrow: Carers’ café',
				text_body: '',
				html_body: null,
				message_id: null,
				kept_subject: null
			},
			{
				id: 'waiting',
				subject: 'Your sign-in link',
				text_body: 'Text of waiting, from Marigold Ashby',
				html_body: '<p>Text of waiting</p>',
				message_id: null,
				kept_subject: null
			}
		]);

		const links = await ctx.db
			.selectFrom('auth_verification')
			.select(['id', 'identifier'])
			.orderBy('id')
			.execute();
		expect(links).toEqual([
			{ id: 'other', identifier: 'someone@example.test' },
			{ id: 'reset', identifier: resetLinkIdentifier('plain-reset-token') },
			{ id: 'sign-in', identifier: signInLinkIdentifier('plain-sign-in-token') }
		]);
		await ctx.db.deleteFrom('auth_verification').execute();
		await ctx.db.deleteFrom('mail_outbox').execute();
	});
});
