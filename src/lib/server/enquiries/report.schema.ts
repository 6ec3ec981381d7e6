import { z } from 'zod';

export const SECTION_HEADING_MAX = 150;
/** A section's body, in characters (said in the message, never cut). */
export const SECTION_BODY_MAX = 20_000;
export const REPORT_TITLE_MAX = 200;
export const REPORT_SUMMARY_MAX = 10_000;

const n = (value: number) => value.toLocaleString('en-GB');

export const sectionSchema = z.object({
	heading: z
		.string()
		.trim()
		.min(1, 'Give the section a heading')
		.max(SECTION_HEADING_MAX, `The heading must be ${SECTION_HEADING_MAX} characters or fewer`),
	body: z
		.string()
		.trim()
		.max(
			SECTION_BODY_MAX,
			`The section must be ${n(SECTION_BODY_MAX)} characters or fewer. Split it into two sections.`
		)
		.default(''),
	/** A code's name from the codebook, or empty for none. */
	theme: z.string().trim().max(200).default('')
});
export type SectionInput = z.output<typeof sectionSchema>;

export const reportDetailsSchema = z.object({
	title: z
		.string()
		.trim()
		.min(1, 'Give the report a title')
		.max(REPORT_TITLE_MAX, `The title must be ${REPORT_TITLE_MAX} characters or fewer`),
	summary: z
		.string()
		.trim()
		.max(REPORT_SUMMARY_MAX, `The summary must be ${n(REPORT_SUMMARY_MAX)} characters or fewer`)
		.default('')
});
export type ReportDetailsInput = z.output<typeof reportDetailsSchema>;

export const followOnSchema = z.object({
	address: z
		.string()
		.trim()
		.min(1, 'Paste the address of a decision, idea or pilot')
		.max(500, 'That address is too long: paste the page’s address from the browser')
});
export type FollowOnInput = z.output<typeof followOnSchema>;

export const publishSchema = z.object({
	checked: z.literal('on', {
		error: 'Tick the box to say you have checked everyone’s consent'
	}),
	blogPost: z.literal('on').optional().catch(undefined),
	announcement: z.literal('on').optional().catch(undefined)
});
export type PublishInput = z.output<typeof publishSchema>;

export const deleteRawSchema = z.object({
	confirm: z.literal('on', {
		error: 'Tick the box to confirm you want to delete the raw material'
	})
});
