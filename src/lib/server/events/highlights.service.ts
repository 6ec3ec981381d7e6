import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { nowIso } from '../ids';
import { markdownExcerpt } from '../markdown';

// What the home page shows of events beyond the list: the latest café harvests and talk
// programmes. Each reads a few public events through the event indexes, then their topics or
// talks in one query.

/** Characters of a harvest kept on the home page (the event page has it all). */
const HARVEST_EXCERPT = 160;
const TABLES_SHOWN = 3;
const TALKS_SHOWN = 6;

function publicEvents(db: Kysely<DB>, tools: 'cafe' | 'lightning') {
	return db
		.selectFrom('event as e')
		.innerJoin('event_format as f', 'f.id', 'e.format_id')
		.select(['e.id', 'e.title', 'e.starts_at', 'e.ends_at'])
		.where('f.tools', '=', tools)
		.where('e.visibility', '=', 'public')
		.where('e.approval', '=', 'approved')
		.where('e.status', '!=', 'cancelled');
}

export interface CafeHarvest {
	id: string;
	title: string;
	starts_at: string;
	ends_at: string;
	tables: Array<{ id: string; title: string; excerpt: string }>;
	/** Tables harvested beyond those shown. */
	moreTables: number;
}

/** The latest Knowledge Cafés with at least one table's harvest written, newest first. */
export async function latestCafeHarvests(
	db: Kysely<DB>,
	limit = 2,
	now = nowIso()
): Promise<CafeHarvest[]> {
	const events = await publicEvents(db, 'cafe')
		.where('e.starts_at', '<', now)
		.where(({ exists, selectFrom }) =>
			exists(
				selectFrom('event_cafe_topic as t')
					.select('t.id')
					.whereRef('t.event_id', '=', 'e.id')
					.where('t.harvest', 'is not', null)
			)
		)
		.orderBy('e.starts_at', 'desc')
		.orderBy('e.id')
		.limit(limit)
		.execute();
	if (!events.length) return [];
	const topics = await db
		.selectFrom('event_cafe_topic')
		.select(['id', 'event_id', 'title', 'harvest', 'table_number'])
		.where(
			'event_id',
			'in',
			events.map((e) => e.id)
		)
		.where('harvest', 'is not', null)
		.orderBy('table_number')
		.orderBy('id')
		.execute();
	return events.map((e) => {
		const mine = topics.filter((t) => t.event_id === e.id);
		return {
			...e,
			tables: mine.slice(0, TABLES_SHOWN).map((t) => ({
				id: t.id,
				title: t.title,
				excerpt: markdownExcerpt(t.harvest ?? '', HARVEST_EXCERPT)
			})),
			moreTables: Math.max(0, mine.length - TABLES_SHOWN)
		};
	});
}

export interface TalkProgramme {
	id: string;
	title: string;
	starts_at: string;
	ends_at: string;
	talks: Array<{ id: string; title: string; speaker: string | null; minutes: number }>;
	moreTalks: number;
}

/**
 * Running orders of Lightning Talks with accepted talks: the next ones coming up, soonest
 * first, or (when none are planned) the latest ones held.
 */
export async function latestTalkProgrammes(
	db: Kysely<DB>,
	limit = 2,
	now = nowIso()
): Promise<TalkProgramme[]> {
	const withTalks = () =>
		publicEvents(db, 'lightning').where(({ exists, selectFrom }) =>
			exists(
				selectFrom('event_talk as k')
					.select('k.id')
					.whereRef('k.event_id', '=', 'e.id')
					.where('k.status', '=', 'accepted')
			)
		);
	let events = await withTalks()
		.where('e.ends_at', '>', now)
		.orderBy('e.starts_at')
		.orderBy('e.id')
		.limit(limit)
		.execute();
	if (!events.length) {
		events = await withTalks()
			.where('e.ends_at', '<=', now)
			.orderBy('e.starts_at', 'desc')
			.orderBy('e.id')
			.limit(limit)
			.execute();
	}
	if (!events.length) return [];
	const talks = await db
		.selectFrom('event_talk as k')
		.leftJoin('app_user as u', 'u.id', 'k.speaker_id')
		.select(['k.id', 'k.event_id', 'k.title', 'k.minutes', 'u.name as speaker'])
		.where(
			'k.event_id',
			'in',
			events.map((e) => e.id)
		)
		.where('k.status', '=', 'accepted')
		.orderBy('k.position')
		.orderBy('k.id')
		.execute();
	return events.map((e) => {
		const mine = talks.filter((k) => k.event_id === e.id);
		return {
			...e,
			talks: mine.slice(0, TALKS_SHOWN).map(({ id, title, speaker, minutes }) => ({
				id,
				title,
				speaker,
				minutes
			})),
			moreTalks: Math.max(0, mine.length - TALKS_SHOWN)
		};
	});
}
