import { z } from 'zod';
import { INTERVIEW_KINDS, PERSPECTIVES, QUOTE_CONSENTS } from './enquiries.tables';

export const PARTICIPANT_LABEL_MAX = 100;
export const CONSENT_NOTE_MAX = 1_000;
export const INTERVIEW_TITLE_MAX = 150;
/** The longest interview body taken, in characters (said in the message, never cut). */
export const INTERVIEW_BODY_MAX = 200_000;

const n = (value: number) => value.toLocaleString('en-GB');
const id = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'Open the page again and try once more');

const quote = z.enum(QUOTE_CONSENTS, 'Choose how they agreed to be quoted');
const note = z
	.string()
	.trim()
	.max(CONSENT_NOTE_MAX, `The note must be ${n(CONSENT_NOTE_MAX)} characters or fewer`)
	.default('');

export const participantSchema = z.object({
	label: z
		.string()
		.trim()
		.min(1, 'Give the participant a label: a name, or something like “Participant 4”')
		.max(PARTICIPANT_LABEL_MAX, `The label must be ${PARTICIPANT_LABEL_MAX} characters or fewer`),
	perspective: z.enum(PERSPECTIVES, 'Choose the perspective they speak from'),
	take_part: z.literal('on', {
		error:
			'Tick the box once they have heard what they agree to and said yes. Do not record someone who has not agreed.'
	}),
	quote,
	note
});
export type ParticipantInput = z.output<typeof participantSchema>;

export const consentSchema = z.object({
	take_part: z.enum(['on']).optional(),
	quote,
	note
});
export type ConsentInput = z.output<typeof consentSchema>;

export const withdrawSchema = z.object({ note });

/** YYYY-MM-DD or empty. */
const heldOn = z
	.string()
	.trim()
	.default('')
	.refine(
		(v) => v === '' || (/^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v))),
		'Enter the date like 2026-03-14, or leave it empty'
	);

export const interviewDetailsSchema = z.object({
	interviewer_id: id,
	title: z
		.string()
		.trim()
		.min(1, 'Give the interview a short title, like “Interview with Participant 4”')
		.max(INTERVIEW_TITLE_MAX, `The title must be ${INTERVIEW_TITLE_MAX} characters or fewer`),
	held_on: heldOn,
	kind: z.enum(INTERVIEW_KINDS, 'Choose whether these are notes or a transcript')
});

export const interviewSchema = interviewDetailsSchema.extend({
	participant_id: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'Choose who was interviewed'),
	body: z.string().default('')
});
export type InterviewInput = z.output<typeof interviewSchema>;

export const interviewEditSchema = interviewDetailsSchema.extend({
	body: z.string().default('')
});
export type InterviewEditInput = z.output<typeof interviewEditSchema>;
