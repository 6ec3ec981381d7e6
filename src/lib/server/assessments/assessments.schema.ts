import { z } from 'zod';
import { wholeNumber, type FormValues } from '../forms';
import { DONT_KNOW, PERSPECTIVES, STAGES, type Rating, type Stage } from './scoring';

export const ASSESSMENT_TITLE_MAX = 150;
export const ASSESSMENT_DESCRIPTION_MAX = 2_000;
export const THRESHOLD_MIN = 3;
export const THRESHOLD_MAX = 50;
export const INVITATIONS_MAX = 50;
export const COMMENT_MAX = 1_000;
export const RESULTS_VISIBILITIES = ['owners', 'respondents', 'public'] as const;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

const closesDate = z
	.string({ error: 'Enter the date the round closes' })
	.trim()
	.min(1, 'Enter the date the round closes')
	.regex(DATE, 'Enter a date like 2027-03-14');

/** An owner's form for a new assessment. The closing date's "in the future" is the service's. */
export const assessmentSchema = z.object({
	title: z
		.string({ error: 'Enter the name of the service or project' })
		.trim()
		.min(1, 'Enter the name of the service or project')
		.max(ASSESSMENT_TITLE_MAX, `Title must be ${ASSESSMENT_TITLE_MAX} characters or fewer`),
	description: z
		.string()
		.optional()
		.default('')
		.transform((v) => v.trim())
		.pipe(
			z
				.string()
				.max(
					ASSESSMENT_DESCRIPTION_MAX,
					`Description must be ${ASSESSMENT_DESCRIPTION_MAX.toLocaleString('en-GB')} characters or fewer`
				)
		),
	closesDate,
	openToVisitors: z
		.string()
		.optional()
		.transform((v) => v === 'yes'),
	resultsVisibility: z.enum(RESULTS_VISIBILITIES, { error: 'Choose who can see the results' }),
	threshold: wholeNumber({
		label: 'The fewest answers before a group’s results show',
		min: THRESHOLD_MIN,
		max: THRESHOLD_MAX,
		empty: THRESHOLD_MIN
	}),
	organisation: z
		.string()
		.optional()
		.default('')
		.transform((v) => v.trim() || null)
});
export type AssessmentInput = z.output<typeof assessmentSchema>;

/** An owner's settings form: the new-assessment form without the closing date or organisation. */
export const settingsSchema = assessmentSchema.omit({ closesDate: true, organisation: true });
export type SettingsInput = z.output<typeof settingsSchema>;

/** An owner's form for the next round. */
export const roundSchema = z.object({ closesDate });
export type RoundInput = z.output<typeof roundSchema>;

const emailAddress = z.email('is not an email address in the right format');

/** Addresses typed one per line or separated by commas; lower-cased, each once. */
export const invitationsSchema = z.object({
	emails: z
		.string({ error: 'Enter at least one email address' })
		.transform((v) => [
			...new Set(
				v
					.split(/[\n\r,;]+/)
					.map((e) => e.trim().toLowerCase())
					.filter(Boolean)
			)
		])
		.superRefine((emails, ctx) => {
			if (emails.length === 0)
				ctx.addIssue({ code: 'custom', message: 'Enter at least one email address' });
			if (emails.length > INVITATIONS_MAX)
				ctx.addIssue({
					code: 'custom',
					message: `Enter ${INVITATIONS_MAX} addresses or fewer at a time`
				});
			const wrong = emails.filter((e) => e.length > 254 || !emailAddress.safeParse(e).success);
			if (wrong.length)
				ctx.addIssue({
					code: 'custom',
					message: `${wrong.slice(0, 3).join(', ')}${wrong.length > 3 ? '…' : ''} ${wrong.length === 1 ? 'is not an email address' : 'are not email addresses'} in the right format`
				});
		})
});
export type InvitationsInput = z.output<typeof invitationsSchema>;

export const perspectiveSchema = z.enum(PERSPECTIVES, {
	error: 'Choose the perspective you answer from'
});

/** What a response form changes. A field left out of the form is left as it was. */
export interface AnswersInput {
	/** statementId → rating, null for "don't know", undefined to clear an answer. */
	answers: Map<string, Rating | null | undefined>;
	/** undefined: not in the form; null: cleared. */
	continuum: Stage | null | undefined;
	/** dimensionId → comment; '' removes it. */
	comments: Map<string, string>;
}

const ratingValue = z.enum(['', '0', '1', '2', '3', '4', DONT_KNOW], {
	error: 'Choose an answer from the list'
});
const continuumValue = z.union([z.literal(''), z.enum(STAGES)], {
	error: 'Choose a stage from the list'
});
const commentValue = z
	.string()
	.transform((v) => v.trim())
	.pipe(
		z
			.string()
			.max(
				COMMENT_MAX,
				`Comments must be ${COMMENT_MAX.toLocaleString('en-GB')} characters or fewer`
			)
	);

/**
 * A response form: `s-<statementId>` = '0'…'4', 'dont-know' or '' (unanswered), `continuum`,
 * `comment-<dimensionId>`. Other fields are ignored.
 */
export const answersSchema = z
	.record(z.string(), z.union([z.string(), z.array(z.string())]))
	.transform((values: FormValues, ctx): AnswersInput => {
		const first = (v: string | string[]) => (Array.isArray(v) ? (v[0] ?? '') : v);
		const result: AnswersInput = {
			answers: new Map(),
			continuum: undefined,
			comments: new Map()
		};
		for (const [name, raw] of Object.entries(values)) {
			const value = first(raw);
			if (name.startsWith('s-')) {
				const parsed = ratingValue.safeParse(value.trim());
				if (!parsed.success) {
					ctx.addIssue({ code: 'custom', path: [name], message: parsed.error.issues[0]!.message });
					continue;
				}
				const v = parsed.data;
				result.answers.set(
					name.slice(2),
					v === '' ? undefined : v === DONT_KNOW ? null : (Number(v) as Rating)
				);
			} else if (name.startsWith('comment-')) {
				const parsed = commentValue.safeParse(value);
				if (!parsed.success) {
					ctx.addIssue({ code: 'custom', path: [name], message: parsed.error.issues[0]!.message });
					continue;
				}
				result.comments.set(name.slice('comment-'.length), parsed.data);
			} else if (name === 'continuum') {
				const parsed = continuumValue.safeParse(value.trim());
				if (!parsed.success) {
					ctx.addIssue({ code: 'custom', path: [name], message: parsed.error.issues[0]!.message });
					continue;
				}
				result.continuum = parsed.data === '' ? null : parsed.data;
			}
		}
		return result;
	});
