import { z } from 'zod';

/** Fields the forms send several times (one per ticked box). */
export const TOPIC_LIST_FIELDS = ['topics'] as const;

const topics = z
	.array(z.string().max(100))
	.max(100)
	.min(1, 'Choose at least one topic, so we know what to send you');

export const signUpForUpdatesSchema = z.object({
	email: z
		.string()
		.trim()
		.min(1, 'Enter your email address')
		.max(254, 'Email address must be 254 characters or fewer')
		.pipe(z.email('Enter an email address in the right format, like name@example.com'))
		.transform((value) => value.toLowerCase()),
	topics
});
export type SignUpForUpdatesInput = z.output<typeof signUpForUpdatesSchema>;

export const chooseTopicsSchema = z.object({ topics });
export type ChooseTopicsInput = z.output<typeof chooseTopicsSchema>;
