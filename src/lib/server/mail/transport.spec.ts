import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { OutboxMail } from './mail.tables';
import {
	OUTBOX_ID_HEADER,
	composeMessage,
	createFileTransport,
	createMailTransport,
	describeSmtpUrl,
	findLinks,
	removeAbandonedMailFiles
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
	claimed_by: null,
	last_error: null,
	created_at: '2026-11-26T09:00:00.000Z',
	sent_at: null,
	message_id: null,
	kept_subject: null,
	headers: null
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

	describe('the .eml outbox folder after a crash', () => {
		/** The id of a process that has ended. */
		function deadPid(): number {
			return spawnSync(process.execPath, ['-e', '']).pid!;
		}
		function folder(): string {
			return fs.mkdtempSync(path.join(os.tmpdir(), 'colab-eml-'));
		}
		const write = (directory: string, name: string, content = 'From: half') =>
			fs.writeFileSync(path.join(directory, name), content);

		it('deletes the half-written files of processes that died, and nothing else', async () => {
			const directory = folder();
			try {
				const other = process.ppid; // a process that runs, and is not this one
				const dead = deadPid();
				write(directory, 'sent.eml', 'From: whole');
				write(directory, 'old-style.eml.tmp'); // as written before files carried a pid
				write(directory, `dead.eml.${dead}.tmp`);
				write(directory, `earlier-life.eml.${process.pid}.tmp`);
				write(directory, `being-written.eml.${other}.tmp`);
				write(directory, `stuck.eml.${other}.tmp`);
				const twoDaysAgo = new Date(Date.now() - 48 * 3_600_000);
				fs.utimesSync(path.join(directory, `stuck.eml.${other}.tmp`), twoDaysAgo, twoDaysAgo);

				const removed = await removeAbandonedMailFiles(directory);
				expect(removed.sort()).toEqual(
					[
						'old-style.eml.tmp',
						`dead.eml.${dead}.tmp`,
						`earlier-life.eml.${process.pid}.tmp`,
						`stuck.eml.${other}.tmp`
					].sort()
				);
				expect(fs.readdirSync(directory).sort()).toEqual(
					[`being-written.eml.${other}.tmp`, 'sent.eml'].sort()
				);
				expect(await removeAbandonedMailFiles(path.join(directory, 'missing'))).toEqual([]);
			} finally {
				fs.rmSync(directory, { recursive: true, force: true });
			}
		});

		it('tidies the folder when the transport starts and writes each mail whole', async () => {
			const directory = folder();
			const lines: string[] = [];
			const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
			try {
				// A crash mid-write: the mail's file is half there, under its temporary name only.
				write(directory, `2026-12-02T09-00-00-000Z-${row.id}.eml.${deadPid()}.tmp`);
				const transport = createFileTransport(directory, 'CoLab <no-reply@x.test>', log);
				const result = await transport.send(row);
				transport.close();
				const files = fs.readdirSync(directory);
				expect(files).toEqual([path.basename(result.destination)]);
				expect(files[0]).toMatch(new RegExp(`-${row.id}\\.eml$`));
				const parsed = await simpleParser(fs.readFileSync(result.destination));
				expect(parsed.subject).toBe('Hello');
				expect(parsed.attachments.map((a) => a.filename)).toEqual(['a.txt']);
				expect(lines.map((l) => JSON.parse(l) as { msg: string })).toContainEqual(
					expect.objectContaining({ msg: 'deleted half-written mail files' })
				);
			} finally {
				fs.rmSync(directory, { recursive: true, force: true });
			}
		});
	});
});
