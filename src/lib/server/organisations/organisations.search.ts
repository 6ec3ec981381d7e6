import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import type { SearchRegistration } from '../search/search.registry';
import { refreshSearchDocument } from '../search/search.repository';

type Db = Kysely<DB> | Transaction<DB>;

// Every organisation has a public page (/organisations/<slug>) that anyone can open.
function organisationRows(db: Db) {
	return db.selectFrom('organisation').select(['id', 'slug', 'name', 'description', 'updated_at']);
}

export type OrganisationSearchRow = Awaited<
	ReturnType<ReturnType<typeof organisationRows>['execute']>
>[number];

export const ORGANISATION_SEARCH: SearchRegistration<OrganisationSearchRow> = {
	kind: 'organisation',
	label: 'Organisation',
	toDocument(row) {
		return {
			kind: 'organisation',
			docId: row.id,
			title: row.name,
			// Shown as plain text on the organisation's page.
			body: row.description,
			path: `/organisations/${row.slug}`,
			organisationId: row.id,
			visibility: 'public',
			updatedAt: row.updated_at
		};
	},
	loadRow(db, id) {
		return organisationRows(db).where('id', '=', id).executeTakeFirst();
	},
	async listForReindex(db, { after, limit }) {
		let q = organisationRows(db);
		if (after !== null) q = q.where('id', '>', after);
		const rows = await q.orderBy('id').limit(limit).execute();
		return { rows, lastId: rows.at(-1)?.id ?? null };
	}
};

/** Makes an organisation's document follow its row, in the transaction that changed it. */
export async function refreshOrganisationSearch(db: Db, organisationId: string): Promise<void> {
	await refreshSearchDocument(db, ORGANISATION_SEARCH, organisationId);
}
