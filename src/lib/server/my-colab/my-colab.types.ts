import type { Kysely } from 'kysely';
import type { SessionUser } from '../auth/auth.types';
import type { DB } from '../db/schema';

/**
 * My CoLab is made of sections, one per kind of thing a member has (places, checks,
 * organisations…). Each feature exposes loaders that return `MyColabItem`s from its own
 * service; `my-colab.registry.ts` wires them into sections. A later feature adds its part by
 * adding a section there: the /me page and the home page need no change.
 */

/** A link beside an item: "Add to calendar", "Take the place". */
export interface MyColabAction {
	href: string;
	label: string;
	/**
	 * Words for screen readers after the label, so the link makes sense out of context: "at
	 * <event>" makes "Take the place at <event>".
	 */
	context?: string;
	/** A file to save (a calendar file), not a page. */
	download?: boolean;
}

/** One thing of the member's, as the pages show it: plain text only (pages escape it). */
export interface MyColabItem {
	/** Unique within its section. */
	id: string;
	/** The item's name, as its link text when `href` is set. */
	title: string;
	href: string | null;
	/** Short lines about it: when, where, what state it is in. */
	details: string[];
	actions: MyColabAction[];
}

/** What a loader is given: how many items to read, from where, and how to show dates. */
export interface MyColabLoadOptions {
	/** Read at most this many items (the registry asks for one more than it shows). */
	limit: number;
	/** Skip this many (for the pages of a section's full list). */
	offset: number;
	/** ISO time that counts as now. */
	now: string;
	/** The site's time zone, for dates and times in words. */
	timeZone: string;
}

/**
 * Reads one section's items for the member, in the order they are shown, in a fixed number of
 * queries whatever the number of items (never one per item).
 */
export type MyColabLoader = (
	db: Kysely<DB>,
	member: SessionUser,
	options: MyColabLoadOptions
) => Promise<MyColabItem[]>;

export interface MyColabLink {
	href: string;
	label: string;
}

export interface MyColabSection {
	/** Also its address: /me/<id> lists all its items. */
	id: string;
	title: string;
	/** Lower comes first. */
	order: number;
	/** Said when there is nothing, with where to go next. */
	empty: { text: string; link?: MyColabLink };
	load: MyColabLoader;
}

/** A section as loaded for a page. */
export interface LoadedSection {
	id: string;
	title: string;
	items: MyColabItem[];
	/** More items than shown: the link to all of them. */
	more: MyColabLink | null;
	empty: { text: string; link?: MyColabLink };
}
