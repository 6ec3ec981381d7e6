import type { OutgoingMail } from '../mail/outbox';
import { renderMail } from '../mail/templates';
import type { ModerationDecision } from './moderation.tables';

export interface ModerationSite {
	siteName: string;
	origin: string;
}

const DECIDED: Record<ModerationDecision | 'suspended', (what: string) => string> = {
	hidden: (what) => `A curator looked at reports about ${what} and has hidden it.`,
	restored: (what) =>
		`A curator looked at reports about ${what} and decided it can stay. It is shown again.`,
	dismissed: (what) => `A curator looked at reports about ${what} and decided no action is needed.`,
	warned: (what) =>
		`A curator looked at reports about ${what}. It stays, but the curator has a warning for you.`,
	suspended: () => 'A curator has suspended you from writing posts and comments for a while.'
};

/** The email telling an author what a curator decided and why (the curator's own words). */
export function decisionMail(
	site: ModerationSite,
	to: { email: string; name: string },
	decision: ModerationDecision | 'suspended',
	thing: { title: string; path: string | null },
	message: string,
	suspendedUntil?: string
): OutgoingMail {
	const paragraphs = [DECIDED[decision](`“${thing.title}”`), `The curator wrote:\n\n${message}`];
	if (suspendedUntil)
		paragraphs.push(
			`You can write posts and comments again from ${new Date(suspendedUntil).toUTCString()}. You can still read everything.`
		);
	paragraphs.push(
		'If you think this is a mistake, reply to this email and a curator will look again.'
	);
	const { text, html } = renderMail({
		siteName: site.siteName,
		greeting: `Hello ${to.name},`,
		paragraphs,
		action:
			decision === 'hidden' || decision === 'suspended' || !thing.path
				? undefined
				: { label: 'See it on the site', url: `${site.origin}${thing.path}` }
	});
	return {
		to: to.email,
		kind: `moderation.${decision}`,
		subject: `${site.siteName}: a curator’s decision about your writing`,
		text,
		html
	};
}
