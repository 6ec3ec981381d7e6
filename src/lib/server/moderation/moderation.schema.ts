import { z } from 'zod';
import { wholeNumber } from '../forms';
import { REPORT_REASONS, REPORTABLE_KINDS } from './moderation.tables';

export const REPORT_NOTE_MAX = 1_000;
export const CURATOR_MESSAGE_MAX = 2_000;

export const REASON_LABELS: Record<(typeof REPORT_REASONS)[number], string> = {
	spam: 'Spam or advertising',
	offensive: 'Offensive, hateful or abusive',
	'personal-information': 'It shares someone’s personal information',
	other: 'Something else'
};

/** Reporting a post, a comment or a video. `website` is the honeypot. */
export const reportSchema = z.object({
	reason: z.enum(REPORT_REASONS, 'Choose why you are reporting it'),
	note: z
		.string()
		.trim()
		.max(
			REPORT_NOTE_MAX,
			`The note must be ${REPORT_NOTE_MAX.toLocaleString('en-GB')} characters or fewer`
		)
		.default(''),
	website: z.string().max(500).default('')
});
export type ReportInput = z.output<typeof reportSchema>;

export const kindSchema = z.enum(REPORTABLE_KINDS);
const targetId = z
	.string()
	.regex(/^[A-Za-z0-9_-]{1,40}$/, 'Open the queue again and try once more');

const message = z
	.string()
	.trim()
	.min(1, 'Tell the author what was decided and why')
	.max(
		CURATOR_MESSAGE_MAX,
		`The message must be ${CURATOR_MESSAGE_MAX.toLocaleString('en-GB')} characters or fewer`
	);

/** A curator's decision on a reported thing. */
export const decisionSchema = z.object({
	kind: kindSchema,
	id: targetId,
	decision: z.enum(['hide', 'restore', 'dismiss', 'warn'], 'Choose what to do'),
	message
});
export type DecisionInput = z.output<typeof decisionSchema>;

/** A curator stops a member posting and commenting for some days. */
export const suspensionSchema = z.object({
	kind: kindSchema,
	id: targetId,
	userId: targetId,
	days: wholeNumber({
		label: 'Days',
		min: 1,
		max: 365,
		required: 'Enter a number of days',
		tooSmall: 'Suspend for at least 1 day',
		tooBig: 'Suspend for at most 365 days'
	}),
	message
});
export type SuspensionInput = z.output<typeof suspensionSchema>;
