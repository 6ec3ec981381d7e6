import fs from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { describeEachDatabase } from '../../lib/server/testing/databases';
import { TestSmtpServer } from '../../lib/server/mail/smtp-test-server';
import { cliEnvironment, readCliDatabase, runCliForSpec } from '../cli.testing';

describeEachDatabase('cli mail:test', (ctx) => {
	const smtp = new TestSmtpServer();
	let setup: ReturnType<typeof cliEnvironment>;
	beforeAll(() => smtp.start());
	afterAll(() => smtp.stop());
	beforeEach(() => {
		smtp.reset();
		setup = cliEnvironment(ctx);
	});
	afterEach(async () => {
		if (ctx.dialect === 'postgres') await ctx.db.deleteFrom('mail_outbox').execute();
		setup.cleanup();
	});

	const outbox = () =>
		readCliDatabase(ctx, setup.dataDir, (db) =>
			db.selectFrom('mail_outbox').select(['kind', 'status', 'attempts', 'last_error']).execute()
		);

	it('sends a test mail through SMTP at once and says where it went', async () => {
		const env = { ...setup.env, SMTP_URL: smtp.url, MAIL_FROM: 'Spec <colab@example.test>' };
		const run = await runCliForSpec(['mail:test', '--to', 'admin@example.test'], env);
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		expect(run.stdout).toMatch(
			/^Sent a test mail to admin@example\.test through smtp:\/\/127\.0\.0\.1:\d+ \(Message-Id <[\w-]+@example\.test>\)\.\n$/
		);
		expect(smtp.messages).toHaveLength(1);
		expect(smtp.messages[0]).toMatchObject({
			to: ['admin@example.test'],
			subject: 'Test message from CoLab Spec',
			text: expect.stringContaining('http://colab.example.test'),
			html: expect.stringContaining('CoLab Spec')
		});
		expect(await outbox()).toEqual([
			{ kind: 'cli.mail-test', status: 'sent', attempts: 1, last_error: null }
		]);
	});

	it('without SMTP_URL, writes the mail as an .eml file and names it', async () => {
		const run = await runCliForSpec(['mail:test', '--to', 'admin@example.test'], setup.env);
		expect(run.code).toBe(0);
		const files = fs.readdirSync(path.join(setup.dataDir, 'outbox'));
		expect(files).toHaveLength(1);
		const file = path.join(setup.dataDir, 'outbox', files[0]!);
		expect(run.stdout).toBe(
			`SMTP_URL is not set, so the test mail for admin@example.test was written to ${file}\n`
		);
		const parsed = await simpleParser(fs.readFileSync(file));
		expect(parsed.subject).toBe('Test message from CoLab Spec');
	});

	it('reports a mail server that cannot be reached, and leaves the failure for admins', async () => {
		const env = { ...setup.env, SMTP_URL: 'smtp://127.0.0.1:1' };
		const run = await runCliForSpec(['mail:test', '--to', 'admin@example.test'], env);
		expect(run.code).toBe(1);
		expect(run.stderr).toMatch(
			/^Could not send the test mail through smtp:\/\/127\.0\.0\.1:1:\n {2}.*ECONNREFUSED/
		);
		expect(await outbox()).toEqual([
			{
				kind: 'cli.mail-test',
				status: 'failed',
				attempts: 1,
				last_error: expect.stringMatching(/ECONNREFUSED/)
			}
		]);
	});

	it('refuses a missing or malformed address with exit code 2', async () => {
		expect((await runCliForSpec(['mail:test'], setup.env)).code).toBe(2);
		const bad = await runCliForSpec(['mail:test', '--to', 'not-an-address'], setup.env);
		expect(bad.code).toBe(2);
		expect(bad.stderr).toMatch(/^"not-an-address" does not look like an email address\./);
		expect(smtp.messages).toEqual([]);
	});
});
