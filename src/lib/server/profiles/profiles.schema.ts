import { z } from 'zod';

export const BIO_MAX = 500;
export const PRONOUNS_MAX = 40;
export const DISPLAY_NAME_MAX = 100;

/** A checkbox: ticked sends "on", unticked sends nothing. */
const choice = z
	.unknown()
	.optional()
	.transform((value) => value === 'on' || value === true);

export const profileSchema = z.object({
	name: z
		.string({ error: 'Enter your name' })
		.trim()
		.min(1, 'Enter your name')
		.max(DISPLAY_NAME_MAX, `Name must be ${DISPLAY_NAME_MAX} characters or fewer`),
	pronouns: z
		.string()
		.trim()
		.max(PRONOUNS_MAX, `Pronouns must be ${PRONOUNS_MAX} characters or fewer`)
		.optional()
		.default(''),
	bio: z
		.string()
		.trim()
		.max(BIO_MAX, `About you must be ${BIO_MAX} characters or fewer`)
		.optional()
		.default(''),
	showBio: choice,
	showPronouns: choice,
	showOrganisations: choice,
	showEmail: choice
});
export type ProfileInput = z.output<typeof profileSchema>;
