import { z } from 'zod';

export const STATEMENT_TITLE_MAX = 200;
/** A first draft, in characters. */
export const DRAFT_MAX = 100_000;
/** One clause's words. */
export const CLAUSE_MAX = 2_000;
export const REASON_MAX = 3_000;
export const COMMENT_MAX = 3_000;
export const NOTE_MAX = 1_000;
/** Amendments agreed together as one package. */
export const PACKAGE_MAX = 20;

const n = (value: number) => value.toLocaleString('en-GB');

/** The honeypot: people never see it, so it is always empty from a person. */
const website = z.string().max(0, 'Leave the hidden "website" box empty').default('');

/** A curator starts the statement from a first draft in Markdown. */
export const startSchema = z.object({
	title: z
		.string()
		.trim()
		.min(1, 'Enter a title for the statement')
		.max(STATEMENT_TITLE_MAX, `The title must be ${STATEMENT_TITLE_MAX} characters or fewer`),
	draft: z
		.string()
		.trim()
		.min(
			1,
			'Write or paste the first draft: a heading starting "## " for each section, then its clauses'
		)
		.max(DRAFT_MAX, `The draft must be ${n(DRAFT_MAX)} characters or fewer`),
	note: z
		.string()
		.trim()
		.max(NOTE_MAX, `The note must be ${n(NOTE_MAX)} characters or fewer`)
		.default(''),
	website
});
export type StartInput = z.output<typeof startSchema>;

export const AMENDMENT_KINDS = ['change', 'delete', 'add'] as const;

const id = z
	.string()
	.trim()
	.max(64)
	.regex(/^[A-Za-z0-9_-]*$/, 'Open the page again and try once more');

/** A member proposes an amendment. */
export const amendmentSchema = z
	.object({
		kind: z.enum(AMENDMENT_KINDS, 'Choose what the amendment does'),
		clause: id.default(''),
		section: id.default(''),
		/** The version the form was opened on. */
		version: z.coerce
			.number('Open the page again and try once more')
			.int('Open the page again and try once more')
			.min(1, 'Open the page again and try once more'),
		text: z
			.string()
			.trim()
			.max(CLAUSE_MAX, `The words must be ${n(CLAUSE_MAX)} characters or fewer`)
			.default(''),
		reason: z
			.string()
			.trim()
			.min(1, 'Say why you propose this amendment')
			.max(REASON_MAX, `The reason must be ${n(REASON_MAX)} characters or fewer`),
		website
	})
	.superRefine((a, ctx) => {
		if (a.kind !== 'delete' && !a.text)
			ctx.addIssue({
				code: 'custom',
				path: ['text'],
				message:
					a.kind === 'add'
						? 'Write the words of the new clause'
						: 'Write the new words for the clause'
			});
	});
export type AmendmentInput = z.output<typeof amendmentSchema>;

export const commentSchema = z.object({
	body: z
		.string()
		.trim()
		.min(1, 'Write your comment')
		.max(COMMENT_MAX, `A comment must be ${n(COMMENT_MAX)} characters or fewer`),
	website
});
export type CommentInput = z.output<typeof commentSchema>;

export const commentIdSchema = z.object({
	commentId: id.min(1, 'Open the page again and try once more')
});

/** Endorse as yourself ('me') or for an organisation you administer (its id). */
export const endorseSchema = z.object({
	onBehalf: z.string().trim().min(1, 'Choose who you are endorsing for').max(64),
	note: z
		.string()
		.trim()
		.max(NOTE_MAX, `The note must be ${n(NOTE_MAX)} characters or fewer`)
		.default(''),
	website
});
export type EndorseInput = z.output<typeof endorseSchema>;

/** A facilitator records the outcome for one amendment or a package of several. */
export const decideSchema = z.object({
	amendmentIds: z
		.array(id.min(1))
		.min(1, 'Choose at least one amendment')
		.max(PACKAGE_MAX, `Choose ${PACKAGE_MAX} amendments or fewer at once`),
	outcome: z.enum(
		['decide', 'agreed', 'not-agreed'],
		'Choose whether to put them to a decision, or whether they were agreed or not agreed'
	),
	note: z
		.string()
		.trim()
		.max(NOTE_MAX, `The note must be ${n(NOTE_MAX)} characters or fewer`)
		.default(''),
	website
});
export type DecideInput = z.output<typeof decideSchema>;
