import type { OutgoingMail } from '../mail/outbox';
import { renderMail } from '../mail/templates';
import type { OrganisationRole } from './organisations.tables';

/** What invitation emails need to know about the site. */
export interface InviteSite {
	siteName: string;
	/** The public URL, e.g. https://colab.example.org (no trailing slash). */
	origin: string;
	timeZone?: string;
}

export function inviteUrl(site: InviteSite, token: string): string {
	return new URL(`/organisations/invites/${encodeURIComponent(token)}`, site.origin + '/').href;
}

/** The email that invites someone to join an organisation. */
export function inviteMail(
	site: InviteSite,
	invite: {
		token: string;
		email: string;
		role: OrganisationRole;
		organisationName: string;
		inviterName: string | null;
		expiresAt: string;
		userId: string | null;
	}
): OutgoingMail {
	const who = invite.inviterName ?? `The ${site.siteName} team`;
	const as = invite.role === 'admin' ? 'as an admin' : 'as a member';
	const expires = new Intl.DateTimeFormat('en-GB', {
		dateStyle: 'long',
		timeZone: site.timeZone ?? 'Europe/London'
	}).format(new Date(invite.expiresAt));
	const body = renderMail({
		siteName: site.siteName,
		greeting: 'Hello,',
		paragraphs: [
			`${who} has invited you to join ${invite.organisationName} on ${site.siteName}, ${as}.`,
			`Members can take part on behalf of ${invite.organisationName}.` +
				(invite.role === 'admin' ? ' Admins can also change its details and invite others.' : ''),
			`To accept, open the link and sign in with this email address (${invite.email}). ` +
				'If you do not have an account yet, you can create one with this address.'
		],
		action: { label: 'See the invitation', url: inviteUrl(site, invite.token) },
		footnotes: [
			`This invitation works once and expires on ${expires}.`,
			'If you were not expecting it, you can ignore this email. Nothing will happen.'
		]
	});
	return {
		to: invite.email,
		subject: `You are invited to join ${invite.organisationName} on ${site.siteName}`,
		...body,
		kind: 'organisations.invite',
		userId: invite.userId
	};
}
