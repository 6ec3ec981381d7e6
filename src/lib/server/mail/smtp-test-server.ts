import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { OUTBOX_ID_HEADER } from './transport';

export interface ReceivedTestMail {
	outboxId: string;
	messageId: string;
	to: string[];
	from: string;
	subject: string;
	text: string;
	html: string;
	attachments: Array<{ filename?: string; contentType: string; content: Buffer }>;
	/** Each header as sent, by lower-cased name (e.g. list-unsubscribe), without its name. */
	headers: Record<string, string>;
}

function smtpError(message: string, responseCode: number): Error {
	return Object.assign(new Error(message), { responseCode });
}

/**
 * A real SMTP server in the spec's process: keeps what it receives, and can be told to refuse
 * the next few messages (451, "try again later") or a recipient for good (550), or to stall:
 * read a message and never answer it, as a mail server that hangs.
 */
export class TestSmtpServer {
	readonly messages: ReceivedTestMail[] = [];
	/** Messages refused so far (with a temporary or permanent error). */
	refused = 0;
	port = 0;
	/** Messages read but not answered (stalling), so never delivered. */
	held = 0;
	#refuseNext: number[] = [];
	#acceptBeforeStall: number | undefined;
	#stalled: Array<(error?: Error) => void> = [];
	#refusedRecipients = new Set<string>();
	#server: SMTPServer;

	constructor() {
		this.#server = new SMTPServer({
			authOptional: true,
			disabledCommands: ['STARTTLS', 'AUTH'],
			logger: false,
			onRcptTo: (address, _session, callback) => {
				if (this.#refusedRecipients.has(address.address.toLowerCase())) {
					this.refused++;
					callback(smtpError('No such mailbox here', 550));
					return;
				}
				callback();
			},
			onData: (stream, _session, callback) => {
				if (this.#acceptBeforeStall !== undefined && this.#acceptBeforeStall-- <= 0) {
					// Read it all, then say nothing: the sender waits, as on a server that hangs.
					stream.on('end', () => {
						this.held++;
						this.#stalled.push(callback);
					});
					stream.resume();
					return;
				}
				const code = this.#refuseNext.shift();
				if (code !== undefined) {
					// Read the message to its end before refusing, as SMTP requires.
					stream.on('end', () => {
						this.refused++;
						callback(smtpError('Try again later', code));
					});
					stream.resume();
					return;
				}
				simpleParser(stream).then(
					(parsed) => {
						const toField = Array.isArray(parsed.to) ? parsed.to : parsed.to ? [parsed.to] : [];
						const outboxId = parsed.headers.get(OUTBOX_ID_HEADER.toLowerCase());
						this.messages.push({
							outboxId: typeof outboxId === 'string' ? outboxId : '',
							messageId: parsed.messageId ?? '',
							to: toField.flatMap((a) => a.value.map((v) => (v.address ?? '').toLowerCase())),
							from: parsed.from?.text ?? '',
							subject: parsed.subject ?? '',
							text: parsed.text ?? '',
							html: typeof parsed.html === 'string' ? parsed.html : '',
							attachments: parsed.attachments.map((a) => ({
								filename: a.filename,
								contentType: a.contentType,
								content: a.content
							})),
							headers: Object.fromEntries(
								parsed.headerLines.map((h) => [
									h.key,
									h.line
										.slice(h.line.indexOf(':') + 1)
										.replace(/\r?\n[ \t]+/g, ' ')
										.trim()
								])
							)
						});
						callback();
					},
					(error: Error) => callback(error)
				);
			}
		});
		// A client dropping its connection must not fail the spec.
		this.#server.on('error', () => {});
	}

	/** Refuses the next `count` messages with `code` (451 = try again later). */
	refuseNext(count: number, code = 451): void {
		for (let i = 0; i < count; i++) this.#refuseNext.push(code);
	}

	/** Refuses every message to `address` at RCPT TO with 550 (no such mailbox). */
	refuseRecipient(address: string): void {
		this.#refusedRecipients.add(address.toLowerCase());
	}

	/** Accepts the next `count` messages, then stalls on every one after until `resume()`. */
	stallAfter(count: number): void {
		this.#acceptBeforeStall = count;
	}

	/** Stops stalling; the messages held so far are refused (451) and were never delivered. */
	resume(): void {
		this.#acceptBeforeStall = undefined;
		for (const callback of this.#stalled.splice(0)) callback(smtpError('Try again later', 451));
	}

	reset(): void {
		this.resume();
		this.messages.length = 0;
		this.refused = 0;
		this.held = 0;
		this.#refuseNext = [];
		this.#refusedRecipients.clear();
	}

	async start(): Promise<void> {
		await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', () => resolve()));
		const address = this.#server.server.address();
		if (!address || typeof address === 'string') throw new Error('SMTP server has no port');
		this.port = address.port;
	}

	async stop(): Promise<void> {
		await new Promise<void>((resolve) => this.#server.close(() => resolve()));
	}

	get url(): string {
		return `smtp://127.0.0.1:${this.port}`;
	}
}

/** Waits until `condition` holds, checking every 20 ms; fails after `timeoutMs`. */
export async function waitUntil(
	condition: () => boolean | Promise<boolean>,
	timeoutMs = 10_000,
	what = 'condition'
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await condition())) {
		if (Date.now() > deadline)
			throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}
