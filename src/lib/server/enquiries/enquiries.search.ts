import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import { markdownToPlainText } from '../markdown';
import type { SearchRegistration } from '../search/search.registry';
import { questionLines } from './enquiries.schema';
import type { EnquiryStage } from './enquiries.tables';

type Db = Kysely<DB> | Transaction<DB>;

export interface EnquirySearchRow {
	id: string;
	title: string;
	questions: string;
	purpose: string;
	stage: EnquiryStage;
	report_title: string | null;
	report_summary: string | null;
	published_at: string | null;
	created_at: string;
	updated_at: string;
	/** The report's sections, only read once it is published. */
	sections: { heading: string; body: string }[];
}

/** Enquiries in id order: shared by loadRow and the reindex, so the two cannot disagree. */
function enquiryRows(db: Db) {
	return db
		.selectFrom('enquiry')
		.select([
			'id',
			'title',
			'questions',
			'purpose',
			'stage',
			'report_title',
			'report_summary',
			'published_at',
			'created_at',
			'updated_at'
		])
		.orderBy('id');
}

type BaseRow = Awaited<ReturnType<ReturnType<typeof enquiryRows>['execute']>>[number];

/** Sections of the published reports in a batch, in one query; drafts are never read. */
async function withSections(db: Db, rows: BaseRow[]): Promise<EnquirySearchRow[]> {
	const published = rows.filter((r) => r.stage === 'published').map((r) => r.id);
	const sections = published.length
		? await db
				.selectFrom('enquiry_report_section')
				.select(['enquiry_id', 'heading', 'body'])
				.where('enquiry_id', 'in', published)
				.orderBy('enquiry_id')
				.orderBy('position')
				.orderBy('id')
				.execute()
		: [];
	return rows.map((r) => ({
		...r,
		sections: sections
			.filter((s) => s.enquiry_id === r.id)
			.map((s) => ({ heading: s.heading, body: s.body }))
	}));
}

/**
 * Every enquiry's page is public, and before publishing it shows visitors only its title,
 * questions, purpose, method and team: so an unpublished enquiry is found by its title,
 * questions and purpose (never the team's names, nor anything the team is drafting). Once
 * published, the report's title, summary and sections are found too.
 *
 * Quotes are never indexed. What a quote shows depends on its speaker's consent at the moment
 * the page is read (a withdrawal removes it at once), so they stay out of the body entirely and
 * a change of consent never leaves words in the index.
 */
export const ENQUIRY_SEARCH: SearchRegistration<EnquirySearchRow> = {
	kind: 'enquiry',
	label: 'Enquiry report',
	toDocument(row) {
		const published = row.stage === 'published';
		const text = [...questionLines(row.questions), row.purpose];
		if (published) {
			if (row.report_summary) text.push(markdownToPlainText(row.report_summary));
			for (const s of row.sections) text.push(s.heading, markdownToPlainText(s.body));
		}
		return {
			kind: 'enquiry',
			docId: row.id,
			title: published ? row.report_title || row.title : row.title,
			body: text.filter((t) => t.trim()).join('\n'),
			path: `/enquiries/${row.id}`,
			type: published ? 'report' : row.stage,
			startsAt: published ? row.published_at : row.created_at,
			visibility: 'public',
			updatedAt: row.updated_at
		};
	},
	async loadRow(db, id) {
		const rows = await enquiryRows(db).where('id', '=', id).execute();
		return (await withSections(db, rows))[0];
	},
	async listForReindex(db, { after, limit }) {
		let query = enquiryRows(db).limit(limit);
		if (after) query = query.where('id', '>', after);
		const rows = await withSections(db, await query.execute());
		return { rows, lastId: rows.at(-1)?.id ?? null };
	}
};
