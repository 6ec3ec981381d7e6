/** Site-wide roles, weakest first. */
export const ROLES = ['member', 'curator', 'administrator'] as const;
export type Role = (typeof ROLES)[number];

/** What the rest of the app knows about the signed-in person. */
export interface SessionUser {
	id: string;
	name: string;
	email: string;
	emailVerified: boolean;
	role: Role;
}
