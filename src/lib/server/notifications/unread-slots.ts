import { render } from 'svelte/server';
import type { Kysely } from 'kysely';
import UnreadCount from '$lib/components/UnreadCount.svelte';
import type { SessionUser } from '../auth/auth.types';
import { fillSlots, type OwnParts } from '../cache/shared-pages';
import type { DB } from '../db/schema';
import { countUnread } from './notifications.service';

/** The badges for one count, rendered once (counts are small numbers, so few are kept). */
const badges = new Map<number, { menu: string; nav: string }>();

function badgesFor(count: number): { menu: string; nav: string } {
	let made = badges.get(count);
	if (!made) {
		made = count
			? {
					menu: render(UnreadCount, { props: { count, label: 'unread notifications' } }).body,
					nav: render(UnreadCount, { props: { count, label: 'unread' } }).body
				}
			: { menu: '', nav: '' };
		if (badges.size > 100) badges.clear();
		badges.set(count, made);
	}
	return made;
}

/**
 * The header's unread count for a shared render (cache/shared-pages.ts) for `user`: the same
 * badge, beside "Menu" and "Notifications", that the layout shows when it renders for them.
 */
export async function unreadSlots(db: Kysely<DB>, user: SessionUser): Promise<OwnParts> {
	const count = await countUnread(db, user.id);
	const { menu, nav } = badgesFor(count);
	return {
		key: String(count),
		fill: (html) =>
			fillSlots(
				html,
				new Map([
					['unread-menu', menu],
					['unread-nav', nav]
				])
			)
	};
}
