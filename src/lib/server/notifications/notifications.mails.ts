import type { OutgoingMail } from '../mail/outbox';
import { renderMail } from '../mail/templates';
import { plural } from '$lib/plural';
import { findKind } from './notifications.kinds';

/** What notification mails need to know about the site. */
export interface NotificationsSite {
	siteName: string;
	origin: string;
}

export interface MailedNotification {
	kind: string;
	title: string;
	url: string;
	count: number;
}

function absolute(site: NotificationsSite, url: string): string {
	return url.startsWith('/') ? `${site.origin}${url}` : url;
}

function settingsNote(site: NotificationsSite): string {
	return `Choose what we tell you about, and whether email comes at once or once a day: ${site.origin}/account/notifications`;
}

function line(n: MailedNotification): string {
	const kind = findKind(n.kind);
	return n.count > 1 && kind ? `${n.title} (${kind.many(n.count)})` : n.title;
}

/** One notification, emailed at once (the member chose "at once"). */
export function notificationMail(
	site: NotificationsSite,
	to: { email: string; name: string; userId: string },
	n: MailedNotification
): OutgoingMail {
	const url = absolute(site, n.url);
	const { text, html } = renderMail({
		siteName: site.siteName,
		greeting: `Hello ${to.name},`,
		paragraphs: [line(n)],
		action: { label: 'Open it on the site', url },
		footnotes: [settingsNote(site)]
	});
	return {
		to: to.email,
		subject: n.title,
		// The title can carry someone's name or words; the outbox keeps only this once sent.
		keptSubject: `A notification from ${site.siteName}`,
		text,
		html,
		kind: 'notifications.at-once',
		userId: to.userId
	};
}

/** Everything a member was not yet emailed, in one mail (the member chose "once a day"). */
export function summaryMail(
	site: NotificationsSite,
	to: { email: string; name: string; userId: string },
	items: MailedNotification[]
): OutgoingMail {
	const { text, html } = renderMail({
		siteName: site.siteName,
		greeting: `Hello ${to.name},`,
		paragraphs: [
			`Since our last email you have ${plural(items.length, 'new notification', 'new notifications')}:`,
			...items.map((n) => `${line(n)}\n${absolute(site, n.url)}`)
		],
		action: { label: 'See all your notifications', url: `${site.origin}/notifications` },
		footnotes: [`We send this summary at most once a day. ${settingsNote(site)}`]
	});
	return {
		to: to.email,
		subject: `Your notifications from ${site.siteName}: ${plural(items.length, 'new one', 'new ones')}`,
		text,
		html,
		kind: 'notifications.daily-summary',
		userId: to.userId
	};
}
