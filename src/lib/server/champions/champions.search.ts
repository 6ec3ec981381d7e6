import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import type { SearchRegistration } from '../search/search.registry';
import { refreshSearchDocument } from '../search/search.repository';
import type { Champion } from './champions.tables';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * What a champion's document is made of: what the directory card shows (name, what they help
 * with, the service areas and barriers they know). Never their phone or contact preference.
 */
export type ChampionSearchRow = Pick<
	Champion,
	'id' | 'help_with' | 'status' | 'confirmed_at' | 'created_at' | 'updated_at'
> & {
	name: string;
	/** Service areas' slugs, the library's themes. */
	themes: string[];
	/** The labels of the service areas and barriers they know, as the card shows them. */
	knows: string[];
};

/** Champions listed in the directory (confirmed, taking requests), with their topics. */
async function listedChampions(
	db: Db,
	where: { id: string } | { after: string | null; limit: number }
): Promise<ChampionSearchRow[]> {
	let query = db
		.selectFrom('champion as c')
		.innerJoin('app_user as u', 'u.id', 'c.user_id')
		.select([
			'c.id',
			'c.help_with',
			'c.status',
			'c.confirmed_at',
			'c.created_at',
			'c.updated_at',
			'u.name as name'
		])
		.where('c.status', '=', 'confirmed');
	if ('id' in where) query = query.where('c.id', '=', where.id);
	else {
		if (where.after !== null) query = query.where('c.id', '>', where.after);
		query = query.orderBy('c.id').limit(where.limit);
	}
	const champions = await query.execute();
	if (!champions.length) return [];
	const topics = await db
		.selectFrom('champion_topic as t')
		.innerJoin('library_tag as l', 'l.id', 't.value')
		.select(['t.champion_id', 't.kind', 'l.slug', 'l.label'])
		.where(
			't.champion_id',
			'in',
			champions.map((c) => c.id)
		)
		.where('t.kind', 'in', ['service-area', 'barrier'])
		.orderBy('t.kind', 'desc')
		.orderBy('l.position')
		.orderBy('l.slug')
		.execute();
	return champions.map((c) => {
		const mine = topics.filter((t) => t.champion_id === c.id);
		return {
			...c,
			themes: mine.filter((t) => t.kind === 'service-area').map((t) => t.slug),
			knows: mine.map((t) => t.label)
		};
	});
}

/** Co-production champions in search, as the public directory lists them. */
export const CHAMPION_SEARCH: SearchRegistration<ChampionSearchRow> = {
	kind: 'champion',
	label: 'Champion',
	toDocument(row) {
		// Waiting, paused and stepped-down champions are not in the directory.
		if (row.status !== 'confirmed') return null;
		return {
			kind: 'champion',
			docId: row.id,
			title: row.name,
			body: [row.help_with, row.knows.join(', ')].filter(Boolean).join('\n\n'),
			path: `/champions/${row.id}`,
			themes: row.themes,
			startsAt: row.confirmed_at ?? row.created_at,
			visibility: 'public',
			updatedAt: row.updated_at
		};
	},
	async loadRow(db, docId) {
		return (await listedChampions(db, { id: docId }))[0];
	},
	async listForReindex(db, batch) {
		const rows = await listedChampions(db, batch);
		return { rows, lastId: rows.at(-1)?.id ?? null };
	}
};

/** Makes search say what the champion's entry now says, inside the caller's transaction. */
export async function refreshChampionSearch(trx: Db, championId: string): Promise<void> {
	await refreshSearchDocument(trx, CHAMPION_SEARCH, championId);
}

/**
 * The same for a person's champion entry, if they have one: their name is its title, so a
 * new display name (profiles) refreshes it.
 */
export async function refreshChampionSearchOfPerson(trx: Db, userId: string): Promise<void> {
	const row = await trx
		.selectFrom('champion')
		.select('id')
		.where('user_id', '=', userId)
		.executeTakeFirst();
	if (row) await refreshChampionSearch(trx, row.id);
}
