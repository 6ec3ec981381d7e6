import { z } from 'zod';

export const PILOT_TITLE_MAX = 200;
/** "What we are trying", in characters (said in the message, never cut). */
export const PILOT_SUMMARY_MAX = 10_000;
/** Each of an entry's four parts. */
export const ENTRY_PART_MAX = 5_000;
export const SERVICE_AREAS_MAX = 5;

export const PILOT_VISIBILITIES = ['public', 'members', 'team'] as const;
export const PILOT_STATUSES = ['running', 'finished'] as const;

const n = (value: number) => value.toLocaleString('en-GB');

/** The honeypot: people never see it, so it is always empty from a person. */
const website = z.string().max(0, 'Leave the hidden "website" box empty').default('');

export const pilotSchema = z.object({
	title: z
		.string()
		.trim()
		.min(1, 'Enter a title for the pilot')
		.max(PILOT_TITLE_MAX, `The title must be ${PILOT_TITLE_MAX} characters or fewer`),
	summary: z
		.string()
		.trim()
		.min(1, 'Say what you are trying')
		.max(
			PILOT_SUMMARY_MAX,
			`What you are trying must be ${n(PILOT_SUMMARY_MAX)} characters or fewer. Shorten it, or put the detail in an entry.`
		),
	serviceAreas: z
		.array(z.string().max(80))
		.min(1, 'Choose at least one service area')
		.max(SERVICE_AREAS_MAX, `Choose ${SERVICE_AREAS_MAX} service areas or fewer`),
	organisationId: z.string().trim().max(40).default(''),
	visibility: z.enum(PILOT_VISIBILITIES, 'Choose who can read the pilot'),
	website
});
export type PilotInput = z.output<typeof pilotSchema>;

/** The edit form adds whether the pilot is still running. */
export const pilotEditSchema = pilotSchema.extend({
	status: z.enum(PILOT_STATUSES, 'Choose whether the pilot is running or finished')
});
export type PilotEditInput = z.output<typeof pilotEditSchema>;

const part = (label: string) =>
	z
		.string()
		.trim()
		.max(
			ENTRY_PART_MAX,
			`${label} must be ${n(ENTRY_PART_MAX)} characters or fewer. Shorten it, or split it into two entries.`
		)
		.default('');

/** A dated entry: any of the four parts may be empty, but not all of them. */
export const entrySchema = z
	.object({
		date: z
			.string()
			.trim()
			.regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter the date as day, month and year, like 2026-12-03')
			.refine((s) => {
				const d = new Date(`${s}T00:00:00Z`);
				return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
			}, 'Enter a real date, like 2026-12-03'),
		tried: part('What you tried'),
		happened: part('What happened'),
		learned: part('What you learned'),
		nextChange: part('What you will change next'),
		website
	})
	.superRefine((entry, ctx) => {
		if (!entry.tried && !entry.happened && !entry.learned && !entry.nextChange)
			ctx.addIssue({
				code: 'custom',
				path: ['tried'],
				message:
					'Write at least one part: what you tried, what happened, what you learned or what you will change next'
			});
	});
export type EntryInput = z.output<typeof entrySchema>;

/** The owner adds someone to the team by the email address they sign in with. */
export const addMemberSchema = z.object({
	email: z
		.string()
		.trim()
		.min(1, 'Enter the email address they sign in with')
		.max(254, 'An email address is 254 characters or fewer')
		.email('Enter an email address like name@example.com')
});

export const userIdSchema = z.object({
	userId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Open the page again and try once more')
});
