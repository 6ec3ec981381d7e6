import { app } from '$lib/server/app';
import { escapeHtml } from '$lib/server/mail/templates';
import { renderMarkdown } from '$lib/server/markdown';
import { listArchive } from '$lib/server/updates/announcements.service';
import type { RequestHandler } from './$types';

/** The newest sent announcements as an Atom feed, written by hand (every value escaped). */
export const GET: RequestHandler = async () => {
	const { config, database } = app();
	const { items } = await listArchive(database.db, 1, 30);
	const base = `${config.origin}/updates/archive`;
	const updated = items[0]?.sentAt ?? new Date(0).toISOString();
	const e = escapeHtml;
	const entries = items
		.map(
			(item) => `	<entry>
		<id>${e(`${base}/${item.id}`)}</id>
		<title>${e(item.title)}</title>
		<link rel="alternate" type="text/html" href="${e(`${base}/${item.id}`)}"/>
		<published>${e(item.sentAt)}</published>
		<updated>${e(item.sentAt)}</updated>
		<content type="html">${e(renderMarkdown(item.body))}</content>
	</entry>`
		)
		.join('\n');
	const body = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
	<id>${e(`${base}/feed.atom`)}</id>
	<title>${e(`Announcements – ${config.siteName}`)}</title>
	<link rel="self" type="application/atom+xml" href="${e(`${base}/feed.atom`)}"/>
	<link rel="alternate" type="text/html" href="${e(base)}"/>
	<updated>${e(updated)}</updated>
	<author><name>${e(config.siteName)}</name></author>
${entries}
</feed>
`;
	return new Response(body, {
		headers: {
			'content-type': 'application/atom+xml; charset=utf-8',
			'cache-control': 'public, max-age=300'
		}
	});
};
