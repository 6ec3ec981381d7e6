import type { PersonalDataRegistration } from '../your-data/your-data.types';

// Announcements a curator wrote are public (the archive): they stay, without the writer's name.

export const updateAnnouncement: PersonalDataRegistration = {
	feature: 'updates',
	table: 'update_announcement',
	personColumns: ['created_by'],
	kind: 'contribution',
	onDelete: 'Announcements you sent stay in the archive, without your name.',
	exportAs: 'announcementsYouWrote',
	async export(db, person) {
		const rows = await db
			.selectFrom('update_announcement')
			.select(['id', 'title', 'body', 'status', 'send_at', 'sent_at', 'created_at'])
			.where('created_by', '=', person.id)
			.orderBy('created_at')
			.execute();
		return rows.map((r) => ({ ...r, address: `/updates/archive/${r.id}` }));
	},
	async erase(trx, { person }) {
		const result = await trx
			.updateTable('update_announcement')
			.set({ created_by: null })
			.where('created_by', '=', person.id)
			.executeTakeFirst();
		return Number(result.numUpdatedRows);
	}
};
