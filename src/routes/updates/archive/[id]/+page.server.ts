import { error } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { renderMarkdown } from '$lib/server/markdown';
import { findArchived } from '$lib/server/updates/announcements.service';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, url }) => {
	const item = await findArchived(app().database.db, params.id);
	if (!item) error(404, 'There is no such announcement.');
	return {
		announcement: { id: item.id, title: item.title, sentAt: item.sentAt },
		html: renderMarkdown(item.body),
		sent: url.searchParams.get('notice') === 'sent',
		timeZone: app().config.timeZone
	};
};
