import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { nowIso } from '../ids';

/** The demo's sent announcement, at a fixed address (idempotent). */
export const DEMO_ANNOUNCEMENT_ID = 'demo-announcement-spring';

/**
 * A sent announcement for the archive. It is stored as sent without mailing anyone: the demo
 * subscribers' addresses are not real.
 */
export async function seedAnnouncements(db: Kysely<DB>): Promise<void> {
	const exists = await db
		.selectFrom('update_announcement')
		.select('id')
		.where('id', '=', DEMO_ANNOUNCEMENT_ID)
		.executeTakeFirst();
	if (exists) return;
	const now = nowIso();
	await db
		.insertInto('update_announcement')
		.values({
			id: DEMO_ANNOUNCEMENT_ID,
			title: 'Our spring gathering, and a new home for the network',
			body: [
				'Hello everyone,',
				'',
				'The network now lives on **CoLab**. Events, posts and these announcements are all in one place.',
				'',
				'## Coming up',
				'',
				'- A spring gathering for everyone who took part this year',
				'- New Knowledge Cafés, hosted by members',
				'',
				'See what is on under Events, and thank you for being part of it.'
			].join('\n'),
			topics: JSON.stringify(['announcements']),
			status: 'sent',
			send_at: now,
			claimed_at: now,
			sent_at: now,
			recipients: 0,
			created_by: null,
			created_at: now
		})
		.execute();
}
