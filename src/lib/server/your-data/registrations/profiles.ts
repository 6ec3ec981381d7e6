import type { PersonalDataRegistration } from '../your-data.types';

// The profiles feature's table. Kept here until its owner moves it beside their code.

export const profile: PersonalDataRegistration = {
	feature: 'profiles',
	table: 'profile',
	personColumns: ['user_id'],
	kind: 'personal',
	onDelete: 'Your profile (bio, pronouns and what you chose to show) is deleted.',
	exportAs: 'profile',
	async export(db, person) {
		const row = await db
			.selectFrom('profile')
			.selectAll()
			.where('user_id', '=', person.id)
			.executeTakeFirst();
		if (!row) return null;
		return {
			bio: row.bio,
			pronouns: row.pronouns,
			showBio: row.show_bio === 1,
			showPronouns: row.show_pronouns === 1,
			showOrganisations: row.show_organisations === 1,
			showEmailToMembers: row.show_email === 1,
			updatedAt: row.updated_at
		};
	},
	async erase(trx, { person }) {
		const result = await trx
			.deleteFrom('profile')
			.where('user_id', '=', person.id)
			.executeTakeFirst();
		return Number(result.numDeletedRows);
	}
};
