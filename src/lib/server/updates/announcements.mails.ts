import type { OutgoingMail } from '../mail/outbox';
import { escapeHtml, renderMail } from '../mail/templates';
import { markdownToPlainText, renderMarkdown } from '../markdown';
import { subscriberLinks, type UpdatesSite } from './updates.mails';
import type { UpdateTopic } from './updates.topics';

export interface AnnouncementContent {
	id: string;
	title: string;
	/** Markdown. */
	body: string;
}

/** Where an announcement is read on the site once sent. */
export function announcementUrl(site: UpdatesSite, id: string): string {
	return `${site.origin}/updates/archive/${id}`;
}

/**
 * An announcement as one subscriber gets it: the Markdown as sanitised HTML and as plain text,
 * a link to read it on the site, and their own preferences and unsubscribe links. `token` is
 * the subscriber's link secret; a test mail passes null and says its links are not real.
 */
export function announcementMail(
	site: UpdatesSite,
	to: string,
	announcement: AnnouncementContent,
	topics: UpdateTopic[],
	token: string | null
): OutgoingMail {
	const footnotes = [
		`You get this because you chose email updates about: ${topics.map((t) => t.label).join(', ')}.`
	];
	if (token) {
		const links = subscriberLinks(site, token);
		footnotes.push(
			`Choose your topics: ${links.preferences}`,
			`Stop all updates in one step: ${links.unsubscribe}`
		);
	} else {
		footnotes.push(
			'This is a test sent only to you. In the real email, each person gets their own links to choose topics or stop.'
		);
	}
	return {
		to,
		kind: token ? 'updates.announcement' : 'updates.announcement-test',
		subject: token ? announcement.title : `Test: ${announcement.title}`,
		// A curator's public words, shown in the archive: fine to keep as the subject.
		keptSubject: token ? announcement.title : `Test: ${announcement.title}`,
		...renderMail({
			siteName: site.siteName,
			paragraphs: [announcement.title, markdownToPlainText(announcement.body)],
			paragraphsHtml: `<h1 style="margin:0 0 16px;font-size:28px">${escapeHtml(announcement.title)}</h1>\n${renderMarkdown(announcement.body)}`,
			action: { label: 'Read it on the site', url: announcementUrl(site, announcement.id) },
			footnotes
		})
	};
}
