import { z } from 'zod';
import { wholeNumber } from '../forms';

export const QUESTION_MAX = 200;
export const PROPOSAL_MAX = 10_000;
export const REASON_MAX = 2_000;
export const OUTCOME_MAX = 5_000;
export const OPTIONS_MAX = 20;
export const OPTION_MAX = 200;
export const GROUP_MAX = 200;

export const PROCESSES = [
	'consensus',
	'consent',
	'choose',
	'dot',
	'score',
	'ranked',
	'time'
] as const;
export const AUDIENCES = ['members', 'organisation', 'event', 'group'] as const;
export const CONSENSUS_POSITIONS = ['agree', 'abstain', 'disagree', 'block'] as const;
export const CONSENT_POSITIONS = ['consent', 'object'] as const;

/** The honeypot: people never see it, so it is always empty from a person. */
const website = z.string().max(0, 'Leave the hidden "website" box empty').default('');

const lines = (text: string) =>
	text
		.split(/\r?\n/)
		.map((l) => l.trim())
		.filter(Boolean);

/** The decision form as people fill it in; the service checks what depends on the process. */
export const decisionSchema = z.object({
	question: z
		.string()
		.trim()
		.min(1, 'Enter the question to decide')
		.max(QUESTION_MAX, `The question must be ${QUESTION_MAX} characters or fewer`),
	proposal: z
		.string()
		.trim()
		.min(1, 'Write the proposal or the background people need to decide')
		.max(PROPOSAL_MAX, 'The proposal must be 10,000 characters or fewer'),
	process: z.enum(PROCESSES, 'Choose how it will be decided'),
	options: z
		.string()
		.max(OPTIONS_MAX * (OPTION_MAX + 2), 'The options are too long')
		.default(''),
	setting: wholeNumber({ label: 'The number for the process', min: 1, max: 100, empty: 1 }),
	audience: z.enum(AUDIENCES, 'Choose who takes part'),
	organisationId: z.string().trim().max(40).default(''),
	eventId: z.string().trim().max(40).default(''),
	group: z
		.string()
		.max(GROUP_MAX * 120, 'The list of people is too long')
		.default(''),
	closesDate: z
		.string()
		.trim()
		.regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter the closing date like 2026-12-24'),
	closesTime: z
		.string()
		.trim()
		.regex(/^\d{1,2}:\d{2}$/, 'Enter the closing time like 17:00'),
	quorum: wholeNumber({
		label: 'Quorum',
		min: 0,
		max: 100_000,
		empty: 0,
		emptyHint: 'or leave it empty for none'
	}),
	anonymous: z.enum(['yes']).optional(),
	website
});
export type DecisionForm = z.output<typeof decisionSchema>;

/** Options typed one a line, without blanks. */
export function optionLines(text: string): string[] {
	return lines(text);
}

/** Email addresses typed one a line (or separated by commas). */
export function emailLines(text: string): string[] {
	return text
		.split(/[\n,;]+/)
		.map((l) => l.trim().toLowerCase())
		.filter(Boolean);
}

export const outcomeSchema = z.object({
	outcome: z
		.string()
		.trim()
		.min(1, 'Write the outcome: what was decided and why')
		.max(OUTCOME_MAX, 'The outcome must be 5,000 characters or fewer'),
	result: z.enum(['passed', 'not-passed', 'none']).default('none')
});
export type OutcomeForm = z.output<typeof outcomeSchema>;

export const nextRoundSchema = z.object({
	proposal: decisionSchema.shape.proposal,
	closesDate: decisionSchema.shape.closesDate,
	closesTime: decisionSchema.shape.closesTime
});
export type NextRoundForm = z.output<typeof nextRoundSchema>;

export const personSchema = z.object({
	email: z.string().trim().toLowerCase().email('Enter an email address, like name@example.org')
});

/**
 * One number typed beside an option (dots, a score or a rank). Empty is none; the service then
 * checks the range the decision's process allows.
 */
export const optionNumberSchema = wholeNumber({
	label: 'Each number',
	min: 0,
	max: 100,
	empty: null,
	emptyHint: 'or leave it empty'
});
