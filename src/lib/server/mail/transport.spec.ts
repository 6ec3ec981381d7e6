import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OutboxMail } from './mail.tables';
import {
	OUTBOX_ID_HEADER,
	composeMessage,
	createMailTransport,
	describeSmtpUrl,
	findLinks
} from './transport';

const row: OutboxMail = {
	id: 'abc123',
	to_address: 'sam@example.test',
	subject: 'Hello',
	text_body: 'Open https://colab.example.test/a?b=1 or (https://colab.example.test/c).',
	html_body: null,
	attachments: JSON.stringify([
		{ filename: 'a.txt', contentType: 'text/plain', content: Buffer.from('hi').toString('base64') }
	]),
	kind: 'spec',
	user_id: null,
	status: 'sending',
	attempts: 1,
	next_attempt_at: '2026-11-26T09:00:00.000Z',
	locked_until: null,
	last_error: null,
	created_at: '2026-11-26T09:00:00.000Z',
	sent_at: null
};

describe('mail transport', () => {
	it('uses SMTP when SMTP_URL is set and files under DATA_DIR/outbox otherwise', () => {
		const files = createMailTransport({
			smtpUrl: undefined,
			mailFrom: 'a@b.test',
			dataDir: '/srv/x'
		});
		expect(files.describe).toBe(`files in ${path.join('/srv/x', 'outbox')}`);
		files.close();
		const smtp = createMailTransport({
			smtpUrl: 'smtps://user:secret@mail.example.test:465',
			mailFrom: 'a@b.test',
			dataDir: '/srv/x'
		});
		expect(smtp.describe).toBe('smtps://mail.example.test:465');
		smtp.close();
	});

	it('never shows the SMTP password', () => {
		expect(describeSmtpUrl('smtp://me:p%40ss@mail.example.test')).toBe('smtp://mail.example.test');
		expect(describeSmtpUrl('not a url')).not.toContain('not a url');
	});

	it('composes the message with a stable Message-Id, the outbox id and attachments', () => {
		const message = composeMessage(row, 'CoLab <no-reply@colab.example.test>');
		expect(message).toMatchObject({
			from: 'CoLab <no-reply@colab.example.test>',
			to: 'sam@example.test',
			subject: 'Hello',
			text: row.text_body,
			messageId: '<abc123@colab.example.test>',
			headers: { [OUTBOX_ID_HEADER]: 'abc123', 'Auto-Submitted': 'auto-generated' },
			attachments: [{ filename: 'a.txt', contentType: 'text/plain', encoding: 'base64' }]
		});
		expect(message).not.toHaveProperty('html');
	});

	it('finds the links in a text', () => {
		expect(findLinks(row.text_body)).toEqual([
			'https://colab.example.test/a?b=1',
			'https://colab.example.test/c'
		]);
		expect(findLinks('Sign in: https://x.test/s/1.\nThen https://x.test/b, done')).toEqual([
			'https://x.test/s/1',
			'https://x.test/b'
		]);
	});
});
