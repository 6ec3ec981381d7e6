import { z } from 'zod';
import { ORGANISATION_ROLES } from './organisations.tables';

export const ORGANISATION_NAME_MAX = 120;
export const ORGANISATION_DESCRIPTION_MAX = 2000;
export const WEBSITE_MAX = 300;

const WEBSITE_FORMAT = 'Enter a web address like https://www.example.org';

/**
 * A website: empty means none. "www.example.org" gets https:// added; anything that is not an
 * http or https address with a real host name (javascript:, data:, mailto:…) is refused.
 */
export const websiteField = z
	.string()
	.trim()
	.max(WEBSITE_MAX, `Web address must be ${WEBSITE_MAX} characters or fewer`)
	.transform((value, ctx): string | null => {
		if (!value) return null;
		const hasScheme =
			/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ||
			/^(javascript|data|vbscript|mailto|file|blob|tel):/i.test(value);
		let url: URL;
		try {
			url = new URL(hasScheme ? value : `https://${value}`);
		} catch {
			ctx.addIssue({ code: 'custom', message: WEBSITE_FORMAT });
			return z.NEVER;
		}
		if (url.protocol !== 'http:' && url.protocol !== 'https:') {
			ctx.addIssue({ code: 'custom', message: 'Web address must start with http:// or https://' });
			return z.NEVER;
		}
		if (!url.hostname.includes('.') || url.username || url.password || /\s/.test(value)) {
			ctx.addIssue({ code: 'custom', message: WEBSITE_FORMAT });
			return z.NEVER;
		}
		return url.href;
	});

export const organisationSchema = z.object({
	name: z
		.string({ error: 'Enter the organisation’s name' })
		.trim()
		.min(1, 'Enter the organisation’s name')
		.max(ORGANISATION_NAME_MAX, `Name must be ${ORGANISATION_NAME_MAX} characters or fewer`),
	description: z
		.string({ error: 'Say what the organisation does' })
		.trim()
		.min(1, 'Say what the organisation does')
		.max(
			ORGANISATION_DESCRIPTION_MAX,
			`Description must be ${ORGANISATION_DESCRIPTION_MAX} characters or fewer`
		),
	website: z.string().optional().default('').pipe(websiteField)
});
export type OrganisationInput = z.output<typeof organisationSchema>;

const role = z.enum(ORGANISATION_ROLES, { error: 'Choose admin or member' });

export const inviteSchema = z.object({
	email: z
		.string({ error: 'Enter their email address' })
		.trim()
		.min(1, 'Enter their email address')
		.max(254, 'Email address must be 254 characters or fewer')
		.pipe(z.email('Enter an email address in the right format, like name@example.com'))
		.transform((value) => value.toLowerCase()),
	role
});
export type InviteInput = z.output<typeof inviteSchema>;

export const memberRoleSchema = z.object({
	userId: z.string({ error: 'Choose a member' }).min(1, 'Choose a member').max(64),
	role
});
export type MemberRoleInput = z.output<typeof memberRoleSchema>;

export const memberSchema = z.object({
	userId: z.string({ error: 'Choose a member' }).min(1, 'Choose a member').max(64)
});

export const inviteIdSchema = z.object({
	inviteId: z.string({ error: 'Choose an invitation' }).min(1).max(64)
});
