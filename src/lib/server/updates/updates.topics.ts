import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { listFormats } from '../events/events.service';
import { listFollowableThemes } from '../posts/posts.digest.service';

/** One thing a person can choose to hear about. `key` is stored; `label` is shown. */
export interface UpdateTopic {
	key: string;
	label: string;
	hint?: string;
}

/**
 * Where topics come from. Each feature that has something to tell adds a source here (a blog
 * adds "New posts" and its themes), so the sign-up form, the preferences page and the senders
 * all read the same list. Sources run in this order.
 */
export interface TopicSource {
	list(db: Kysely<DB>): Promise<UpdateTopic[]>;
}

export const TOPIC_SOURCES: TopicSource[] = [
	{
		async list() {
			return [
				{ key: 'events', label: 'New events', hint: 'Every new event, of any kind.' },
				{ key: 'posts', label: 'New posts', hint: 'Every new post on the blog.' },
				{ key: 'announcements', label: 'Announcements', hint: 'News from the network.' }
			];
		}
	},
	{
		// One topic per event format, for people who only want, say, Knowledge Cafés.
		async list(db) {
			const formats = await listFormats(db);
			return formats.map((f) => ({
				key: `format:${f.id}`,
				label: `${f.name} events only`
			}));
		}
	},
	{
		// One topic per active blog theme, for people who only follow some themes.
		async list(db) {
			const themes = await listFollowableThemes(db);
			return themes.map((t) => ({ key: `theme:${t.id}`, label: `Posts about ${t.name}` }));
		}
	}
];

/** Every topic a person can choose now, in the order shown. */
export async function listTopics(db: Kysely<DB>): Promise<UpdateTopic[]> {
	const lists = await Promise.all(TOPIC_SOURCES.map((s) => s.list(db)));
	return lists.flat();
}
