import { z } from 'zod';
import { ENQUIRY_ROLES } from './enquiries.tables';

export const ENQUIRY_TITLE_MAX = 150;
export const ENQUIRY_TEXT_MAX = 5_000;
export const ENQUIRY_QUESTIONS_MAX = 20;

const n = (value: number) => value.toLocaleString('en-GB');
const text = (empty: string, what: string) =>
	z
		.string()
		.trim()
		.min(1, empty)
		.max(ENQUIRY_TEXT_MAX, `${what} must be ${n(ENQUIRY_TEXT_MAX)} characters or fewer`);

export const enquirySchema = z.object({
	title: z
		.string()
		.trim()
		.min(1, 'Give the enquiry a short title')
		.max(ENQUIRY_TITLE_MAX, `The title must be ${ENQUIRY_TITLE_MAX} characters or fewer`),
	questions: text('Write at least one question the enquiry asks', 'The questions').refine(
		(v) => questionLines(v).length <= ENQUIRY_QUESTIONS_MAX,
		`Ask ${ENQUIRY_QUESTIONS_MAX} questions or fewer, one a line`
	),
	purpose: text('Say why you are asking: what the enquiry is for', 'The purpose'),
	method: text('Say how you will find out, for example paired interviews', 'The method'),
	consent_text: text(
		'Write what people agree to when they take part: the team reads it to them',
		'The consent text'
	)
});
export type EnquiryInput = z.output<typeof enquirySchema>;

/** The questions, one a line, blank lines dropped. */
export function questionLines(questions: string): string[] {
	return questions
		.split(/\r?\n/)
		.map((q) => q.trim())
		.filter(Boolean);
}

/** The stages a lead can move to here; publishing is the report's own step. */
export const MOVABLE_STAGES = ['planning', 'gathering', 'analysing', 'reporting'] as const;

export const stageSchema = z.object({
	stage: z.enum(MOVABLE_STAGES, 'Choose the stage the enquiry has reached')
});

export const inviteSchema = z.object({
	email: z
		.string()
		.trim()
		.toLowerCase()
		.min(1, 'Enter the email address of the person to invite')
		.max(254, 'That email address is too long')
		.email('Enter an email address like name@example.org'),
	role: z.enum(ENQUIRY_ROLES, 'Choose whether they join as a lead or an interviewer')
});

const id = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'Open the page again and try once more');
export const inviteIdSchema = z.object({ invitationId: id });
export const memberIdSchema = z.object({ userId: id });
export const eventIdSchema = z.object({ eventId: id });
