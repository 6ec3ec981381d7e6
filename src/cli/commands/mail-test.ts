import { logger } from '../../lib/server/logger';
import { claimDueMail } from '../../lib/server/mail/mail.repository';
import { deliverClaimedMail } from '../../lib/server/mail/mail.worker';
import { enqueueMail } from '../../lib/server/mail/outbox';
import { renderMail } from '../../lib/server/mail/templates';
import { createMailTransport } from '../../lib/server/mail/transport';
import { UsageError, parseOptions, type Command } from '../command';

/**
 * `mail:test --to ADDRESS`: puts a test mail in the outbox and sends it at once through the
 * configured transport (SMTP_URL, or an .eml file), saying what happened.
 */
export const mailTest: Command = {
	name: 'mail:test',
	summary: 'Send a test email now, to check the mail settings',
	usage: 'mail:test --to ADDRESS',
	async run(args, ctx) {
		const { to } = parseOptions(args, { to: { type: 'string' } }, ['to']);
		if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(to))
			throw new UsageError(`"${to}" does not look like an email address.`);
		const { siteName, origin } = ctx.config;
		const { text, html } = renderMail({
			siteName,
			greeting: 'Hello,',
			paragraphs: [
				`This is a test message from ${siteName}.`,
				'If you can read it, the mail settings work.'
			],
			action: { label: `Open ${siteName}`, url: origin }
		});
		const { db } = ctx.database;
		// Claimed in the same transaction, so a running app's mail worker cannot take it.
		const [mail] = await db.transaction().execute(async (trx) => {
			const id = await enqueueMail(trx, {
				to,
				subject: `Test message from ${siteName}`,
				text,
				html,
				kind: 'cli.mail-test'
			});
			const now = Date.now();
			return claimDueMail(trx, {
				id,
				now: new Date(now).toISOString(),
				lockedUntil: new Date(now + 5 * 60_000).toISOString(),
				limit: 1
			});
		});
		if (!mail) throw new Error('the test mail could not be claimed for sending');

		// The command reports for itself; keep the log for real problems.
		const log = logger.child({}, { level: 'silent' });
		const transport = createMailTransport(ctx.config, log);
		try {
			const delivery = await deliverClaimedMail(db, transport, mail, { maxAttempts: 1, log });
			if (delivery.status !== 'sent') {
				ctx.stderr.write(
					`Could not send the test mail through ${transport.describe}:\n  ${delivery.error}\n`
				);
				return 1;
			}
			ctx.stdout.write(
				ctx.config.smtpUrl
					? `Sent a test mail to ${to} through ${delivery.destination} (Message-Id ${delivery.messageId}).\n`
					: `SMTP_URL is not set, so the test mail for ${to} was written to ${delivery.destination}\n`
			);
			return 0;
		} finally {
			transport.close();
		}
	}
};
