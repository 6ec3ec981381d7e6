import type { PersonalDataRegistration } from '../your-data/your-data.types';

// What notifications keep about a member: what they were told of, and their choices. A member
// who caused someone else's notification is named only as its actor, which goes with them.

export const notification: PersonalDataRegistration = {
	feature: 'notifications',
	table: 'notification',
	personColumns: ['recipient_id', 'actor_id'],
	kind: 'personal',
	onDelete:
		'Your notifications are deleted. Notifications you caused for others no longer point to you.',
	exportAs: 'notifications',
	async export(db, person) {
		const rows = await db
			.selectFrom('notification')
			.select([
				'kind',
				'title',
				'url',
				'count',
				'on_site',
				'email_state',
				'read_at',
				'created_at',
				'updated_at'
			])
			.where('recipient_id', '=', person.id)
			.orderBy('created_at')
			.execute();
		return rows.map((r) => ({
			kind: r.kind,
			title: r.title,
			address: r.url,
			howMany: Number(r.count),
			shownOnTheSite: r.on_site === 1,
			email: r.email_state,
			readAt: r.read_at,
			createdAt: r.created_at,
			updatedAt: r.updated_at
		}));
	},
	async erase(trx, { person }) {
		const mine = await trx
			.deleteFrom('notification')
			.where('recipient_id', '=', person.id)
			.executeTakeFirst();
		const caused = await trx
			.updateTable('notification')
			.set({ actor_id: null })
			.where('actor_id', '=', person.id)
			.executeTakeFirst();
		return Number(mine.numDeletedRows) + Number(caused.numUpdatedRows);
	}
};

export const notificationPreference: PersonalDataRegistration = {
	feature: 'notifications',
	table: 'notification_preference',
	personColumns: ['user_id'],
	kind: 'personal',
	onDelete: 'Your choices of what we tell you about are deleted.',
	exportAs: 'notificationChoices',
	async export(db, person) {
		return db
			.selectFrom('notification_preference')
			.select(['kind', 'site', 'email', 'updated_at'])
			.where('user_id', '=', person.id)
			.orderBy('kind')
			.execute()
			.then((rows) =>
				rows.map((r) => ({
					kind: r.kind,
					onTheSite: r.site === 1,
					byEmail: r.email === 1,
					updatedAt: r.updated_at
				}))
			);
	},
	async erase(trx, { person }) {
		const result = await trx
			.deleteFrom('notification_preference')
			.where('user_id', '=', person.id)
			.executeTakeFirst();
		return Number(result.numDeletedRows);
	}
};

export const notificationSetting: PersonalDataRegistration = {
	feature: 'notifications',
	table: 'notification_setting',
	personColumns: ['user_id'],
	kind: 'personal',
	onDelete: 'Your choice of how often we email you is deleted.',
	exportAs: 'notificationEmails',
	async export(db, person) {
		const row = await db
			.selectFrom('notification_setting')
			.select(['email_frequency', 'last_summary_at', 'updated_at'])
			.where('user_id', '=', person.id)
			.executeTakeFirst();
		return row
			? {
					emailComes: row.email_frequency === 'immediate' ? 'at once' : 'in a daily summary',
					lastSummarySentAt: row.last_summary_at,
					updatedAt: row.updated_at
				}
			: null;
	},
	async erase(trx, { person }) {
		const result = await trx
			.deleteFrom('notification_setting')
			.where('user_id', '=', person.id)
			.executeTakeFirst();
		return Number(result.numDeletedRows);
	}
};

export const NOTIFICATIONS_PERSONAL_DATA: readonly PersonalDataRegistration[] = [
	notification,
	notificationPreference,
	notificationSetting
];
