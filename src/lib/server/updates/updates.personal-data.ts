import type { PersonalDataRegistration } from '../your-data/your-data.types';
import { updateAnnouncement } from './announcements.personal-data';
import { suppress } from './updates.repository';
import { hashAddress } from './updates.service';

// What email updates keep about a member (found by their account's address, as a visitor who
// later joins keeps their subscription). Topics and mailed links go with the subscriber row.

export const updateSubscriber: PersonalDataRegistration = {
	feature: 'updates',
	table: 'update_subscriber',
	personColumns: [],
	kind: 'personal',
	onDelete:
		'Your email updates stop and your address is removed from the list. A scrambled form of it stays on our do-not-mail list, so nobody can sign it up again without you confirming.',
	exportAs: 'emailUpdates',
	async export(db, person) {
		const subscriber = await db
			.selectFrom('update_subscriber')
			.select([
				'id',
				'email',
				'status',
				'consented_at',
				'consent_method',
				'consent_detail',
				'created_at'
			])
			.where('email', '=', person.email.toLowerCase())
			.executeTakeFirst();
		if (!subscriber) return null;
		const topics = await db
			.selectFrom('update_subscriber_topic')
			.select('topic')
			.where('subscriber_id', '=', subscriber.id)
			.orderBy('topic')
			.execute();
		const { id: _id, ...rest } = subscriber;
		return { ...rest, topics: topics.map((t) => t.topic) };
	},
	async erase(trx, { person }) {
		const result = await trx
			.deleteFrom('update_subscriber')
			.where('email', '=', person.email.toLowerCase())
			.executeTakeFirst();
		const removed = Number(result.numDeletedRows);
		if (removed)
			await suppress(trx, hashAddress(person.email), 'unsubscribed', new Date().toISOString());
		return removed;
	}
};

export const UPDATES_PERSONAL_DATA: readonly PersonalDataRegistration[] = [
	updateSubscriber,
	updateAnnouncement
];
