import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

export interface ReceivedMail {
	to: string[];
	from: string;
	subject: string;
	text: string;
	html: string;
	/** Every http(s) link in the plain-text part, in order. */
	links: string[];
	attachments: Array<{ filename?: string; contentType: string; content: Buffer }>;
	/** Each header as sent, by lower-cased name (e.g. list-unsubscribe), without its name. */
	headers: Record<string, string>;
}

/**
 * A real SMTP server, in the test process, that keeps every message the app sends so a journey
 * can read it (as a person reads their inbox).
 */
export class Mailbox {
	readonly messages: ReceivedMail[] = [];
	#server: SMTPServer;
	port = 0;

	constructor() {
		this.#server = new SMTPServer({
			authOptional: true,
			disabledCommands: ['STARTTLS'],
			logger: false,
			onData: (stream, _session, callback) => {
				simpleParser(stream).then(
					(parsed) => {
						const text = parsed.text ?? '';
						const toField = Array.isArray(parsed.to) ? parsed.to : parsed.to ? [parsed.to] : [];
						this.messages.push({
							to: toField.flatMap((a) => a.value.map((v) => (v.address ?? '').toLowerCase())),
							from: parsed.from?.text ?? '',
							subject: parsed.subject ?? '',
							text,
							html: typeof parsed.html === 'string' ? parsed.html : '',
							links: [...text.matchAll(/https?:\/\/[^\s<>"')\]]+/g)].map((m) => m[0]),
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

	/** Waits (up to `timeoutMs`) for a message to `to` whose subject matches. */
	async waitFor(to: string, subject: RegExp, timeoutMs = 15_000): Promise<ReceivedMail> {
		const deadline = Date.now() + timeoutMs;
		const address = to.toLowerCase();
		while (Date.now() < deadline) {
			const found = this.messages.findLast(
				(m) => m.to.includes(address) && subject.test(m.subject)
			);
			if (found) return found;
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		const seen = this.messages.map((m) => `${m.to.join(',')}: ${m.subject}`).join('\n  ');
		throw new Error(
			`No mail to ${to} matching ${subject} within ${timeoutMs} ms. Seen:\n  ${seen}`
		);
	}

	/** The first link in a message matching `pattern`. */
	static link(mail: ReceivedMail, pattern: RegExp): string {
		const link = mail.links.find((l) => pattern.test(l));
		if (!link) throw new Error(`No link matching ${pattern} in "${mail.subject}":\n${mail.text}`);
		return link;
	}
}
