import type { Kysely } from 'kysely';
import { isPerson, assertCan, type Actor } from '../auth/auth.permissions';
import { changeContent } from '../cache/content-version';
import { refreshProfileSearch } from './profiles.search';
import { refreshChampionSearchOfPerson } from '../champions/champions.search';
import type { DB } from '../db/schema';
import { fieldErrors, type FieldErrors } from '../forms';
import { nowIso } from '../ids';
import {
	listOrganisationsOfPerson,
	type PersonsOrganisation
} from '../organisations/organisations.service';
import { canEditProfile, canSeeProfileEmail } from './profiles.permissions';
import {
	findPersonWithProfile,
	findProfile,
	setAvatar,
	updateDisplayName,
	upsertProfile
} from './profiles.repository';
import { findImage, stagePicture } from '../uploads/image-store';
import { readPictureEntry, type PictureField } from '../uploads/uploads';
import { toPicture, type Picture } from '$lib/pictures';
import { profileSchema, type ProfileInput } from './profiles.schema';

/** The signed-in member's profile as their edit form shows it (everything hidden at first). */
export async function getOwnProfile(
	db: Kysely<DB>,
	actor: Actor | null
): Promise<ProfileInput & { id: string; avatar: Picture | null }> {
	assertCan(isPerson(actor), 'Sign in to see your profile.');
	const person = await findPersonWithProfile(db, actor.id);
	if (!person) throw new Error(`signed-in person ${actor.id} has no app_user row`);
	const p = person.profile;
	return {
		id: person.id,
		name: person.name,
		bio: p?.bio ?? '',
		pronouns: p?.pronouns ?? '',
		showBio: p?.show_bio === 1,
		showPronouns: p?.show_pronouns === 1,
		showOrganisations: p?.show_organisations === 1,
		showEmail: p?.show_email === 1,
		avatar: await avatarOf(db, p?.avatar_image_id)
	};
}

/** A person's picture; the name beside it says who it is, so its own alternative is empty. */
async function avatarOf(db: Kysely<DB>, id: string | null | undefined): Promise<Picture | null> {
	return id ? toPicture(await findImage(db, id), '') : null;
}

export type UpdateProfileResult =
	{ ok: true; profile: ProfileInput } | { ok: false; reason: 'invalid'; errors: FieldErrors };

/**
 * Saves the member's display name, bio, pronouns and what their public profile shows. Their
 * name appears on public pages, so the page cache is told.
 */
export async function updateProfile(
	db: Kysely<DB>,
	actor: Actor | null,
	input: unknown,
	avatarField?: PictureField
): Promise<UpdateProfileResult> {
	assertCan(isPerson(actor) && canEditProfile(actor, actor.id), 'Sign in to change your profile.');
	const parsed = profileSchema.safeParse(input);
	const upload = avatarField
		? await readPictureEntry(avatarField.entry, avatarField.limit)
		: ({ kind: 'none' } as const);
	if (!parsed.success || upload.kind === 'refused') {
		const errors: FieldErrors = parsed.success ? {} : fieldErrors(parsed.error);
		if (upload.kind === 'refused') errors.avatar = upload.message;
		return { ok: false, reason: 'invalid', errors };
	}
	const data = parsed.data;
	const now = nowIso();
	const picture = upload.kind === 'new' ? upload.picture : undefined;
	const removeAvatar =
		!picture && (input as Record<string, unknown> | null)?.removeAvatar === 'yes';
	const pictures = await stagePicture(avatarField?.store, picture);
	const changed = changeContent(db, async (trx) => {
		await updateDisplayName(trx, actor.id, data.name, now);
		// A champion's entry in search is titled with their name.
		await refreshChampionSearchOfPerson(trx, actor.id);
		await upsertProfile(trx, {
			user_id: actor.id,
			bio: data.bio || null,
			pronouns: data.pronouns || null,
			show_bio: data.showBio ? 1 : 0,
			show_pronouns: data.showPronouns ? 1 : 0,
			show_organisations: data.showOrganisations ? 1 : 0,
			show_email: data.showEmail ? 1 : 0,
			updated_at: now
		});
		if (picture || removeAvatar) {
			const before = await findProfile(trx, actor.id);
			await setAvatar(trx, actor.id, picture ? await pictures.save(trx) : null);
			await pictures.retire(trx, before?.avatar_image_id);
		}
		await refreshProfileSearch(trx, actor.id);
		return { ok: true as const, profile: data };
	});
	return pictures.settle(changed);
}

/** What a public profile page shows: only what the member chose, nothing else. */
export interface PublicProfile {
	id: string;
	name: string;
	pronouns: string | null;
	bio: string | null;
	/** Present only for signed-in viewers, and only when the member chose to show it. */
	email: string | null;
	/** Null when the member chose not to show their organisations. */
	organisations: Array<Pick<PersonsOrganisation, 'slug' | 'name'>> | null;
	/** The viewer is looking at their own profile. */
	isOwn: boolean;
	/** Their picture, or null for their initials. */
	avatar: Picture | null;
}

/** A member's public profile as `viewer` (null for a visitor) may see it. */
export async function getPublicProfile(
	db: Kysely<DB>,
	viewer: Actor | null,
	userId: string
): Promise<PublicProfile | undefined> {
	const person = await findPersonWithProfile(db, userId);
	if (!person) return undefined;
	const p = person.profile;
	const organisations =
		p?.show_organisations === 1
			? (await listOrganisationsOfPerson(db, userId)).map(({ slug, name }) => ({ slug, name }))
			: null;
	return {
		id: person.id,
		name: person.name,
		pronouns: p?.show_pronouns === 1 ? p.pronouns || null : null,
		bio: p?.show_bio === 1 ? p.bio || null : null,
		email: canSeeProfileEmail(viewer, p) ? person.email : null,
		organisations,
		isOwn: isPerson(viewer) && viewer.id === userId,
		avatar: await avatarOf(db, p?.avatar_image_id)
	};
}
