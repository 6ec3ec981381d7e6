import type { Insertable, Selectable, Updateable } from 'kysely';

export const ORGANISATION_ROLES = ['admin', 'member'] as const;
/** A person's role inside one organisation (separate from their site-wide role). */
export type OrganisationRole = (typeof ORGANISATION_ROLES)[number];

export interface OrganisationTable {
	id: string;
	/** Set once from the name; the public address is /organisations/<slug>. */
	slug: string;
	name: string;
	description: string;
	/** An http(s) address, or null. */
	website: string | null;
	/** The logo (an image id); its text alternative is the organisation's name. */
	logo_image_id: string | null;
	created_by: string | null;
	created_at: string;
	updated_at: string;
}

export interface OrganisationMemberTable {
	organisation_id: string;
	user_id: string;
	role: OrganisationRole;
	joined_at: string;
}

export interface OrganisationInviteTable {
	id: string;
	organisation_id: string;
	/** Lower-cased address the invitation was sent to. */
	email: string;
	role: OrganisationRole;
	/** SHA-256 (base64url) of the emailed token. */
	token_hash: string;
	invited_by: string | null;
	created_at: string;
	expires_at: string;
	accepted_at: string | null;
}

export type Organisation = Selectable<OrganisationTable>;
export type NewOrganisation = Insertable<OrganisationTable>;
export type OrganisationUpdate = Updateable<OrganisationTable>;
export type OrganisationMember = Selectable<OrganisationMemberTable>;
export type NewOrganisationMember = Insertable<OrganisationMemberTable>;
export type OrganisationInvite = Selectable<OrganisationInviteTable>;
export type NewOrganisationInvite = Insertable<OrganisationInviteTable>;

export interface OrganisationsTables {
	organisation: OrganisationTable;
	organisation_member: OrganisationMemberTable;
	organisation_invite: OrganisationInviteTable;
}
