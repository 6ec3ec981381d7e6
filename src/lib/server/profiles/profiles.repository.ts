import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import type { NewProfile, Profile } from './profiles.tables';

type Db = Kysely<DB> | Transaction<DB>;

export async function findProfile(db: Db, userId: string): Promise<Profile | undefined> {
	return db.selectFrom('profile').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

/** Creates the member's profile row, or replaces what it says. */
export async function upsertProfile(db: Db, profile: NewProfile): Promise<void> {
	await db
		.insertInto('profile')
		.values(profile)
		.onConflict((oc) =>
			oc.column('user_id').doUpdateSet({
				bio: profile.bio,
				pronouns: profile.pronouns,
				show_bio: profile.show_bio,
				show_pronouns: profile.show_pronouns,
				show_organisations: profile.show_organisations,
				show_email: profile.show_email,
				updated_at: profile.updated_at
			})
		)
		.execute();
}

/** Sets (or, with null, clears) the member's picture; their profile row exists. */
export async function setAvatar(db: Db, userId: string, imageId: string | null): Promise<void> {
	await db
		.updateTable('profile')
		.set({ avatar_image_id: imageId })
		.where('user_id', '=', userId)
		.execute();
}

/** The display name lives on better-auth's app_user row. */
export async function updateDisplayName(
	db: Db,
	userId: string,
	name: string,
	at: string
): Promise<void> {
	await db.updateTable('app_user').set({ name, updated_at: at }).where('id', '=', userId).execute();
}

export interface PersonWithProfile {
	id: string;
	name: string;
	email: string;
	profile: Profile | null;
}

/** A person and their profile (null when they never saved one). */
export async function findPersonWithProfile(
	db: Db,
	userId: string
): Promise<PersonWithProfile | undefined> {
	const row = await db
		.selectFrom('app_user as u')
		.leftJoin('profile as p', 'p.user_id', 'u.id')
		.select([
			'u.id as id',
			'u.name as name',
			'u.email as email',
			'p.user_id as profileUserId',
			'p.bio as bio',
			'p.pronouns as pronouns',
			'p.show_bio as showBio',
			'p.show_pronouns as showPronouns',
			'p.show_organisations as showOrganisations',
			'p.show_email as showEmail',
			'p.updated_at as updatedAt',
			'p.avatar_image_id as avatarImageId'
		])
		.where('u.id', '=', userId)
		.executeTakeFirst();
	if (!row) return undefined;
	return {
		id: row.id,
		name: row.name,
		email: row.email,
		profile: row.profileUserId
			? {
					user_id: row.profileUserId,
					bio: row.bio,
					pronouns: row.pronouns,
					show_bio: Number(row.showBio),
					show_pronouns: Number(row.showPronouns),
					show_organisations: Number(row.showOrganisations),
					show_email: Number(row.showEmail),
					updated_at: row.updatedAt ?? '',
					avatar_image_id: row.avatarImageId
				}
			: null
	};
}
