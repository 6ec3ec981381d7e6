import type { OutgoingMail } from '../mail/outbox';
import { renderMail } from '../mail/templates';
import type { UpdateTopic } from './updates.topics';

/** The site as update mails need it. */
export interface UpdatesSite {
	siteName: string;
	/** Public address, e.g. https://colab.example.org (no trailing slash). */
	origin: string;
}

/** A subscriber's private pages, from one mailed link's secret. */
export function subscriberLinks(site: UpdatesSite, token: string) {
	return {
		preferences: `${site.origin}/updates/preferences/${token}`,
		unsubscribe: `${site.origin}/updates/unsubscribe/${token}`
	};
}

function topicLines(topics: UpdateTopic[]): string {
	return topics.map((t) => t.label).join(', ');
}

/** The double opt-in: nothing is sent until the person uses this link. */
export function confirmUpdatesMail(
	site: UpdatesSite,
	to: string,
	token: string,
	topics: UpdateTopic[],
	lifetimeDays: number
): OutgoingMail {
	const url = `${site.origin}/updates/confirm/${token}`;
	return {
		to,
		kind: 'updates.confirm',
		subject: `Confirm your email updates from ${site.siteName}`,
		...renderMail({
			siteName: site.siteName,
			paragraphs: [
				`Someone (we hope you) asked for email updates from ${site.siteName} at this address.`,
				`Topics chosen: ${topicLines(topics)}.`,
				'We send nothing until you confirm.'
			],
			action: { label: 'Confirm your email updates', url },
			footnotes: [
				`This link works for ${lifetimeDays} days.`,
				'If you did not ask for this, ignore this email. We will forget your address.'
			]
		})
	};
}

/** Sent once a sign-up is confirmed: what they chose, and how to change it or stop. */
export function welcomeMail(
	site: UpdatesSite,
	to: string,
	token: string,
	topics: UpdateTopic[]
): OutgoingMail {
	const links = subscriberLinks(site, token);
	return {
		to,
		kind: 'updates.welcome',
		subject: `You get email updates from ${site.siteName}`,
		...renderMail({
			siteName: site.siteName,
			paragraphs: [
				`Thank you. You will get email updates from ${site.siteName} about: ${topicLines(topics)}.`,
				'You can change your topics, stop all updates or remove your address at any time.'
			],
			action: { label: 'Choose your topics', url: links.preferences },
			footnotes: [`To stop all updates in one step: ${links.unsubscribe}`]
		})
	};
}

/** Sent to each person an administrator imports: why they get this, and how to change or stop. */
export function importWelcomeMail(
	site: UpdatesSite,
	to: string,
	token: string,
	topics: UpdateTopic[]
): OutgoingMail {
	const links = subscriberLinks(site, token);
	return {
		to,
		kind: 'updates.import-welcome',
		subject: `Your email updates from ${site.siteName} have moved`,
		...renderMail({
			siteName: site.siteName,
			paragraphs: [
				`You agreed to get email updates from ${site.siteName}. We have moved our mailing list to our own site, so they now come from here.`,
				`You will get updates about: ${topicLines(topics)}.`,
				'You can change your topics, stop all updates or remove your address at any time.'
			],
			action: { label: 'Choose your topics', url: links.preferences },
			footnotes: [`To stop all updates in one step: ${links.unsubscribe}`]
		})
	};
}
