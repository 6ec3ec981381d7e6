import { readConfig } from '../../config';
import { deleteImages } from '../../uploads/image-store';
import { imageStoreFor } from '../../uploads/uploads';
import type { PersonalDataRegistration } from '../your-data.types';
import { refreshProfileSearch } from '../../profiles/profiles.search';

// The profiles feature's table. Kept here until its owner moves it beside their code.

export const profile: PersonalDataRegistration = {
	feature: 'profiles',
	table: 'profile',
	personColumns: ['user_id'],
	kind: 'personal',
	onDelete: 'Your profile (bio, pronouns, picture and what you chose to show) is deleted.',
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
			updatedAt: row.updated_at,
			picture: row.avatar_image_id ? await avatarForExport(db, row.avatar_image_id) : null
		};
	},
	async erase(trx, { person, afterCommit }) {
		const row = await trx
			.selectFrom('profile')
			.select('avatar_image_id')
			.where('user_id', '=', person.id)
			.executeTakeFirst();
		afterCommit.push(await deleteImages(trx, imageStoreFor(readConfig()), [row?.avatar_image_id]));
		const result = await trx
			.deleteFrom('profile')
			.where('user_id', '=', person.id)
			.executeTakeFirst();
		await refreshProfileSearch(trx, person.id);
		return Number(result.numDeletedRows);
	}
};

/** The picture as it is kept: its largest width, as a data: URL a browser can open. */
async function avatarForExport(
	db: Parameters<NonNullable<PersonalDataRegistration['export']>>[0],
	id: string
) {
	const image = await db
		.selectFrom('image')
		.select(['width', 'height', 'widths', 'created_at'])
		.where('id', '=', id)
		.executeTakeFirst();
	if (!image) return null;
	const largest = await imageStoreFor(readConfig()).read(db, id, image.width);
	return {
		width: image.width,
		height: image.height,
		widthsKept: image.widths.split(',').map(Number),
		addedAt: image.created_at,
		image: largest
			? `data:${largest.contentType};base64,${Buffer.from(largest.data).toString('base64')}`
			: null
	};
}
