import type { Insertable, Selectable, Updateable } from 'kysely';

/**
 * What a member chooses to say about themselves and what to show. Their display name stays on
 * app_user.name (better-auth's table). Flags are 0/1 and start at 0: nothing is shown until the
 * member chooses it.
 */
export interface ProfileTable {
	user_id: string;
	bio: string | null;
	pronouns: string | null;
	show_bio: number;
	show_pronouns: number;
	show_organisations: number;
	/** Shown to signed-in members only, never to visitors. */
	show_email: number;
	/** Their picture (an image id); initials are shown without one. */
	avatar_image_id: string | null;
	updated_at: string;
}

export type Profile = Selectable<ProfileTable>;
export type NewProfile = Insertable<ProfileTable>;
export type ProfileUpdate = Updateable<ProfileTable>;

export interface ProfilesTables {
	profile: ProfileTable;
}
