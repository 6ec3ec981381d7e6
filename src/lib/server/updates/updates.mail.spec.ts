import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../testing/databases';
import { startMailWorker } from '../mail/mail.worker';
import { enqueueMail } from '../mail/outbox';
import { createSmtpTransport } from '../mail/transport';
import { TestSmtpServer, waitUntil } from '../mail/smtp-test-server';
import { confirmUpdates, signUpForUpdates, unsubscribeByLink } from './updates.service';

const SITE = { siteName: 'CoLab Test', origin: 'https://colab.test' };
const FROM = 'CoLab <colab@colab.test>';

describeEachDatabase('email updates through a real SMTP server', (ctx) => {
	const smtp = new TestSmtpServer();
	beforeAll(() => smtp.start());
	afterAll(() => smtp.stop());

	it('every update mail carries one-click unsubscribe headers that work (RFC 8058)', async () => {
		const email = 'one-click@example.test';
		await signUpForUpdates(ctx.db, SITE, { email, topics: ['events'] }, '192.0.2.1');
		const pending = await ctx.db
			.selectFrom('mail_outbox')
			.select('text_body')
			.where('to_address', '=', email)
			.executeTakeFirstOrThrow();
		const token = /\/updates\/confirm\/([A-Za-z0-9_-]+)/.exec(pending.text_body)![1]!;
		expect((await confirmUpdates(ctx.db, SITE, token)).ok).toBe(true);

		const worker = startMailWorker(ctx.db, {
			transport: createSmtpTransport(smtp.url, FROM),
			pollMs: 25
		});
		try {
			await waitUntil(() => smtp.messages.filter((m) => m.to.includes(email)).length === 2);
		} finally {
			await worker.stop();
		}
		const confirm = smtp.messages.find((m) => /^Confirm/.test(m.subject))!;
		const welcome = smtp.messages.find((m) => /^You get email updates/.test(m.subject))!;
		// The confirmation is not an update: nothing to unsubscribe from yet.
		expect(confirm.headers['list-unsubscribe']).toBeUndefined();
		expect(welcome.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
		const url = /^<(https:\/\/colab\.test\/updates\/unsubscribe\/[A-Za-z0-9_-]+)>$/.exec(
			welcome.headers['list-unsubscribe'] ?? ''
		)?.[1];
		expect(url).toBeDefined();
		// The same link is in the text, for people.
		expect(welcome.text).toContain(url);

		// Once sent, the outbox keeps no working link in the headers either.
		const rows = await ctx.db
			.selectFrom('mail_outbox')
			.select(['headers', 'status'])
			.where('to_address', '=', email)
			.execute();
		expect(rows).toEqual([
			{ headers: null, status: 'sent' },
			{ headers: null, status: 'sent' }
		]);

		const unsubscribeToken = url!.split('/').at(-1)!;
		expect(await unsubscribeByLink(ctx.db, unsubscribeToken)).toMatchObject({
			ok: true,
			already: false
		});
	});

	it('refuses headers it does not know, and line breaks that would add others', async () => {
		const mail = { to: 'x@example.test', subject: 's', text: 't', kind: 'spec' };
		await expect(
			enqueueMail(ctx.db, { ...mail, headers: { Bcc: 'y@example.test' } })
		).rejects.toThrow(/cannot carry/);
		await expect(
			enqueueMail(ctx.db, {
				...mail,
				headers: { 'List-Unsubscribe': '<https://a.test/x>\r\nBcc: y@example.test' }
			})
		).rejects.toThrow(/line break/);
	});
});
