import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import type { SearchRegistration } from '../search/search.registry';
import { refreshSearchDocument } from '../search/search.repository';

type Db = Kysely<DB> | Transaction<DB>;

/** A case study's published version, as search needs it, with its service areas' keys. */
export interface CaseStudySearchRow {
	id: string;
	slug: string;
	published_at: string | null;
	title: string;
	summary: string;
	what_was_done: string;
	who_was_involved: string;
	barriers_handled: string;
	do_differently: string;
	organisation_ids: string;
	/** When the version on show was published. */
	version_published_at: string;
	/** Service areas' slugs, the library's themes. */
	themes: string[];
}

function ids(json: string): string[] {
	try {
		const value: unknown = JSON.parse(json);
		return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
	} catch {
		return [];
	}
}

/**
 * Case studies visitors can open: those with a published version, which is what search shows
 * (a working copy, waiting or sent back, is never indexed; its published version stays).
 */
async function publishedCaseStudies(
	db: Db,
	where: { id: string } | { after: string | null; limit: number }
): Promise<CaseStudySearchRow[]> {
	let query = db
		.selectFrom('case_study as cs')
		.innerJoin('case_study_version as v', (join) =>
			join.onRef('v.case_study_id', '=', 'cs.id').onRef('v.version', '=', 'cs.published_version')
		)
		.select([
			'cs.id',
			'cs.slug',
			'cs.published_at',
			'v.title',
			'v.summary',
			'v.what_was_done',
			'v.who_was_involved',
			'v.barriers_handled',
			'v.do_differently',
			'v.organisation_ids',
			'v.service_area_ids',
			'v.published_at as version_published_at'
		]);
	if ('id' in where) query = query.where('cs.id', '=', where.id);
	else {
		if (where.after !== null) query = query.where('cs.id', '>', where.after);
		query = query.orderBy('cs.id').limit(where.limit);
	}
	const rows = await query.execute();
	const tagIds = [...new Set(rows.flatMap((r) => ids(r.service_area_ids)))];
	const tags = tagIds.length
		? await db.selectFrom('library_tag').select(['id', 'slug']).where('id', 'in', tagIds).execute()
		: [];
	const slugOf = new Map(tags.map((t) => [t.id, t.slug]));
	return rows.map(({ service_area_ids, ...r }) => ({
		...r,
		themes: ids(service_area_ids)
			.map((id) => slugOf.get(id))
			.filter((slug): slug is string => !!slug)
	}));
}

/** Case studies in search: the published version's words, filed under its service areas. */
export const CASE_STUDY_SEARCH: SearchRegistration<CaseStudySearchRow> = {
	kind: 'case-study',
	label: 'Case study',
	toDocument(row) {
		return {
			kind: 'case-study',
			docId: row.id,
			title: row.title,
			// The parts are plain text (the page shows them as typed, not as Markdown).
			body: [
				row.summary,
				row.what_was_done,
				row.who_was_involved,
				row.barriers_handled,
				row.do_differently
			]
				.filter(Boolean)
				.join('\n\n'),
			path: `/library/${row.slug}`,
			themes: row.themes,
			startsAt: row.published_at ?? row.version_published_at,
			organisationId: ids(row.organisation_ids)[0] ?? null,
			visibility: 'public',
			updatedAt: row.version_published_at
		};
	},
	async loadRow(db, docId) {
		return (await publishedCaseStudies(db, { id: docId }))[0];
	},
	async listForReindex(db, batch) {
		const rows = await publishedCaseStudies(db, batch);
		return { rows, lastId: rows.at(-1)?.id ?? null };
	}
};

/** Makes search show the case study's published version, inside the caller's transaction. */
export async function refreshCaseStudySearch(trx: Db, caseStudyId: string): Promise<void> {
	await refreshSearchDocument(trx, CASE_STUDY_SEARCH, caseStudyId);
}
