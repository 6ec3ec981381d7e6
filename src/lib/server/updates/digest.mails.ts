import type { OutgoingMail } from '../mail/outbox';
import { escapeHtml, renderMail } from '../mail/templates';
import { formatEventWhen } from '../events/event-time';
import { eventPath } from '../events/events.links';
import type { DigestEvent } from '../events/events.digest.service';
import type { DigestPost } from '../posts/posts.digest.service';
import { subscriberLinks, type UpdatesSite } from './updates.mails';
import type { UpdateTopic } from './updates.topics';

/** What one person's digest holds (already chosen by their topics). */
export interface DigestContent {
	newEvents: DigestEvent[];
	comingUp: DigestEvent[];
	newPosts: DigestPost[];
}

/** Where a post is read on the site. */
export function postPath(slug: string): string {
	return `/blog/${encodeURIComponent(slug)}`;
}

function count(n: number, one: string, many: string): string {
	return `${n} ${n === 1 ? one : many}`;
}

/** The subject: what is in it, so a glance at the inbox says whether to open it. */
export function digestSubject(site: UpdatesSite, content: DigestContent): string {
	const parts: string[] = [];
	if (content.newEvents.length)
		parts.push(count(content.newEvents.length, 'new event', 'new events'));
	if (content.newPosts.length) parts.push(count(content.newPosts.length, 'new post', 'new posts'));
	return `This week at ${site.siteName}: ${parts.join(' and ')}`;
}

function eventText(site: UpdatesSite, e: DigestEvent, timeZone: string): string {
	const where = e.mode === 'online' ? 'Online' : (e.venueName ?? 'In person');
	return [
		`- ${e.title} (${e.formatName})`,
		`  ${formatEventWhen(e.startsAt, e.endsAt, timeZone)}. ${where}.`,
		`  ${site.origin}${eventPath(e.id)}`
	].join('\n');
}

function eventHtml(site: UpdatesSite, e: DigestEvent, timeZone: string): string {
	const where = e.mode === 'online' ? 'Online' : (e.venueName ?? 'In person');
	return `<li style="margin:0 0 12px"><a href="${escapeHtml(site.origin + eventPath(e.id))}" style="font-weight:bold">${escapeHtml(e.title)}</a><br>
${escapeHtml(e.formatName)}. ${escapeHtml(formatEventWhen(e.startsAt, e.endsAt, timeZone))}. ${escapeHtml(where)}.${e.summary ? `<br>\n${escapeHtml(e.summary)}` : ''}</li>`;
}

function postText(site: UpdatesSite, p: DigestPost): string {
	return [
		`- ${p.title}`,
		...(p.summary ? [`  ${p.summary}`] : []),
		`  ${site.origin}${postPath(p.slug)}`
	].join('\n');
}

function postHtml(site: UpdatesSite, p: DigestPost): string {
	return `<li style="margin:0 0 12px"><a href="${escapeHtml(site.origin + postPath(p.slug))}" style="font-weight:bold">${escapeHtml(p.title)}</a>${p.summary ? `<br>\n${escapeHtml(p.summary)}` : ''}</li>`;
}

/**
 * The body of a digest, the same for everyone with the same topics: plain-text paragraphs and
 * HTML (headings and lists, which screen readers announce with their length). Built once per
 * set of topics by the sender, then each person's own links are added.
 */
export function digestBody(
	site: UpdatesSite,
	content: DigestContent,
	timeZone: string
): { subject: string; paragraphs: string[]; html: string } {
	const paragraphs: string[] = [];
	const html: string[] = [
		`<h1 style="margin:0 0 16px;font-size:28px">What is new at ${escapeHtml(site.siteName)}</h1>`
	];
	const section = (title: string, text: string[], items: string[]) => {
		paragraphs.push(`${title}\n\n${text.join('\n\n')}`);
		html.push(
			`<h2 style="margin:24px 0 8px;font-size:22px">${escapeHtml(title)}</h2>\n<ul style="margin:0 0 16px;padding-left:20px">\n${items.join('\n')}\n</ul>`
		);
	};
	if (content.newEvents.length)
		section(
			'New events',
			content.newEvents.map((e) => eventText(site, e, timeZone)),
			content.newEvents.map((e) => eventHtml(site, e, timeZone))
		);
	if (content.newPosts.length)
		section(
			'New posts',
			content.newPosts.map((p) => postText(site, p)),
			content.newPosts.map((p) => postHtml(site, p))
		);
	if (content.comingUp.length)
		section(
			'Coming up in the next two weeks',
			content.comingUp.map((e) => eventText(site, e, timeZone)),
			content.comingUp.map((e) => eventHtml(site, e, timeZone))
		);
	return { subject: digestSubject(site, content), paragraphs, html: html.join('\n') };
}

/** One person's digest: the shared body, and their own preferences and unsubscribe links. */
export function digestMail(
	site: UpdatesSite,
	to: string,
	body: { subject: string; paragraphs: string[]; html: string },
	topics: UpdateTopic[],
	token: string
): OutgoingMail {
	const links = subscriberLinks(site, token);
	return {
		to,
		kind: 'updates.digest',
		subject: body.subject,
		keptSubject: body.subject,
		...renderMail({
			siteName: site.siteName,
			paragraphs: body.paragraphs,
			paragraphsHtml: body.html,
			action: { label: 'See all events', url: `${site.origin}/events` },
			footnotes: [
				`You get this weekly digest because you chose email updates about: ${topics.map((t) => t.label).join(', ')}. It comes only when there is something new for you.`,
				`Choose your topics: ${links.preferences}`,
				`Stop all updates in one step: ${links.unsubscribe}`
			]
		})
	};
}
