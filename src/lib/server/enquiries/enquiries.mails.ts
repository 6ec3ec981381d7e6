import type { OutgoingMail } from '../mail/outbox';
import { renderMail } from '../mail/templates';
import type { EnquiryRole } from './enquiries.tables';

/** What invitation emails need to know about the site. */
export interface EnquirySite {
	siteName: string;
	/** The public URL, e.g. https://colab.example.org (no trailing slash). */
	origin: string;
	timeZone?: string;
}

export function enquiryInvitationUrl(site: EnquirySite, token: string): string {
	return new URL(`/enquiries/invitations/${encodeURIComponent(token)}`, site.origin + '/').href;
}

/** The email that invites someone onto an enquiry's team. */
export function enquiryInvitationMail(
	site: EnquirySite,
	invitation: {
		token: string;
		email: string;
		role: EnquiryRole;
		enquiryTitle: string;
		inviterName: string | null;
		expiresAt: string;
		userId: string | null;
	}
): OutgoingMail {
	const who = invitation.inviterName ?? `The ${site.siteName} team`;
	const as = invitation.role === 'lead' ? 'as a lead' : 'as an interviewer';
	const expires = new Intl.DateTimeFormat('en-GB', {
		dateStyle: 'long',
		timeZone: site.timeZone ?? 'Europe/London'
	}).format(new Date(invitation.expiresAt));
	const body = renderMail({
		siteName: site.siteName,
		greeting: 'Hello,',
		paragraphs: [
			`${who} has invited you onto the team of the enquiry “${invitation.enquiryTitle}” on ${site.siteName}, ${as}.`,
			'The team records interviews, codes what people said into themes and writes the report. ' +
				'What people said stays with the team until the report is published.',
			`To accept, open the link and sign in with this email address (${invitation.email}). ` +
				'If you do not have an account yet, you can create one with this address.'
		],
		action: { label: 'See the invitation', url: enquiryInvitationUrl(site, invitation.token) },
		footnotes: [
			`This invitation works once and expires on ${expires}.`,
			'If you were not expecting it, you can ignore this email. Nothing will happen.'
		]
	});
	return {
		to: invitation.email,
		subject: `You are invited to join an enquiry team on ${site.siteName}`,
		...body,
		kind: 'enquiries.invite',
		userId: invitation.userId
	};
}
