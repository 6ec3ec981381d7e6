// One real mail worker in a process of its own, for the spec that kills a sender mid-batch
// (mail.worker.crash.spec.ts). Run with tsx; settings come from the environment:
//   MAIL_CHILD_DATABASE  a PostgreSQL URL, or the path of a SQLite file
//   MAIL_CHILD_SMTP_URL  the SMTP server to send to
//   MAIL_CHILD_CLAIM_MS  the worker's claim time (unset: the worker's default)
//   MAIL_CHILD_BATCH     rows claimed at a time
// It prints one line of JSON, { "workerId": … }, once the worker runs.
import pino from 'pino';
import { isPostgresUrl, openDatabase } from '../db/database';
import { startMailWorker } from './mail.worker';
import { createSmtpTransport } from './transport';

const target = process.env.MAIL_CHILD_DATABASE ?? '';
const smtpUrl = process.env.MAIL_CHILD_SMTP_URL ?? '';
if (!target || !smtpUrl) throw new Error('MAIL_CHILD_DATABASE and MAIL_CHILD_SMTP_URL are needed');
const claimMs = process.env.MAIL_CHILD_CLAIM_MS;

const database = isPostgresUrl(target)
	? openDatabase({ databaseUrl: target, poolSize: 2 })
	: openDatabase({ sqlitePath: target });
const worker = startMailWorker(database.db, {
	transport: createSmtpTransport(smtpUrl, 'CoLab Spec <colab@example.test>'),
	pollMs: 25,
	batchSize: Number(process.env.MAIL_CHILD_BATCH ?? 10),
	...(claimMs ? { lockMs: Number(claimMs) } : {}),
	// Standard output carries only the line the spec reads.
	log: pino({ level: 'warn' }, pino.destination(2))
});
process.stdout.write(`${JSON.stringify({ workerId: worker.id })}\n`);
