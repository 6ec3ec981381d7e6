import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import { markdownToPlainText } from '../markdown';
import type { SearchRegistration, SearchVisibility } from '../search/search.registry';
import { refreshSearchDocument } from '../search/search.repository';
import type { Pilot, PilotVisibility } from './pilots.tables';

type Db = Kysely<DB> | Transaction<DB>;

/** Entries of a pilot's log that search reads, the newest first: the recent log is what matters. */
export const SEARCHED_ENTRIES = 50;

/** A pilot as search needs it: its words, its service areas' keys and its latest entries. */
export type PilotSearchRow = Pick<
	Pilot,
	| 'id'
	| 'slug'
	| 'title'
	| 'summary'
	| 'visibility'
	| 'organisation_id'
	| 'created_at'
	| 'updated_at'
> & {
	themes: string[];
	entries: Array<{ tried: string; happened: string; learned: string; next_change: string }>;
};

/** The audience key of a team-only pilot's document: only its owner and members hold it. */
export function pilotTeamAudience(pilotId: string): `pilot-team:${string}` {
	return `pilot-team:${pilotId}`;
}

/** Who may find a pilot: as who may open it (its visibility), the team by an audience key. */
export function pilotSearchVisibility(pilot: {
	id: string;
	visibility: PilotVisibility;
}): SearchVisibility | null {
	switch (pilot.visibility) {
		case 'public':
			return 'public';
		case 'members':
			return 'members';
		case 'team':
			return pilotTeamAudience(pilot.id);
		default:
			return null;
	}
}

/** Pilots with what their documents say; three queries for a whole batch. */
async function pilotRows(
	db: Db,
	where: { id: string } | { after: string | null; limit: number }
): Promise<PilotSearchRow[]> {
	let query = db
		.selectFrom('pilot')
		.select([
			'id',
			'slug',
			'title',
			'summary',
			'visibility',
			'organisation_id',
			'created_at',
			'updated_at'
		]);
	if ('id' in where) query = query.where('id', '=', where.id);
	else {
		if (where.after !== null) query = query.where('id', '>', where.after);
		query = query.orderBy('id').limit(where.limit);
	}
	const pilots = await query.execute();
	if (!pilots.length) return [];
	const pilotIds = pilots.map((p) => p.id);
	let entriesQuery = db
		.selectFrom('pilot_entry')
		.select(['pilot_id', 'tried', 'happened', 'learned', 'next_change'])
		.where('pilot_id', 'in', pilotIds)
		.orderBy('pilot_id')
		.orderBy('entry_date', 'desc')
		.orderBy('created_at', 'desc')
		.orderBy('id', 'desc');
	if ('id' in where) entriesQuery = entriesQuery.limit(SEARCHED_ENTRIES);
	const [areas, entries] = await Promise.all([
		db
			.selectFrom('pilot_service_area as a')
			.innerJoin('library_tag as t', 't.id', 'a.tag_id')
			.select(['a.pilot_id', 't.slug'])
			.where('a.pilot_id', 'in', pilotIds)
			.orderBy('t.slug')
			.execute(),
		entriesQuery.execute()
	]);
	return pilots.map((p) => ({
		...p,
		themes: areas.filter((a) => a.pilot_id === p.id).map((a) => a.slug),
		entries: entries.filter((e) => e.pilot_id === p.id).slice(0, SEARCHED_ENTRIES)
	}));
}

/** Pilots in search: what the team is trying and its log, for whoever may open the pilot. */
export const PILOT_SEARCH: SearchRegistration<PilotSearchRow> = {
	kind: 'pilot',
	label: 'Pilot',
	toDocument(row) {
		const visibility = pilotSearchVisibility(row);
		if (!visibility) return null;
		const entries = row.entries.flatMap((e) =>
			[e.tried, e.happened, e.learned, e.next_change].filter(Boolean)
		);
		return {
			kind: 'pilot',
			docId: row.id,
			title: row.title,
			body: [row.summary, ...entries].map((text) => markdownToPlainText(text)).join('\n\n'),
			path: `/pilots/${row.slug}`,
			themes: row.themes,
			startsAt: row.created_at,
			organisationId: row.organisation_id,
			visibility,
			updatedAt: row.updated_at
		};
	},
	async loadRow(db, docId) {
		return (await pilotRows(db, { id: docId }))[0];
	},
	async listForReindex(db, batch) {
		const rows = await pilotRows(db, batch);
		return { rows, lastId: rows.at(-1)?.id ?? null };
	},
	/** The team-only pilots this person owns or is on the team of, in one query. */
	async audiencesFor(db, userId) {
		const rows = await db
			.selectFrom('pilot as p')
			.select('p.id')
			.where('p.visibility', '=', 'team')
			.where((eb) =>
				eb.or([
					eb('p.owner_id', '=', userId),
					eb.exists(
						eb
							.selectFrom('pilot_member as m')
							.select('m.user_id')
							.whereRef('m.pilot_id', '=', 'p.id')
							.where('m.user_id', '=', userId)
					)
				])
			)
			.execute();
		return rows.map((r) => pilotTeamAudience(r.id));
	}
};

/** Makes search say what the pilot now says, inside the caller's transaction. */
export async function refreshPilotSearch(trx: Db, pilotId: string): Promise<void> {
	await refreshSearchDocument(trx, PILOT_SEARCH, pilotId);
}
