import { error, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/auth.http';
import { refusedAs403 } from '$lib/server/http/refusals';
import { markAllRead, viewNotifications } from '$lib/server/notifications/notifications.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const raw = event.url.searchParams.get('page') ?? '1';
	const page = /^\d{1,6}$/.test(raw) ? Number(raw) : NaN;
	if (!Number.isInteger(page) || page < 1) error(404, 'There is no such page of notifications.');
	const view = await refusedAs403(() => viewNotifications(app().database.db, user, user.id, page));
	if (page > view.totalPages) error(404, 'There is no such page of notifications.');
	return {
		...view,
		page,
		// Overrides the layout's count, which was read before this page marked these read.
		unreadNotifications: view.unread,
		timeZone: app().config.timeZone
	};
};

export const actions: Actions = {
	markAllRead: async (event) => {
		const user = requireUser(event);
		await refusedAs403(() => markAllRead(app().database.db, user, user.id));
		redirect(303, '/notifications?marked=all');
	}
};
