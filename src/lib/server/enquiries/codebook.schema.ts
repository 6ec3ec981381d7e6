import { z } from 'zod';

export const CODE_NAME_MAX = 80;
export const CODE_DESCRIPTION_MAX = 2_000;
export const MEMO_MAX = 10_000;

export const codeSchema = z.object({
	name: z
		.string()
		.trim()
		.min(1, 'Give the code a short name')
		.max(CODE_NAME_MAX, `The name must be ${CODE_NAME_MAX} characters or fewer`),
	description: z
		.string()
		.trim()
		.max(
			CODE_DESCRIPTION_MAX,
			`The description must be ${CODE_DESCRIPTION_MAX.toLocaleString('en-GB')} characters or fewer`
		)
		.default(''),
	/** Empty: a top-level code. */
	parent: z.string().trim().max(64, 'Choose a parent from the list').default('')
});
export type CodeInput = z.output<typeof codeSchema>;

export const mergeSchema = z.object({
	into: z.string().trim().min(1, 'Choose the code to merge it into').max(64, 'Choose from the list')
});

export const memoSchema = z.object({
	body: z
		.string()
		.trim()
		.min(1, 'Write the memo before saving it')
		.max(MEMO_MAX, `A memo must be ${MEMO_MAX.toLocaleString('en-GB')} characters or fewer`)
});
