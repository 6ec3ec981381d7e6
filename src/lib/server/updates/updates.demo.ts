import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { newId, nowIso } from '../ids';
import {
	findSubscriberByEmail,
	insertSubscriber,
	replaceSubscriberTopics
} from './updates.repository';
import { listTopics } from './updates.topics';
import { hashAddress } from './updates.service';

/** Visitors on the list without an account, as a network moving from its old list would have. */
const DEMO_VISITORS = [
	{ email: 'reader.one@demo.colab.example', topics: ['events', 'announcements'] },
	{ email: 'reader.two@demo.colab.example', topics: ['announcements'] },
	{ email: 'reader.three@demo.colab.example', topics: ['format:knowledge-cafe'] }
];

/**
 * Demo subscribers on several topics: a few visitors, and every other demo member from their
 * account (idempotent: addresses already on the list are left as they are).
 */
export async function seedUpdates(
	db: Kysely<DB>,
	people: ReadonlyArray<{ email: string }>
): Promise<void> {
	const offered = new Set((await listTopics(db)).map((t) => t.key));
	const members = people
		.filter((_, i) => i % 2 === 0)
		.map((p, i) => ({
			email: p.email.toLowerCase(),
			topics: i % 2 === 0 ? ['events'] : ['events', 'announcements'],
			method: 'account' as const
		}));
	const visitors = DEMO_VISITORS.map((v) => ({ ...v, method: 'form' as const }));
	for (const entry of [...visitors, ...members]) {
		if (await findSubscriberByEmail(db, entry.email)) continue;
		const now = nowIso();
		const id = newId();
		await db.transaction().execute(async (trx) => {
			await insertSubscriber(trx, {
				id,
				email: entry.email,
				email_hash: hashAddress(entry.email),
				status: 'subscribed',
				pending_topics: null,
				confirm_token_hash: null,
				confirm_expires_at: null,
				consented_at: now,
				consent_method: entry.method,
				created_at: now,
				updated_at: now
			});
			await replaceSubscriberTopics(
				trx,
				id,
				entry.topics.filter((t) => offered.has(t))
			);
		});
	}
}
