import { z } from 'zod';

export const BIO_MAX = 500;
export const PRONOUNS_MAX = 40;
export const DISPLAY_NAME_MAX = 100;

/** The parts of a profile a member may choose to show, as the form's checkbox values. */
export const SHOWABLE = ['bio', 'pronouns', 'organisations', 'email'] as const;
export type Showable = (typeof SHOWABLE)[number];

/** Ticked checkboxes: one value, several, or none at all (nothing is sent). */
const shown = z
	.union([z.string(), z.array(z.string())])
	.optional()
	.transform((value) => new Set(value === undefined ? [] : Array.isArray(value) ? value : [value]));

export const profileSchema = z
	.object({
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
		show: shown
	})
	.transform(({ show, ...rest }) => ({
		...rest,
		showBio: show.has('bio'),
		showPronouns: show.has('pronouns'),
		showOrganisations: show.has('organisations'),
		showEmail: show.has('email')
	}));
export type ProfileInput = z.output<typeof profileSchema>;
