import { z } from 'zod';

/** The largest announcement body, in characters (said in the message, never cut). */
export const ANNOUNCEMENT_BODY_MAX = 20_000;

export const announcementSchema = z.object({
	/** Made when the form is first shown, so a second press of "Send" finds the first. */
	draft: z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'Open the form again and start over'),
	title: z
		.string()
		.trim()
		.min(1, 'Enter a title')
		.max(200, 'Title must be 200 characters or fewer'),
	body: z
		.string()
		.trim()
		.min(1, 'Enter the announcement')
		.max(
			ANNOUNCEMENT_BODY_MAX,
			`The announcement must be ${ANNOUNCEMENT_BODY_MAX.toLocaleString('en-GB')} characters or fewer`
		),
	topics: z
		.array(z.string().max(100))
		.max(100)
		.min(1, 'Choose at least one topic to send the announcement to'),
	/** 'now' or 'later'; a later send needs `sendAt`. */
	when: z.enum(['now', 'later'], 'Choose when to send it').default('now'),
	/** Local date and time, 'YYYY-MM-DDTHH:MM', in the site's time zone. */
	sendAt: z.string().trim().max(40).default('')
});
export type AnnouncementInput = z.output<typeof announcementSchema>;

/**
 * A draft needs only its title: the rest can wait. The same limits apply, so nothing saved is
 * cut when it is sent later.
 */
export const announcementDraftSchema = announcementSchema.extend({
	body: z
		.string()
		.trim()
		.max(
			ANNOUNCEMENT_BODY_MAX,
			`The announcement must be ${ANNOUNCEMENT_BODY_MAX.toLocaleString('en-GB')} characters or fewer`
		)
		.default(''),
	topics: z.array(z.string().max(100)).max(100).default([])
});
export type AnnouncementDraftInput = z.output<typeof announcementDraftSchema>;
