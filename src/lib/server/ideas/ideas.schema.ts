import { z } from 'zod';
import { IDEA_STAGES } from './ideas.tables';

export const IDEA_TITLE_MAX = 150;
/** The idea itself, in characters (said in the message, never cut). */
export const IDEA_BODY_MAX = 10_000;
export const SUPPORT_NOTE_MAX = 280;
export const IDEA_COMMENT_MAX = 5_000;
export const STAGE_NOTE_MAX = 2_000;

/** How someone would support an idea: one or more. */
export const SUPPORT_WAYS = ['come', 'help', 'know-someone'] as const;
export type SupportWay = (typeof SUPPORT_WAYS)[number];

const n = (value: number) => value.toLocaleString('en-GB');

/** The honeypot: people never see it, so it is always empty from a person. */
const website = z.string().max(0, 'Leave the hidden "website" box empty').default('');

export const ideaSchema = z.object({
	title: z
		.string()
		.trim()
		.min(1, 'Give your idea a short title')
		.max(IDEA_TITLE_MAX, `The title must be ${IDEA_TITLE_MAX} characters or fewer`),
	body: z
		.string()
		.trim()
		.min(1, 'Say what your idea is and who it is for')
		.max(
			IDEA_BODY_MAX,
			`Your idea must be ${n(IDEA_BODY_MAX)} characters or fewer. Shorten it: people can ask for more in the comments.`
		),
	website
});
export type IdeaInput = z.output<typeof ideaSchema>;

export const supportSchema = z.object({
	ways: z
		.array(z.enum(SUPPORT_WAYS, 'Choose from the list'))
		.min(1, 'Choose at least one way you would support it'),
	note: z
		.string()
		.trim()
		.max(
			SUPPORT_NOTE_MAX,
			`Your note must be ${SUPPORT_NOTE_MAX} characters or fewer. Put anything longer in a comment.`
		)
		.default('')
});
export type SupportInput = z.output<typeof supportSchema>;
export const SUPPORT_LIST_FIELDS = ['ways'] as const;

export const ideaCommentSchema = z.object({
	body: z
		.string()
		.trim()
		.min(1, 'Write your comment before sending it')
		.max(
			IDEA_COMMENT_MAX,
			`A comment must be ${n(IDEA_COMMENT_MAX)} characters or fewer. Shorten it and send it again.`
		),
	website
});

const id = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'Open the page again and try once more');

export const editIdeaCommentSchema = z.object({
	id,
	body: ideaCommentSchema.shape.body
});
export const commentIdSchema = z.object({ id });

export const stageSchema = z.object({
	stage: z.enum(IDEA_STAGES, 'Choose the stage the idea has reached'),
	note: z
		.string()
		.trim()
		.min(1, 'Write a note saying why the idea has moved: everyone who supports it reads it')
		.max(STAGE_NOTE_MAX, `The note must be ${n(STAGE_NOTE_MAX)} characters or fewer`)
});
export type StageInput = z.output<typeof stageSchema>;
