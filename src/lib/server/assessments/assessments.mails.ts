import type { OutgoingMail } from '../mail/outbox';
import type { ResultsVisibility } from './assessments.tables';
import { renderMail } from '../mail/templates';

/** What assessment emails need to know about the site. */
export interface AssessmentsSite {
	siteName: string;
	/** The public URL, e.g. https://colab.example.org (no trailing slash). */
	origin: string;
	timeZone?: string;
}

/** Who will see the results, said to people before they answer. */
export const WHO_SEES_RESULTS: Record<ResultsVisibility, string> = {
	owners: 'Only the people running this check see the results.',
	respondents:
		'The people running this check see the results, and so does everyone who answers with an account, once the round has closed.',
	public: 'Anyone can see the results, once the round has closed.'
};

/** The page an emailed invitation opens: answer the round. */
export function invitationUrl(site: AssessmentsSite, token: string): string {
	return new URL(`/assessments/answer/invitation/${encodeURIComponent(token)}`, site.origin + '/')
		.href;
}

/** The shareable link to answer an assessment's latest round. */
export function shareUrl(site: AssessmentsSite, shareCode: string): string {
	return new URL(`/assessments/answer/${encodeURIComponent(shareCode)}`, site.origin + '/').href;
}

/** The email inviting someone to answer a round of a co-production check. */
export function invitationMail(
	site: AssessmentsSite,
	invitation: {
		token: string;
		email: string;
		assessmentTitle: string;
		inviterName: string | null;
		closesAt: string;
		resultsVisibility: ResultsVisibility;
		userId: string | null;
	}
): OutgoingMail {
	const who = invitation.inviterName ?? `The ${site.siteName} team`;
	const closes = new Intl.DateTimeFormat('en-GB', {
		dateStyle: 'long',
		timeZone: site.timeZone ?? 'Europe/London'
	}).format(new Date(new Date(invitation.closesAt).getTime() - 1));
	const body = renderMail({
		siteName: site.siteName,
		greeting: 'Hello,',
		paragraphs: [
			`${who} would like to know how co-produced “${invitation.assessmentTitle}” is, from where you stand.`,
			'It takes about 15 minutes: about 30 short statements to rate from “never” to “always”, and room to say more if you want to. You can save your answers and finish later.',
			'Nobody, including the people who asked, will see your own answers: they only see everyone’s together, and only when enough people have answered.',
			WHO_SEES_RESULTS[invitation.resultsVisibility]
		],
		action: { label: 'Answer the questions', url: invitationUrl(site, invitation.token) },
		footnotes: [
			`You can answer until ${closes}. The link works for one set of answers.`,
			'If you were not expecting this, you can ignore this email.'
		]
	});
	return {
		to: invitation.email,
		subject: `Your view of “${invitation.assessmentTitle}”`,
		...body,
		kind: 'assessments.invitation',
		userId: invitation.userId
	};
}

/** The page an emailed co-owner invitation opens. */
export function coOwnerInvitationUrl(site: AssessmentsSite, token: string): string {
	return new URL(`/assessments/owners/${encodeURIComponent(token)}`, site.origin + '/').href;
}

/** The email asking someone to run a co-production check with its owners. */
export function coOwnerInvitationMail(
	site: AssessmentsSite,
	invitation: {
		token: string;
		email: string;
		assessmentTitle: string;
		inviterName: string | null;
		userId: string | null;
	}
): OutgoingMail {
	const who = invitation.inviterName ?? `Someone at ${site.siteName}`;
	const body = renderMail({
		siteName: site.siteName,
		greeting: 'Hello,',
		paragraphs: [
			`${who} has asked you to run the co-production check “${invitation.assessmentTitle}” with them, as a co-owner.`,
			'Co-owners invite people to answer, open and close rounds, and read the results. Like everyone, they never see one person’s own answers.',
			`To accept, sign in to ${site.siteName} with this email address (or create an account with it), then open the link.`
		],
		action: { label: 'See the invitation', url: coOwnerInvitationUrl(site, invitation.token) },
		footnotes: [
			'The link works for 14 days. If you do not want to, you can ignore this email: nothing changes.'
		]
	});
	return {
		to: invitation.email,
		subject: `Run “${invitation.assessmentTitle}” with ${who}`,
		keptSubject: `An invitation to run “${invitation.assessmentTitle}” as a co-owner`,
		...body,
		kind: 'assessments.co-owner-invitation',
		userId: invitation.userId
	};
}
