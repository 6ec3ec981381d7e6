import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import { markdownToPlainText } from '../markdown';
import type { SearchRegistration } from '../search/search.registry';
import type { IdeaStage } from './ideas.tables';

type Db = Kysely<DB> | Transaction<DB>;

export interface IdeaSearchRow {
	id: string;
	slug: string;
	title: string;
	body: string;
	stage: IdeaStage;
	removed_at: string | null;
	created_at: string;
	updated_at: string;
}

/** Ideas in id order: shared by loadRow and the reindex, so the two cannot disagree. */
function ideaRows(db: Db) {
	return db
		.selectFrom('idea')
		.select(['id', 'slug', 'title', 'body', 'stage', 'removed_at', 'created_at', 'updated_at'])
		.orderBy('id');
}

/**
 * Ideas are public from the moment they are posted (visitors read /ideas); a removed idea has
 * no page, so no document. Ideas have no themes; the stage is the document's type.
 */
export const IDEA_SEARCH: SearchRegistration<IdeaSearchRow> = {
	kind: 'idea',
	label: 'Idea',
	toDocument(row) {
		if (row.removed_at) return null;
		return {
			kind: 'idea',
			docId: row.id,
			title: row.title,
			body: markdownToPlainText(row.body),
			path: `/ideas/${row.slug}`,
			type: row.stage,
			startsAt: row.created_at,
			visibility: 'public',
			updatedAt: row.updated_at
		};
	},
	async loadRow(db, id) {
		return ideaRows(db).where('id', '=', id).executeTakeFirst();
	},
	async listForReindex(db, { after, limit }) {
		let query = ideaRows(db).limit(limit);
		if (after) query = query.where('id', '>', after);
		const rows = await query.execute();
		return { rows, lastId: rows.at(-1)?.id ?? null };
	}
};
