import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import { markdownToSearchText } from '../markdown';
import type { SearchRegistration } from '../search/search.registry';
import {
	refreshSearchDocument,
	removeSearchDocument,
	upsertSearchDocument
} from '../search/search.repository';
import { eventPath } from './events.links';
import type { EventFormat } from './events.tables';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * Events and their talks in search. A document exists only for what a visitor can find on the
 * site: public, approved events (cancelled ones too: their page stays open to anyone and says
 * so), and the accepted talks of those events. Unlisted events are shared by link only, and
 * events waiting for approval are seen by their managers only: neither has a document.
 *
 * The format's name is part of an event's document: renaming a format rewrites its events'
 * documents in the same transaction (`refreshEventSearchOfFormat`).
 */

function eventRows(db: Db) {
	return db
		.selectFrom('event as e')
		.innerJoin('event_format as f', 'f.id', 'e.format_id')
		.select([
			'e.id',
			'e.title',
			'e.description',
			'e.venue_name',
			'e.format_id',
			'f.name as format_name',
			'f.tools as format_tools',
			'e.organisation_id',
			'e.starts_at',
			'e.visibility',
			'e.approval',
			'e.record_summary',
			'e.record_outcomes',
			'e.cafe_vote_closed_at',
			'e.updated_at'
		]);
}

type EventRow = Awaited<ReturnType<ReturnType<typeof eventRows>['execute']>>[number];

export type EventSearchRow = EventRow & {
	/** The café's tables and harvests as Markdown; null unless a café whose vote has closed. */
	cafe_tables_text: string | null;
};

/** Whether the event's page shows its café tables: a café whose vote has closed. */
function showsCafeTables(row: EventRow): boolean {
	return row.format_tools === 'cafe' && !!row.cafe_vote_closed_at;
}

/**
 * Adds the café's tables as the event's page shows them once the vote has closed: each table's
 * topic and its harvest (Markdown), in table order. A second query, and only when some row is
 * such a café: as a subquery of the event's query it was planned and set up for every event,
 * even where it never ran, and made loading one on PostgreSQL take twice as long.
 */
async function withCafeTables(db: Db, rows: EventRow[]): Promise<EventSearchRow[]> {
	const cafeIds = rows.filter(showsCafeTables).map((row) => row.id);
	const tables = new Map<string, string[]>();
	if (cafeIds.length) {
		const topics = await db
			.selectFrom('event_cafe_topic')
			.select(['event_id', 'title', 'harvest'])
			.where('event_id', 'in', cafeIds)
			.where('table_number', 'is not', null)
			.orderBy('event_id')
			.orderBy('table_number')
			.orderBy('id')
			.execute();
		for (const topic of topics) {
			const texts = tables.get(topic.event_id) ?? [];
			texts.push(`${topic.title}\n\n${topic.harvest ?? ''}`);
			tables.set(topic.event_id, texts);
		}
	}
	return rows.map((row) => ({
		...row,
		cafe_tables_text: tables.get(row.id)?.join('\n\n') ?? null
	}));
}

/** Who may find an event: anyone, once it is public and approved; otherwise nobody. */
function findable(row: { visibility: string; approval: string }): boolean {
	return row.visibility === 'public' && row.approval === 'approved';
}

export const EVENT_SEARCH: SearchRegistration<EventSearchRow> = {
	kind: 'event',
	label: 'Event',
	toDocument(row) {
		if (!findable(row)) return null;
		const cafe = showsCafeTables(row) && row.cafe_tables_text ? row.cafe_tables_text : null;
		const body = [
			markdownToSearchText(row.description),
			row.venue_name,
			row.format_name,
			row.record_summary ? markdownToSearchText(row.record_summary) : null,
			row.record_outcomes,
			cafe ? markdownToSearchText(cafe) : null
		]
			.filter((part): part is string => !!part && part.trim() !== '')
			.join('\n\n');
		return {
			kind: 'event',
			docId: row.id,
			title: row.title,
			body,
			path: eventPath(row.id),
			format: row.format_id,
			startsAt: row.starts_at,
			organisationId: row.organisation_id,
			visibility: 'public',
			updatedAt: row.updated_at
		};
	},
	async loadRow(db, id) {
		const row = await eventRows(db).where('e.id', '=', id).executeTakeFirst();
		return row && (await withCafeTables(db, [row]))[0];
	},
	async listForReindex(db, { after, limit }) {
		let q = eventRows(db);
		if (after !== null) q = q.where('e.id', '>', after);
		const rows = await q.orderBy('e.id').limit(limit).execute();
		return { rows: await withCafeTables(db, rows), lastId: rows.at(-1)?.id ?? null };
	}
};

function talkRows(db: Db) {
	return db
		.selectFrom('event_talk as t')
		.innerJoin('event as e', 'e.id', 't.event_id')
		.select([
			't.id',
			't.event_id',
			't.title',
			't.summary',
			't.status',
			'e.title as event_title',
			'e.format_id',
			'e.organisation_id',
			'e.starts_at',
			'e.visibility',
			'e.approval',
			't.updated_at'
		]);
}

export type TalkSearchRow = Awaited<ReturnType<ReturnType<typeof talkRows>['execute']>>[number];

export const TALK_SEARCH: SearchRegistration<TalkSearchRow> = {
	kind: 'talk',
	label: 'Talk',
	toDocument(row) {
		// Offers, declined and withdrawn talks are for the host and the speaker only.
		if (row.status !== 'accepted' || !findable(row)) return null;
		return {
			kind: 'talk',
			docId: row.id,
			title: row.title,
			// The summary is shown as plain text on the talks page.
			body: `${row.summary}\n\n${row.event_title}`,
			path: `${eventPath(row.event_id)}/talks`,
			format: row.format_id,
			startsAt: row.starts_at,
			organisationId: row.organisation_id,
			visibility: 'public',
			updatedAt: row.updated_at
		};
	},
	loadRow(db, id) {
		return talkRows(db).where('t.id', '=', id).executeTakeFirst();
	},
	async listForReindex(db, { after, limit }) {
		let q = talkRows(db);
		if (after !== null) q = q.where('t.id', '>', after);
		const rows = await q.orderBy('t.id').limit(limit).execute();
		return { rows, lastId: rows.at(-1)?.id ?? null };
	}
};

/** Makes one talk's document follow the talk, in the transaction that changed it. */
export async function refreshTalkSearch(db: Db, talkId: string): Promise<void> {
	await refreshSearchDocument(db, TALK_SEARCH, talkId);
}

/** Removes a deleted talk's document. */
export async function removeTalkSearch(db: Db, talkId: string): Promise<void> {
	await removeSearchDocument(db, TALK_SEARCH.kind, talkId);
}

/**
 * A new event's document, from the row just inserted and its format, in the transaction that
 * created it: the same document `refreshEventSearch` would write, without reading the event back
 * (on PostgreSQL that read was half the index's cost of creating an event). A new event has no
 * talks and no café tables yet, and none while it waits for approval.
 */
export async function indexNewEvent(
	db: Db,
	event: Omit<EventRow, 'format_name' | 'format_tools'>,
	format: Pick<EventFormat, 'name' | 'tools'>
): Promise<void> {
	const doc = EVENT_SEARCH.toDocument({
		...event,
		format_name: format.name,
		format_tools: format.tools,
		cafe_tables_text: null
	});
	if (doc) await upsertSearchDocument(db, doc);
}

/** How many events' documents a format's rename rewrites per query. */
const FORMAT_BATCH = 500;

/**
 * After a format is renamed: the documents of its events carry the new name, written in the
 * transaction of the rename, a batch of events per query. Only events anyone can find have a
 * document; a rename changes nobody's right to find one. Returns how many were rewritten.
 */
export async function refreshEventSearchOfFormat(
	db: Db,
	formatId: string,
	batch = FORMAT_BATCH
): Promise<number> {
	let after: string | null = null;
	let written = 0;
	for (;;) {
		let query = eventRows(db)
			.where('e.format_id', '=', formatId)
			.where('e.visibility', '=', 'public')
			.where('e.approval', '=', 'approved');
		if (after !== null) query = query.where('e.id', '>', after);
		const rows = await query.orderBy('e.id').limit(batch).execute();
		for (const row of await withCafeTables(db, rows)) {
			const doc = EVENT_SEARCH.toDocument(row);
			if (doc) {
				await upsertSearchDocument(db, doc);
				written++;
			}
		}
		if (rows.length < batch) return written;
		after = rows[rows.length - 1]!.id;
	}
}

/**
 * Makes an event's document, and its talks' documents (which follow the event's visibility and
 * date), say what the rows now say. Call it in the transaction of every change to an event.
 * `talks: false` skips the talks when the change cannot touch them.
 */
export async function refreshEventSearch(
	db: Db,
	eventId: string,
	options: { talks?: boolean } = {}
): Promise<void> {
	await refreshSearchDocument(db, EVENT_SEARCH, eventId);
	if (options.talks === false) return;
	const talks = await talkRows(db).where('t.event_id', '=', eventId).execute();
	for (const row of talks) {
		const doc = TALK_SEARCH.toDocument(row);
		if (doc) await upsertSearchDocument(db, doc);
		else await removeSearchDocument(db, TALK_SEARCH.kind, row.id);
	}
}

/**
 * Before events are deleted: the ids whose documents must go with them (the events' own and
 * their talks'), read while the rows still exist. Pass the result to `forgetEventSearch` after
 * the delete, in the same transaction.
 */
export async function eventSearchIdsOf(db: Db, eventIds: readonly string[]) {
	if (!eventIds.length) return { events: [], talks: [] };
	const talks = await db
		.selectFrom('event_talk')
		.select('id')
		.where('event_id', 'in', eventIds)
		.execute();
	return { events: [...eventIds], talks: talks.map((t) => t.id) };
}

/** Removes the documents of deleted events and their talks. */
export async function forgetEventSearch(
	db: Db,
	ids: { events: readonly string[]; talks: readonly string[] }
): Promise<void> {
	for (const id of ids.events) await removeSearchDocument(db, EVENT_SEARCH.kind, id);
	for (const id of ids.talks) await removeSearchDocument(db, TALK_SEARCH.kind, id);
}
