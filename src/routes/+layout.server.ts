import type { LayoutServerLoad } from './$types';
import { app } from '$lib/server/app';
import { readContactDetails } from '$lib/server/admin/contact.service';
import { countUnread } from '$lib/server/notifications/notifications.service';

export const load: LayoutServerLoad = async ({ locals, url }) => {
	const user = locals.user;
	// Signed in: read again on every navigation, so the header's unread count stays current.
	if (user) void url.pathname;
	const db = app().database.db;
	// Independent reads, side by side: the header's count and the footer's contact details.
	const [unreadNotifications, contact] = await Promise.all([
		user ? countUnread(db, user.id) : 0,
		readContactDetails(db)
	]);
	return {
		siteName: app().config.siteName,
		user: user ? { id: user.id, name: user.name, role: user.role } : null,
		/** The header's count: one indexed query, only for signed-in people (whose pages are never cached). */
		unreadNotifications,
		/** A shared render for the stand-in member: the count is a slot, filled per member. */
		standIn: locals.sharedRender?.standIn === true,
		/** How to reach whoever runs this CoLab (footer, accessibility statement, privacy notice). */
		contact
	};
};
