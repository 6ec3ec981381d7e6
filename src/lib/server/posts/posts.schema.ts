import { z } from 'zod';

/** The longest post, in characters (said in the message, never cut). */
export const POST_BODY_MAX = 100_000;
export const POST_TITLE_MAX = 200;
export const IMAGE_ALT_MAX = 300;

const optionalId = z.string().trim().max(40).default('');

export const postSchema = z.object({
	title: z
		.string()
		.trim()
		.min(1, 'Enter a title')
		.max(POST_TITLE_MAX, `The title must be ${POST_TITLE_MAX} characters or fewer`),
	body: z
		.string()
		.trim()
		.min(1, 'Write the post')
		.max(
			POST_BODY_MAX,
			`The post must be ${POST_BODY_MAX.toLocaleString('en-GB')} characters or fewer`
		),
	themes: z.array(z.string().max(40)).max(20, 'Choose 20 themes or fewer').default([]),
	organisationId: optionalId,
	eventId: optionalId,
	/** Local date and time, 'YYYY-MM-DDTHH:MM', in the site's time zone; empty for now. */
	publishAt: z.string().trim().max(40).default(''),
	/** The honeypot: people never see it, so it is always empty from a person. */
	website: z.string().max(0, 'Leave the hidden "website" box empty').default('')
});
export type PostInput = z.output<typeof postSchema>;

/** The text alternative for an image added to a post. */
export const imageAltSchema = z
	.string()
	.trim()
	.min(1, 'Describe the image for people who cannot see it, then choose the file again')
	.max(IMAGE_ALT_MAX, `The description must be ${IMAGE_ALT_MAX} characters or fewer`);

export const themeSchema = z.object({
	name: z
		.string()
		.trim()
		.min(1, 'Enter the theme’s name')
		.max(60, 'The theme’s name must be 60 characters or fewer'),
	description: z
		.string()
		.trim()
		.max(300, 'The description must be 300 characters or fewer')
		.default('')
});
export type ThemeInput = z.output<typeof themeSchema>;

export const declineSchema = z.object({
	reason: z
		.string()
		.trim()
		.min(1, 'Say why, so the author can put it right')
		.max(2000, 'The reason must be 2,000 characters or fewer')
});
