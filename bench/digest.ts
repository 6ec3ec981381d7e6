// The weekly digest for a large list (issue 13), in three steps, each its own process, run by
// bench/run.js through tsx with the server's settings (DATA_DIR or DATABASE_URL):
//
//   tsx bench/digest.ts seed   50,000 subscribers (BENCH_SUBSCRIBERS) on a mix of topics, and a
//                              week's news: 12 new events (the four formats) and 6 new posts
//   tsx bench/digest.ts send   the week's digest composed and queued in the outbox, as the
//                              digest worker does it: time taken, mails, peak memory (VmHWM)
//   tsx bench/digest.ts mail   the mail worker sending the queued digests into an SMTP server
//                              in this process (smtp-server): mails a second, for
//                              BENCH_DIGEST_MAIL_SECONDS (default 20)
//
// Each step prints one JSON line.
import fs from 'node:fs';
import { SMTPServer } from 'smtp-server';
import { readConfig } from '../src/lib/server/config';
import { openConfiguredDatabase } from '../src/lib/server/app';
import { isPostgres } from '../src/lib/server/db/database';
import { migrateToLatest } from '../src/lib/server/db/migrate';
import { newId, nowIso } from '../src/lib/server/ids';
import { hashAddress } from '../src/lib/server/updates/updates.service';
import { sendDueDigest } from '../src/lib/server/updates/digest.service';
import { DIGEST_DAY_SETTING, DIGEST_TIME_SETTING } from '../src/lib/server/updates/digest.schedule';
import { startMailWorker } from '../src/lib/server/mail/mail.worker';
import { createSmtpTransport } from '../src/lib/server/mail/transport';
import { sql } from 'kysely';

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS || 50_000);
const MAIL_SECONDS = Number(process.env.BENCH_DIGEST_MAIL_SECONDS || 20);
const BATCH = 500;
const DAY = 86_400_000;
const SITE = { siteName: 'CoLab Bench', origin: 'https://colab.bench' };

function peakRssMb(): number {
	const status = fs.readFileSync('/proc/self/status', 'utf8');
	return Number(/VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1]) / 1024;
}

/** The send time the seed sets: midnight UTC tomorrow, and a minute after it. */
function sendTime(): { day: number; at: string } {
	const tomorrow = new Date(Date.now() + DAY);
	return {
		day: tomorrow.getUTCDay(),
		at: new Date(Date.parse(tomorrow.toISOString().slice(0, 10)) + 60_000).toISOString()
	};
}

const step = process.argv[2];
// What the process holds before the work (node, tsx and the app's modules), to set the peak beside.
const rssAtStartMb = process.memoryUsage().rss / 1024 / 1024;
const config = readConfig();
const database = openConfiguredDatabase(config);
const db = database.db;
try {
	if (step === 'seed') {
		await migrateToLatest(db);
		const started = Date.now();
		const now = nowIso();
		const formats = (await db.selectFrom('event_format').select('id').execute()).map((f) => f.id);
		const adminId = newId();
		await db
			.insertInto('app_user')
			.values({
				id: adminId,
				email: 'digest-admin@example.test',
				email_verified: isPostgres(db) ? true : 1,
				name: 'Digest Admin',
				image: null,
				role: 'administrator',
				created_at: now,
				updated_at: now
			})
			.execute();
		// Topics: half all events, a quarter one format, a quarter posts only.
		const topicsFor = (i: number): string[] =>
			i % 4 === 0 || i % 4 === 1
				? ['events', 'announcements']
				: i % 4 === 2
					? [`format:${formats[i % formats.length]}`]
					: ['posts'];
		for (let start = 0; start < SUBSCRIBERS; start += BATCH) {
			const rows = [];
			const topics = [];
			for (let i = start; i < Math.min(start + BATCH, SUBSCRIBERS); i++) {
				const email = `reader-${String(i).padStart(6, '0')}@example.test`;
				const id = newId();
				rows.push({
					id,
					email,
					email_hash: hashAddress(email),
					status: 'subscribed' as const,
					pending_topics: null,
					confirm_token_hash: null,
					confirm_expires_at: null,
					consented_at: now,
					consent_method: 'import' as const,
					consent_detail: 'bench',
					created_at: now,
					updated_at: now
				});
				for (const topic of topicsFor(i)) topics.push({ subscriber_id: id, topic });
			}
			await db.insertInto('update_subscriber').values(rows).execute();
			await db.insertInto('update_subscriber_topic').values(topics).execute();
		}
		for (let i = 0; i < 12; i++) {
			const starts = new Date(Date.now() + (3 + i) * DAY).toISOString();
			const ends = new Date(Date.parse(starts) + 2 * 3_600_000).toISOString();
			await db
				.insertInto('event')
				.values({
					id: newId(),
					title: `Bench digest event ${i + 1}`,
					format_id: formats[i % formats.length]!,
					description: 'An evening to share practice.',
					summary: 'An evening to share practice.',
					starts_at: starts,
					ends_at: ends,
					time_band: 'evening',
					mode: 'in_person',
					venue_name: 'Riverside Library',
					venue_address: '1 High Street',
					access_notes: null,
					access_step_free: 1,
					access_hearing_loop: 0,
					access_accessible_toilet: 1,
					access_quiet_room: 0,
					access_parking: 0,
					access_public_transport: 1,
					online_url: null,
					host_id: adminId,
					organisation_id: null,
					capacity: 30,
					reserved_places: 0,
					places_taken: 0,
					registration_opens_at: null,
					registration_closes_at: null,
					status: 'scheduled',
					visibility: 'public',
					approval: 'approved',
					approved_by: null,
					cancelled_at: null,
					cancel_reason: null,
					reminder_day_sent_at: null,
					reminder_hour_sent_at: null,
					record_summary: null,
					record_attendance: null,
					record_outcomes: null,
					record_links: null,
					recorded_at: null,
					cover_image_id: null,
					cover_alt: null,
					cafe_vote_closed_at: null,
					created_at: now,
					updated_at: now
				})
				.execute();
		}
		for (let i = 0; i < 6; i++) {
			const id = newId();
			await db
				.insertInto('post')
				.values({
					id,
					slug: `bench-post-${i + 1}`,
					author_id: adminId,
					organisation_id: null,
					event_id: null,
					title: `What we learnt, part ${i + 1}`,
					body: 'Notes from the **evening**, and what we will try next.',
					word_count: 10,
					first_image_id: null,
					status: 'published',
					published_at: now,
					featured_at: null,
					comments_closed: 0,
					hidden_at: null,
					version: 1,
					created_at: now,
					updated_at: now
				})
				.execute();
		}
		const { day } = sendTime();
		await db
			.insertInto('instance_setting')
			.values([
				{ key: DIGEST_DAY_SETTING, value: String(day) },
				{ key: DIGEST_TIME_SETTING, value: '00:00' }
			])
			.execute();
		if (isPostgres(db)) await sql`vacuum (analyze)`.execute(db);
		console.log(
			JSON.stringify({ subscribers: SUBSCRIBERS, seconds: (Date.now() - started) / 1000 })
		);
	} else if (step === 'send') {
		const started = Date.now();
		const { digestMails } = await sendDueDigest(db, SITE, 'UTC', sendTime().at);
		console.log(
			JSON.stringify({
				mails: digestMails,
				seconds: (Date.now() - started) / 1000,
				rssAtStartMb,
				peakRssMb: peakRssMb()
			})
		);
	} else if (step === 'mail') {
		let received = 0;
		const server = new SMTPServer({
			authOptional: true,
			disabledCommands: ['STARTTLS', 'AUTH'],
			logger: false,
			onData(stream, _session, callback) {
				stream.on('end', () => {
					received++;
					callback();
				});
				stream.resume();
			}
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const address = server.server.address();
		const port = typeof address === 'object' && address ? address.port : 0;
		const worker = startMailWorker(db, {
			transport: createSmtpTransport(`smtp://127.0.0.1:${port}`, 'CoLab <colab@colab.bench>'),
			pollMs: 100,
			batchSize: 50
		});
		const started = Date.now();
		while (Date.now() - started < MAIL_SECONDS * 1000) await new Promise((r) => setTimeout(r, 250));
		const seconds = (Date.now() - started) / 1000;
		const got = received;
		await worker.stop();
		await new Promise<void>((resolve) => server.close(() => resolve()));
		console.log(
			JSON.stringify({
				mails: got,
				seconds,
				perSecond: got / seconds,
				peakRssMb: peakRssMb()
			})
		);
	} else {
		console.error('usage: tsx bench/digest.ts seed|send|mail');
		process.exitCode = 2;
	}
} finally {
	await database.close();
}
