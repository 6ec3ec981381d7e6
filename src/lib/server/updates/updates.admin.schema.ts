import { z } from 'zod';

/** The address an administrator blocks. */
export const blockAddressSchema = z.object({
	block_email: z
		.string()
		.trim()
		.min(1, 'Enter the email address to block')
		.max(254, 'Email address must be 254 characters or fewer')
		.pipe(z.email('Enter an email address in the right format, like name@example.com'))
		.transform((value) => value.toLowerCase())
});
export type BlockAddressInput = z.output<typeof blockAddressSchema>;
