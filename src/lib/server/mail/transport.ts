import fs from 'node:fs/promises';
import path from 'node:path';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import type { Config } from '../config';
import { logger as rootLogger, type Logger } from '../logger';
import type { OutboxMail } from './mail.tables';

/** Where a mail went: its Message-Id and, for people reading logs, the server or file. */
export interface SendResult {
	messageId: string;
	destination: string;
}

/** Sends one outbox row. Throws when it could not be handed over (the worker retries). */
export interface MailTransport {
	/** Safe to log: "smtp://mail.example.org:587" or "files in /srv/colab/data/outbox". */
	readonly describe: string;
	send(mail: OutboxMail): Promise<SendResult>;
	close(): void;
}

/** The header carrying the outbox row's id, so a mail can be traced back to its row. */
export const OUTBOX_ID_HEADER = 'X-CoLab-Outbox-Id';

interface StoredAttachment {
	filename: string;
	contentType: string;
	content: string;
}

function mailDomain(from: string): string {
	return /@([^\s>]+)>?\s*$/.exec(from)?.[1] ?? 'colab.invalid';
}

/**
 * The message for an outbox row: plain text and HTML parts, attachments, and a Message-Id made
 * from the row's id, so a retry of the same row carries the same id and mail programs can
 * recognise a repeat.
 */
export function composeMessage(mail: OutboxMail, from: string): SendMailOptions {
	const attachments = mail.attachments ? (JSON.parse(mail.attachments) as StoredAttachment[]) : [];
	return {
		from,
		to: mail.to_address,
		subject: mail.subject,
		text: mail.text_body,
		...(mail.html_body ? { html: mail.html_body } : {}),
		messageId: `<${mail.id}@${mailDomain(from)}>`,
		headers: {
			...(mail.headers ? (JSON.parse(mail.headers) as Record<string, string>) : {}),
			[OUTBOX_ID_HEADER]: mail.id,
			// RFC 3834: tells mail programs not to send out-of-office replies.
			'Auto-Submitted': 'auto-generated'
		},
		attachments: attachments.map((a) => ({
			filename: a.filename,
			contentType: a.contentType,
			content: a.content,
			encoding: 'base64'
		}))
	};
}

/** The SMTP server's address without its user name or password. */
export function describeSmtpUrl(url: string): string {
	try {
		const parsed = new URL(url);
		return `${parsed.protocol}//${parsed.hostname}${parsed.port ? `:${parsed.port}` : ''}`;
	} catch {
		return 'smtp (unreadable SMTP_URL)';
	}
}

/**
 * Sends through an SMTP server (nodemailer). One pooled connection is reused between mails.
 * Timeouts are far shorter than nodemailer's defaults, so a stuck send fails (and is retried)
 * rather than holding its row; the worker renews its claim while a slow send goes on.
 */
export function createSmtpTransport(url: string, from: string): MailTransport {
	const transporter = nodemailer.createTransport({
		url,
		pool: true,
		maxConnections: 1,
		connectionTimeout: 20_000,
		greetingTimeout: 20_000,
		socketTimeout: 60_000
	});
	const destination = describeSmtpUrl(url);
	return {
		describe: destination,
		async send(mail) {
			const info = (await transporter.sendMail(composeMessage(mail, from))) as {
				messageId: string;
			};
			return { messageId: info.messageId, destination };
		},
		close() {
			transporter.close();
		}
	};
}

/** Every http(s) link in a text, in order. */
export function findLinks(text: string): string[] {
	// A full stop or comma after a link ends the sentence, not the link.
	return [...text.matchAll(/https?:\/\/[^\s<>"')\]]+/g)].map((m) => m[0].replace(/[.,;:!?]+$/, ''));
}

/** Files being written by this process right now, so a second transport leaves them alone. */
const writing = new Set<string>();

/** Whether a process with this id is running (a signal 0 checks without sending anything). */
function processRunning(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: it runs, under another user.
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/**
 * Deletes `.tmp` files that a process which died mid-write left in the outbox folder. Each one
 * is named `….eml.<pid>.tmp` by the process writing it; a file is left alone while that process
 * still runs (and is not this one), unless it is older than a day. This process's own name
 * means an earlier life with the same process id (as in a container), unless it is writing the
 * file now. Returns the names deleted.
 */
export async function removeAbandonedMailFiles(
	directory: string,
	now = Date.now()
): Promise<string[]> {
	let names: string[];
	try {
		names = await fs.readdir(directory);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
		throw error;
	}
	const removed: string[] = [];
	for (const name of names) {
		if (!name.endsWith('.tmp')) continue;
		const file = path.join(directory, name);
		if (writing.has(file)) continue;
		const pid = Number(/\.(\d+)\.tmp$/.exec(name)?.[1] ?? Number.NaN);
		const writer = Number.isInteger(pid) && pid !== process.pid && processRunning(pid);
		if (writer) {
			const stat = await fs.stat(file).catch(() => undefined);
			if (!stat || now - stat.mtimeMs < 24 * 3_600_000) continue;
		}
		await fs.rm(file, { force: true });
		removed.push(name);
	}
	return removed;
}

/**
 * Writes a file so that it is either whole or not there: into `<file>.<pid>.tmp`, flushed to
 * disk, then renamed. A crash leaves at most a `.tmp` file, which never counts as a mail (the
 * row is marked sent only after the rename) and is deleted when a transport next starts.
 */
async function writeWholeFile(file: string, content: Buffer): Promise<void> {
	const temporary = `${file}.${process.pid}.tmp`;
	writing.add(temporary);
	try {
		const handle = await fs.open(temporary, 'w');
		try {
			await handle.writeFile(content);
			await handle.sync();
		} finally {
			await handle.close();
		}
		await fs.rename(temporary, file);
	} catch (error) {
		await fs.rm(temporary, { force: true });
		throw error;
	} finally {
		writing.delete(temporary);
	}
}

/**
 * For a laptop without a mail server: writes each mail as an `.eml` file (any mail program opens
 * it) and logs its subject and links, so a sign-in link can be copied from the terminal. On
 * start it deletes half-written files a crashed process left behind.
 */
export function createFileTransport(
	directory: string,
	from: string,
	log: Logger = rootLogger
): MailTransport {
	const transporter = nodemailer.createTransport({
		streamTransport: true,
		buffer: true,
		newline: 'unix'
	});
	// Before the first mail is written; a failure here must not stop mail from going out.
	const tidied = removeAbandonedMailFiles(directory).then(
		(removed) => {
			if (removed.length) log.info({ directory, removed }, 'deleted half-written mail files');
		},
		(error: unknown) => log.warn({ err: error, directory }, 'could not tidy the outbox folder')
	);
	return {
		describe: `files in ${directory}`,
		async send(mail) {
			await tidied;
			const info = await transporter.sendMail(composeMessage(mail, from));
			const stamp = new Date().toISOString().replace(/[:.]/g, '-');
			const file = path.join(directory, `${stamp}-${mail.id}.eml`);
			await fs.mkdir(directory, { recursive: true });
			// Whole or not at all, so nobody opens a half-written file.
			await writeWholeFile(file, info.message as Buffer);
			const links = findLinks(mail.text_body);
			log.info(
				{ to: mail.to_address, subject: mail.subject, links, file },
				`mail to ${mail.to_address} (SMTP_URL is not set, saved as ${file}): ` +
					`"${mail.subject}" ${links.join(' ')}`.trimEnd()
			);
			return { messageId: info.messageId, destination: file };
		},
		close() {
			transporter.close();
		}
	};
}

/** SMTP when SMTP_URL is set, otherwise `.eml` files under `$DATA_DIR/outbox`. */
export function createMailTransport(
	config: Pick<Config, 'smtpUrl' | 'mailFrom' | 'dataDir'>,
	log?: Logger
): MailTransport {
	return config.smtpUrl
		? createSmtpTransport(config.smtpUrl, config.mailFrom)
		: createFileTransport(path.join(config.dataDir, 'outbox'), config.mailFrom, log);
}
