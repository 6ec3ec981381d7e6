import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import type { SearchRegistration } from '../search/search.registry';
import { refreshSearchDocument } from '../search/search.repository';

type Db = Kysely<DB> | Transaction<DB>;

/** The statement as its public page shows it: the current version and who endorsed it. */
export interface StatementSearchRow {
	id: string;
	slug: string;
	title: string;
	updated_at: string;
	version_number: number;
	version_note: string;
	version_at: string;
	sections: { heading: string; clauses: string[] }[];
	/** Organisations that endorsed any version (people's own names are not indexed). */
	organisations: string[];
}

/** Statements with their current version, in id order: shared by loadRow and the reindex. */
function statementRows(db: Db) {
	return db
		.selectFrom('statement as s')
		.innerJoin('statement_version as v', (join) =>
			join.onRef('v.statement_id', '=', 's.id').onRef('v.number', '=', 's.current_version')
		)
		.select([
			's.id',
			's.slug',
			's.title',
			's.updated_at',
			'v.id as version_id',
			'v.number as version_number',
			'v.note as version_note',
			'v.created_at as version_at'
		])
		.orderBy('s.id');
}

type BaseRow = Awaited<ReturnType<ReturnType<typeof statementRows>['execute']>>[number];

/** Sections, clauses and endorsing organisations for a batch: three queries, not three per row. */
async function complete(db: Db, rows: BaseRow[]): Promise<StatementSearchRow[]> {
	if (!rows.length) return [];
	const versionIds = rows.map((r) => r.version_id);
	const [sections, clauses, organisations] = await Promise.all([
		db
			.selectFrom('statement_section')
			.select(['version_id', 'section_id', 'heading'])
			.where('version_id', 'in', versionIds)
			.orderBy('version_id')
			.orderBy('position')
			.execute(),
		db
			.selectFrom('statement_clause')
			.select(['version_id', 'section_id', 'body'])
			.where('version_id', 'in', versionIds)
			.orderBy('version_id')
			.orderBy('position')
			.execute(),
		db
			.selectFrom('statement_endorsement as e')
			.innerJoin('organisation as o', 'o.id', 'e.organisation_id')
			.select(['e.statement_id', 'o.name'])
			.distinct()
			.where(
				'e.statement_id',
				'in',
				rows.map((r) => r.id)
			)
			.orderBy('e.statement_id')
			.orderBy('o.name')
			.execute()
	]);
	return rows.map((r) => ({
		id: r.id,
		slug: r.slug,
		title: r.title,
		updated_at: r.updated_at,
		version_number: Number(r.version_number),
		version_note: r.version_note,
		version_at: r.version_at,
		sections: sections
			.filter((s) => s.version_id === r.version_id)
			.map((s) => ({
				heading: s.heading,
				clauses: clauses
					.filter((c) => c.version_id === r.version_id && c.section_id === s.section_id)
					.map((c) => c.body)
			})),
		organisations: organisations.filter((o) => o.statement_id === r.id).map((o) => o.name)
	}));
}

/**
 * The network's shared statement: public at /statement as soon as it is started (its first
 * version is the published text; amendments are proposals and are not indexed). The body is the
 * current version's headings and clauses, then the organisations that endorsed it, as the page
 * lists them. People who endorsed in their own name are left out: a name belongs in search only
 * through the person's own public profile.
 *
 * An endorsing organisation renamed or deleted later: `refreshStatementsSearch` rewrites the
 * statements it endorsed (`statementsEndorsedBy`), in the transaction of that change.
 */
export const STATEMENT_SEARCH: SearchRegistration<StatementSearchRow> = {
	kind: 'statement',
	label: 'Statement',
	toDocument(row) {
		const text = row.sections.flatMap((s) => [s.heading, ...s.clauses]);
		if (row.version_note) text.unshift(row.version_note);
		if (row.organisations.length) text.push(`Endorsed by ${row.organisations.join(', ')}.`);
		return {
			kind: 'statement',
			docId: row.id,
			title: row.title,
			body: text.join('\n'),
			path: '/statement',
			type: null,
			startsAt: row.version_at,
			visibility: 'public',
			updatedAt: row.updated_at
		};
	},
	async loadRow(db, id) {
		const rows = await statementRows(db).where('s.id', '=', id).execute();
		return (await complete(db, rows))[0];
	},
	async listForReindex(db, { after, limit }) {
		let query = statementRows(db).limit(limit);
		if (after) query = query.where('s.id', '>', after);
		const rows = await complete(db, await query.execute());
		return { rows, lastId: rows.at(-1)?.id ?? null };
	}
};

/**
 * The statements an organisation endorsed, whose documents name it. Read them before the
 * organisation is deleted (its endorsements go with it).
 */
export async function statementsEndorsedBy(db: Db, organisationId: string): Promise<string[]> {
	const rows = await db
		.selectFrom('statement_endorsement')
		.select('statement_id')
		.distinct()
		.where('organisation_id', '=', organisationId)
		.orderBy('statement_id')
		.execute();
	return rows.map((r) => r.statement_id);
}

/**
 * Rewrites these statements' documents, so they name an endorsing organisation as it is now
 * called, or no longer name it once it is gone: in the transaction that renamed or deleted it,
 * with the ids from `statementsEndorsedBy`.
 */
export async function refreshStatementsSearch(
	db: Db,
	statementIds: readonly string[]
): Promise<void> {
	for (const id of statementIds) await refreshSearchDocument(db, STATEMENT_SEARCH, id);
}
