import type { PersonalDataRegistration } from '../your-data/your-data.types';

// The reports someone sent are theirs (what, why, their note). Decisions about their own
// writing and suspensions are about them; the curators' side stays, without the person.

export const contentReport: PersonalDataRegistration = {
	feature: 'moderation',
	table: 'content_report',
	personColumns: ['reporter_id'],
	kind: 'personal',
	onDelete: 'Your reports are removed.',
	exportAs: 'reportsYouSent',
	async export(db, person) {
		return db
			.selectFrom('content_report')
			.select(['kind', 'target_id', 'reason', 'note', 'created_at', 'resolved_at'])
			.where('reporter_id', '=', person.id)
			.orderBy('created_at')
			.execute();
	},
	async erase(trx, { person }) {
		const result = await trx
			.deleteFrom('content_report')
			.where('reporter_id', '=', person.id)
			.executeTakeFirst();
		return Number(result.numDeletedRows);
	}
};

export const moderationItem: PersonalDataRegistration = {
	feature: 'moderation',
	table: 'moderation_item',
	personColumns: ['author_id', 'decided_by'],
	kind: 'personal',
	onDelete:
		'Curators’ records of reports about your writing, and of decisions you made as a curator, no longer name you.',
	exportAs: 'reportedWritingOfYours',
	async export(db, person) {
		return db
			.selectFrom('moderation_item')
			.select(['kind', 'target_id', 'status', 'hidden_at', 'decision', 'decided_at'])
			.where('author_id', '=', person.id)
			.orderBy('last_reported_at')
			.execute();
	},
	async erase(trx, { person }) {
		const authored = await trx
			.updateTable('moderation_item')
			.set({ author_id: null })
			.where('author_id', '=', person.id)
			.executeTakeFirst();
		const decided = await trx
			.updateTable('moderation_item')
			.set({ decided_by: null })
			.where('decided_by', '=', person.id)
			.executeTakeFirst();
		return Number(authored.numUpdatedRows) + Number(decided.numUpdatedRows);
	}
};

export const postingSuspension: PersonalDataRegistration = {
	feature: 'moderation',
	table: 'posting_suspension',
	personColumns: ['user_id', 'created_by'],
	kind: 'personal',
	onDelete:
		'Any suspension from posting is removed; suspensions you gave as a curator no longer name you.',
	exportAs: 'suspensionsFromPosting',
	async export(db, person) {
		return db
			.selectFrom('posting_suspension')
			.select(['ends_at', 'created_at'])
			.where('user_id', '=', person.id)
			.orderBy('created_at')
			.execute();
	},
	async erase(trx, { person }) {
		const own = await trx
			.deleteFrom('posting_suspension')
			.where('user_id', '=', person.id)
			.executeTakeFirst();
		const given = await trx
			.updateTable('posting_suspension')
			.set({ created_by: null })
			.where('created_by', '=', person.id)
			.executeTakeFirst();
		return Number(own.numDeletedRows) + Number(given.numUpdatedRows);
	}
};

export const MODERATION_PERSONAL_DATA = [contentReport, moderationItem, postingSuspension] as const;
