import { z } from 'zod';
import { CONTRIBUTION_CHOICES } from './your-data.types';

/** The "Delete my account" form. */
export const deleteAccountSchema = z.object({
	contributions: z.enum(CONTRIBUTION_CHOICES, {
		error: 'Choose what happens to the things you shared in public'
	}),
	confirm: z.literal('on', { error: 'Tick the box to confirm you want to delete your account' })
});
export type DeleteAccountInput = z.output<typeof deleteAccountSchema>;
