import { z } from 'zod';
import { EMAIL_FREQUENCIES, KIND_KEYS } from './notifications.kinds';

export const SETTINGS_LIST_FIELDS = ['site', 'email'] as const;

const kinds = z
	.array(
		z.string().refine((k) => (KIND_KEYS as readonly string[]).includes(k), 'Choose from the list')
	)
	.max(KIND_KEYS.length * 2);

export const notificationSettingsSchema = z.object({
	site: kinds,
	email: kinds,
	frequency: z.enum(EMAIL_FREQUENCIES, { error: 'Choose when emails come' })
});
export type NotificationSettingsInput = z.output<typeof notificationSettingsSchema>;
